import { ValidationError } from "../../../../errors.js";
import type { HttpBody, ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { requireId } from "../../../query.js";
import { imageFilePath, imageImportPath, imageSchemaPath, imageStagePath, importInfoPath } from "./urls.js";
import type { ImageSchemaWire, ImportInfoWire } from "./wire.js";

/** Image data: bytes in memory or a stream (a stream is sent once and never retried). */
export type ImageData = Uint8Array | ReadableStream<Uint8Array>;

function octets(data: ImageData): Exclude<HttpBody, { kind: "json" }> {
  if (data instanceof Uint8Array)
    return { kind: "bytes", value: data, contentType: "application/octet-stream" };
  if (data && typeof (data as ReadableStream).getReader === "function") {
    return { kind: "stream", value: data, contentType: "application/octet-stream" };
  }
  throw new ValidationError("data", "must be a Uint8Array or a ReadableStream");
}

/** PUT /images/{id}/file (204): uploads the data of a queued image (the classic v2 upload). */
export async function uploadImageData(
  client: ServiceClient,
  id: string,
  data: ImageData,
  call: CallOptions = {},
): Promise<void> {
  requireId("id", id);
  await client.request({
    method: "PUT",
    path: imageFilePath(id),
    body: octets(data),
    headers: { "content-type": "application/octet-stream" },
    okStatus: [204],
    ...callFields(call),
  });
}

/** PUT /images/{id}/stage (204): stages data for the glance-direct import method. */
export async function stageImageData(
  client: ServiceClient,
  id: string,
  data: ImageData,
  call: CallOptions = {},
): Promise<void> {
  requireId("id", id);
  await client.request({
    method: "PUT",
    path: imageStagePath(id),
    body: octets(data),
    headers: { "content-type": "application/octet-stream" },
    okStatus: [204],
    ...callFields(call),
  });
}

/** How POST /images/{id}/import gets the data. */
export type ImportMethod =
  | { readonly name: "glance-direct" }
  | { readonly name: "web-download"; readonly uri: string };

/** POST /images/{id}/import (202): starts an interoperable import; the image goes active later. */
export async function importImage(
  client: ServiceClient,
  id: string,
  method: ImportMethod,
  options: {
    readonly stores?: readonly string[];
    readonly allStores?: boolean;
    readonly allStoresMustSucceed?: boolean;
  } = {},
  call: CallOptions = {},
): Promise<void> {
  requireId("id", id);
  if (method.name === "web-download") requireId("method.uri", method.uri);
  else if (method.name !== "glance-direct") {
    throw new ValidationError("method.name", 'must be "glance-direct" or "web-download"');
  }
  await client.request({
    method: "POST",
    path: imageImportPath(id),
    json: {
      method,
      ...(options.stores !== undefined && { stores: options.stores }),
      ...(options.allStores !== undefined && { all_stores: options.allStores }),
      ...(options.allStoresMustSucceed !== undefined && {
        all_stores_must_succeed: options.allStoresMustSucceed,
      }),
    },
    okStatus: [202],
    ...callFields(call),
  });
}

/** GET /info/import: the import methods this glance offers (empty before Queens). */
export async function getImportMethods(client: ServiceClient, call: CallOptions = {}): Promise<string[]> {
  const response = await client.request({
    method: "GET",
    path: importInfoPath(),
    okStatus: [200],
    ...callFields(call),
  });
  return [...(response.json<ImportInfoWire>()["import-methods"]?.value ?? [])];
}

/** GET /schemas/image. */
export async function getImageSchema(
  client: ServiceClient,
  call: CallOptions = {},
): Promise<ImageSchemaWire> {
  const response = await client.request({
    method: "GET",
    path: imageSchemaPath(),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<ImageSchemaWire>();
}

/** The disk and container formats the cloud accepts, from the schema's enums (null dropped). */
export function acceptedFormats(schema: ImageSchemaWire): {
  diskFormats: string[];
  containerFormats: string[];
} {
  const values = (key: string) =>
    (schema.properties[key]?.enum ?? []).filter((v): v is string => typeof v === "string");
  return { diskFormats: values("disk_format"), containerFormats: values("container_format") };
}
