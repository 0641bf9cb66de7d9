import { ValidationError } from "../../../errors.js";
import type { ObjectHeadWire } from "./wire.js";

/** The `X-<Kind>-Meta-*` headers as a record: lower-cased names without the prefix. */
export function metadataOf(
  headers: Headers,
  kind: "account" | "container" | "object",
): Record<string, string> {
  const prefix = `x-${kind}-meta-`;
  const metadata: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name.toLowerCase().startsWith(prefix)) metadata[name.toLowerCase().slice(prefix.length)] = value;
  });
  return metadata;
}

/** A numeric header, 0 when absent. */
export function countOf(headers: Headers, name: string): number {
  const value = Number(headers.get(name) ?? "0");
  return Number.isFinite(value) ? value : 0;
}

/** Metadata as `X-<Kind>-Meta-<key>` request headers; keys must be header-safe. */
export function metadataHeaders(
  metadata: Readonly<Record<string, string>> | undefined,
  kind: "account" | "container" | "object",
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(key)) {
      throw new ValidationError(`metadata.${key}`, "must be letters, digits, '-' or '_'");
    }
    headers[`X-${kind[0]?.toUpperCase()}${kind.slice(1)}-Meta-${key}`] = value;
  }
  return headers;
}

/** The headers of an object answer, parsed. */
export function objectHeadOf(headers: Headers): ObjectHeadWire {
  const length = headers.get("content-length");
  const etag = headers.get("etag");
  const contentType = headers.get("content-type");
  const lastModified = headers.get("last-modified");
  return {
    ...(etag !== null && { etag }),
    ...(contentType !== null && { contentType }),
    ...(length !== null && { contentLength: Number(length) }),
    ...(lastModified !== null && { lastModified }),
    metadata: metadataOf(headers, "object"),
    headers,
  };
}
