import { OaktreeError, ValidationError } from "../../../../errors.js";
import { markerStrategy, paginate } from "../../../../http/paginate.js";
import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { type QueryNames, queryOf, requireId, requirePositiveInteger } from "../../../query.js";
import type { ImageData } from "../../v2/images/data.js";
import { imagePath, imagesDetailPath, imagesPath } from "./urls.js";
import type { ImageV1Wire } from "./wire.js";

/** Filters and paging of GET /images/detail. */
export interface ListImagesV1Options {
  readonly name?: string;
  readonly status?: string;
  readonly diskFormat?: string;
  readonly containerFormat?: string;
  readonly isPublic?: boolean;
  readonly sortKey?: string;
  readonly sortDir?: "asc" | "desc";
  /** Page size (default 100); glance v1 pages by marker without links. */
  readonly limit?: number;
  readonly marker?: string;
}

const LIST_QUERY: QueryNames<ListImagesV1Options> = {
  name: "name",
  status: "status",
  diskFormat: "disk_format",
  containerFormat: "container_format",
  isPublic: "is_public",
  sortKey: "sort_key",
  sortDir: "sort_dir",
  limit: "limit",
  marker: "marker",
};

/** GET /images/detail, page after page by marker. */
export function listImagesV1(
  client: ServiceClient,
  options: ListImagesV1Options = {},
  call: CallOptions = {},
): AsyncGenerator<ImageV1Wire, void, undefined> {
  requirePositiveInteger("limit", options.limit);
  const limit = options.limit ?? 100;
  return paginate<ImageV1Wire>(
    client,
    {
      method: "GET",
      path: imagesDetailPath(),
      query: queryOf({ ...options, limit }, LIST_QUERY),
      okStatus: [200],
      ...callFields(call),
    },
    markerStrategy("images", limit, (image) => image.id),
  );
}

const META = "x-image-meta-";
const PROPERTY = `${META}property-`;
const NUMBERS = new Set(["size", "min_disk", "min_ram", "virtual_size"]);
const BOOLEANS = new Set(["is_public", "protected", "deleted"]);

/** Turns the `x-image-meta-*` headers of HEAD /images/{id} into the JSON shape of v1. */
export function imageFromHeaders(headers: Headers): ImageV1Wire {
  const image: Record<string, unknown> = {};
  const properties: Record<string, string> = {};
  headers.forEach((value, name) => {
    const key = name.toLowerCase();
    if (key.startsWith(PROPERTY)) properties[key.slice(PROPERTY.length)] = value;
    else if (key.startsWith(META)) {
      const field = key.slice(META.length).replaceAll("-", "_");
      if (NUMBERS.has(field)) image[field] = value === "" || value === "None" ? null : Number(value);
      else if (BOOLEANS.has(field)) image[field] = value.toLowerCase() === "true";
      else image[field] = value === "None" ? null : value;
    }
  });
  if (typeof image.id !== "string")
    throw new OaktreeError("image v1 HEAD: no x-image-meta-id header in the answer");
  return { min_disk: 0, min_ram: 0, protected: false, is_public: false, ...image, properties } as ImageV1Wire;
}

/** HEAD /images/{id}: the image's metadata, from its `x-image-meta-*` headers. */
export async function getImageV1(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<ImageV1Wire> {
  requireId("id", id);
  const response = await client.request({
    method: "HEAD",
    path: imagePath(id),
    okStatus: [200],
    ...callFields(call),
  });
  return imageFromHeaders(response.headers);
}

/** Metadata of a v1 create or update, sent as `x-image-meta-*` headers. */
export interface ImageV1Meta {
  readonly name?: string;
  readonly diskFormat?: string;
  readonly containerFormat?: string;
  readonly isPublic?: boolean;
  readonly minDisk?: number;
  readonly minRam?: number;
  readonly protected?: boolean;
  /** Custom properties, `x-image-meta-property-<key>`. */
  readonly properties?: Readonly<Record<string, string>>;
}

/** The `x-image-meta-*` headers of `meta`. NOTE: glance v1 spells booleans "True"/"False". */
export function imageMetaHeaders(meta: ImageV1Meta): Record<string, string> {
  const headers: Record<string, string> = {};
  const put = (name: string, value: string | number | boolean | undefined) => {
    if (value === undefined) return;
    headers[`${META}${name}`] = typeof value === "boolean" ? (value ? "True" : "False") : String(value);
  };
  put("name", meta.name);
  put("disk_format", meta.diskFormat);
  put("container_format", meta.containerFormat);
  put("is_public", meta.isPublic);
  put("min_disk", meta.minDisk);
  put("min_ram", meta.minRam);
  put("protected", meta.protected);
  for (const [key, value] of Object.entries(meta.properties ?? {})) {
    // Header names cannot carry every character a property name may have.
    if (!/^[A-Za-z0-9_.:-]+$/.test(key))
      throw new ValidationError(`properties.${key}`, "is not a valid v1 property name");
    if (/[\r\n]/.test(value)) throw new ValidationError(`properties.${key}`, "must not contain line breaks");
    headers[`${PROPERTY}${key}`] = value;
  }
  return headers;
}

/** POST /images (201): creates an image with its data as the body and metadata in headers. */
export async function createImageV1(
  client: ServiceClient,
  meta: ImageV1Meta & { readonly name: string },
  data?: ImageData,
  call: CallOptions = {},
): Promise<ImageV1Wire> {
  requireId("name", meta.name);
  const headers = imageMetaHeaders(meta);
  const body =
    data === undefined
      ? undefined
      : data instanceof Uint8Array
        ? ({ kind: "bytes", value: data, contentType: "application/octet-stream" } as const)
        : ({ kind: "stream", value: data, contentType: "application/octet-stream" } as const);
  const response = await client.request({
    method: "POST",
    path: imagesPath(),
    headers: body ? { ...headers, "content-type": "application/octet-stream" } : headers,
    ...(body !== undefined && { body }),
    okStatus: [201],
    ...callFields(call),
  });
  return response.json<{ image: ImageV1Wire }>().image;
}

/** PUT /images/{id}: updates metadata through headers (existing properties are kept). */
export async function updateImageV1(
  client: ServiceClient,
  id: string,
  meta: ImageV1Meta,
  call: CallOptions = {},
): Promise<ImageV1Wire> {
  requireId("id", id);
  const headers = imageMetaHeaders(meta);
  if (Object.keys(headers).length === 0) throw new ValidationError("meta", "nothing to update");
  // NOTE: glance v1 drops properties not named in a PUT unless told to purge nothing.
  const response = await client.request({
    method: "PUT",
    path: imagePath(id),
    headers: { ...headers, "x-glance-registry-purge-props": "false" },
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ image: ImageV1Wire }>().image;
}

/** DELETE /images/{id} (200). */
export async function deleteImageV1(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<void> {
  requireId("id", id);
  await client.request({ method: "DELETE", path: imagePath(id), okStatus: [200, 204], ...callFields(call) });
}

/**
 * PUT /images/{id} with the data as the body (200): uploads the data of a queued image, once.
 * NOTE: glance v1 marks an image `killed` when its upload fails and keeps the record: creating
 * it first (createImageV1 without data) gives the caller the id to delete it by.
 */
export async function uploadImageDataV1(
  client: ServiceClient,
  id: string,
  data: ImageData,
  call: CallOptions = {},
): Promise<ImageV1Wire> {
  requireId("id", id);
  const response = await client.request({
    method: "PUT",
    path: imagePath(id),
    headers: { "content-type": "application/octet-stream", "x-glance-registry-purge-props": "false" },
    body:
      data instanceof Uint8Array
        ? { kind: "bytes", value: data, contentType: "application/octet-stream" }
        : { kind: "stream", value: data, contentType: "application/octet-stream" },
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ image: ImageV1Wire }>().image;
}
