import { createHash } from "node:crypto";
import { ValidationError } from "../../../../errors.js";
import type { HttpBody, ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { metadataHeaders, objectHeadOf } from "../headers.js";
import { objectPath } from "../urls.js";
import type { ObjectContentWire, ObjectHeadWire } from "../wire.js";

/** The content of an upload: bytes, or a stream (sent chunked, never retried). */
export type ObjectContent = Uint8Array | ReadableStream<Uint8Array>;

/** How an object is uploaded. */
export interface UploadObjectOptions {
  /** Default application/octet-stream. */
  readonly contentType?: string;
  /**
   * MD5 (hex) of the content; swift refuses the upload (422) when it does not match.
   * Computed for byte content when absent; a stream is sent without one unless given.
   */
  readonly etag?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /** Seconds after which swift deletes the object (`X-Delete-After`). */
  readonly deleteAfter?: number;
}

/**
 * Uploads an object (`PUT /{container}/{object}`, 201) and returns the answer's headers
 * (swift's ETag of what it stored).
 * NOTE: swift caps one object at 5 GiB by default (`max_file_size` in `/info`); bigger
 * content needs a static large object manifest, which this binding does not build.
 */
export async function uploadObject(
  client: ServiceClient,
  container: string,
  name: string,
  content: ObjectContent,
  options: UploadObjectOptions = {},
  call: CallOptions = {},
): Promise<ObjectHeadWire> {
  const path = objectPath(container, name);
  if (options.etag !== undefined && !/^[0-9a-f]{32}$/i.test(options.etag)) {
    throw new ValidationError("etag", "must be an MD5 hex digest (32 characters)");
  }
  if (
    options.deleteAfter !== undefined &&
    (!Number.isInteger(options.deleteAfter) || options.deleteAfter < 1)
  ) {
    throw new ValidationError("deleteAfter", "must be a positive integer of seconds");
  }
  const contentType = options.contentType ?? "application/octet-stream";
  let body: Exclude<HttpBody, { kind: "json" }>;
  let etag = options.etag;
  if (content instanceof Uint8Array) {
    body = { kind: "bytes", value: content, contentType };
    etag ??= createHash("md5").update(content).digest("hex");
  } else if (content instanceof ReadableStream) {
    body = { kind: "stream", value: content, contentType };
  } else {
    throw new ValidationError("content", "must be a Uint8Array or a ReadableStream");
  }
  const headers = {
    "Content-Type": contentType,
    ...(etag !== undefined && { ETag: etag }),
    ...(options.deleteAfter !== undefined && { "X-Delete-After": String(options.deleteAfter) }),
    ...metadataHeaders(options.metadata, "object"),
  };
  const response = await client.request({
    method: "PUT",
    path,
    body,
    headers,
    okStatus: [201],
    ...callFields(call),
  });
  return objectHeadOf(response.headers);
}

/** An object's headers and metadata (`HEAD /{container}/{object}`, 200). */
export async function headObject(
  client: ServiceClient,
  container: string,
  name: string,
  call: CallOptions = {},
): Promise<ObjectHeadWire> {
  const response = await client.request({
    method: "HEAD",
    path: objectPath(container, name),
    okStatus: [200],
    ...callFields(call),
  });
  return objectHeadOf(response.headers);
}

/** Downloads an object (`GET /{container}/{object}`, 200), content read completely. */
export async function downloadObject(
  client: ServiceClient,
  container: string,
  name: string,
  call: CallOptions = {},
): Promise<ObjectContentWire> {
  const response = await client.request({
    method: "GET",
    path: objectPath(container, name),
    headers: { accept: "*/*" },
    okStatus: [200],
    ...callFields(call),
  });
  return { ...objectHeadOf(response.headers), bytes: response.bytes };
}

/** Deletes an object (`DELETE /{container}/{object}`, 204). */
export async function deleteObject(
  client: ServiceClient,
  container: string,
  name: string,
  call: CallOptions = {},
): Promise<void> {
  await client.request({
    method: "DELETE",
    path: objectPath(container, name),
    okStatus: [204],
    ...callFields(call),
  });
}
