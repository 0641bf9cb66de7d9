import { badRequest } from "./errors.js";
import type { SimContext } from "./service.js";

/** A JSON object from a request body. */
export type JsonObject = Record<string, unknown>;

/** Parses the request body as a JSON object; a 400 naming the problem otherwise. */
export async function readJson(c: SimContext): Promise<JsonObject> {
  const text = await c.req.text();
  if (text.trim() === "") throw badRequest("The request body is empty; expected a JSON object.");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest("Malformed request body: not valid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest("Malformed request body: expected a JSON object.");
  }
  return value as JsonObject;
}

/** Like {@link readJson}, but an empty body is `{}` (APIs whose body is optional, e.g. nova `POST /os-floating-ips`). */
export async function readJsonOrEmpty(c: SimContext): Promise<JsonObject> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest("Malformed request body: not valid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest("Malformed request body: expected a JSON object.");
  }
  return value as JsonObject;
}

/** The member `key` of a body, which must be an object (`{"server": {...}}`); a 400 naming it otherwise. */
export function member(body: JsonObject, key: string): JsonObject {
  const v = body[key];
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw badRequest(`Invalid input: '${key}' is a required property and must be an object.`);
  }
  return v as JsonObject;
}

/** An optional string field; a 400 naming the field when present with another type. */
export function optString(o: JsonObject, key: string, path = key): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string")
    throw badRequest(
      `Invalid input for field/attribute ${path}. Value: ${JSON.stringify(v)}. is not of type 'string'`,
    );
  return v;
}

/** An optional boolean field (accepts "true"/"false" strings as the APIs do). */
export function optBool(o: JsonObject, key: string, path = key): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "True") return true;
  if (v === "false" || v === "False") return false;
  throw badRequest(
    `Invalid input for field/attribute ${path}. Value: ${JSON.stringify(v)}. is not of type 'boolean'`,
  );
}

/** An optional integer field (numeric strings accepted, as nova does). */
export function optInt(o: JsonObject, key: string, path = key): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n)) {
    throw badRequest(
      `Invalid input for field/attribute ${path}. Value: ${JSON.stringify(v)}. is not of type 'integer'`,
    );
  }
  return n;
}

/** A JSON response. */
export function json(
  c: SimContext,
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): Response {
  return c.json(body as object, status as 200, headers);
}

/** An empty response (204, 202). */
export function empty(c: SimContext, status: number, headers?: Record<string, string>): Response {
  return c.body(null, status as 204, headers);
}
