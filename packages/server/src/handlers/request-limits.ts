import type { DescField, DescMessage, MessageShape } from "@bufbuild/protobuf";
import { invalidArgument } from "../errors.js";

/**
 * The longest string (UTF-8 bytes) a request field may hold, checked for every field of every
 * request before the handler runs. OpenStack's names, descriptions and ids are at most 255
 * characters; values oaktree looks up go into URLs (`?name=...`), and a clouds' front end
 * answers a URL over ~8 KiB with 414/431, which would come back as UNKNOWN. 1 KiB, percent-
 * encoded, stays far below that and far above any real name.
 */
export const MAX_FIELD_BYTES = 1024;

/** Fields that legitimately carry more (bytes, by proto field name). */
const LONGER_FIELDS: Readonly<Record<string, number>> = {
  // nova: user_data is at most 65535 bytes once base64-encoded.
  user_data: 65_535,
  // OpenSSH public keys: RSA 16384 is about 2.8 KiB; leave room for options and comments.
  public_key: 16_384,
  // Checked on its own (a length in characters and a parse) by the filters.
  jmespath: 64 * 1024,
};

/** Nesting is bounded by the proto types; this is a guard against a cycle in hand-made messages. */
const MAX_DEPTH = 32;

/**
 * INVALID_ARGUMENT naming the first string field (dotted proto path, `[i]` for list items,
 * `["key"]` for map entries) longer than its limit; map keys count too.
 */
export function checkRequestLimits<D extends DescMessage>(schema: D, message: MessageShape<D>): void {
  walk(schema, message as Record<string, unknown>, "", 0);
}

function walk(schema: DescMessage, message: Record<string, unknown>, prefix: string, depth: number): void {
  if (depth > MAX_DEPTH) return;
  for (const field of schema.fields) {
    const path = prefix + field.name;
    const value = field.oneof
      ? (message[field.oneof.localName] as { case?: string; value?: unknown } | undefined)?.case ===
        field.localName
        ? (message[field.oneof.localName] as { value: unknown }).value
        : undefined
      : message[field.localName];
    if (value === undefined || value === null) continue;
    checkValue(field, value, path, depth);
  }
}

function checkValue(field: DescField, value: unknown, path: string, depth: number): void {
  const limit = LONGER_FIELDS[field.name] ?? MAX_FIELD_BYTES;
  switch (field.fieldKind) {
    case "scalar":
      checkString(value, path, limit);
      return;
    case "message":
      walk(field.message, value as Record<string, unknown>, `${path}.`, depth + 1);
      return;
    case "list":
      (value as unknown[]).forEach((item, index) => {
        const at = `${path}[${index}]`;
        if (field.listKind === "message")
          walk(field.message, item as Record<string, unknown>, `${at}.`, depth + 1);
        else checkString(item, at, limit);
      });
      return;
    case "map":
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        const at = `${path}[${JSON.stringify(key.slice(0, 40))}]`;
        checkString(key, at, MAX_FIELD_BYTES);
        if (field.mapKind === "message")
          walk(field.message, item as Record<string, unknown>, `${at}.`, depth + 1);
        else checkString(item, at, limit);
      }
      return;
    default:
      return;
  }
}

function checkString(value: unknown, path: string, limit: number): void {
  // Characters first: a string shorter than limit/3 characters is within limit bytes.
  if (typeof value !== "string" || value.length * 3 <= limit) return;
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes > limit) throw invalidArgument(path, `longer than ${limit} bytes (${bytes})`);
}
