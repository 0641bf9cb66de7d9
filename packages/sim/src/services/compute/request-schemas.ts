/**
 * nova's request-body rules for server names, metadata, user data and descriptions (nova's
 * `api/openstack/compute/schemas/servers.py` and `api/validation/parameter_types.py`), with nova's
 * 400 wording: `Invalid input for field/attribute <last path element>. Value: <value>. <reason>`.
 */
import { badRequest, type SimError } from "../../core/errors.js";
import { atLeast } from "../../core/microversion.js";
import type { SimContext } from "../../core/service.js";

/** Longest server name, metadata key or value, and description nova stores (varchar(255) columns). */
export const MAX_FIELD_LENGTH = 255;
/** Longest `user_data` nova accepts (base64 text, a mediumtext column's share). */
export const MAX_USER_DATA_LENGTH = 65535;
/** The metadata key pattern nova's schema allows (`patternProperties`, no other keys). */
const METADATA_KEY = /^[a-zA-Z0-9\-_:. ]{1,255}$/;
/** Control, format, line and paragraph separators: what nova's "printable" excludes. */
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;
const SPACE_AT_ENDS = /^\p{Zs}|\p{Zs}$/u;

/** Python's repr of a JSON value, as jsonschema quotes it in nova's messages. */
function repr(v: unknown): string {
  if (typeof v === "string") return `'${v}'`;
  if (v === null) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  return JSON.stringify(v);
}

function invalid(field: string, value: unknown, reason: string): SimError {
  const shown = typeof value === "string" ? value : repr(value);
  return badRequest(`Invalid input for field/attribute ${field}. Value: ${shown}. ${reason}`);
}

function typeName(v: unknown): string {
  return `${repr(v)} is not of type 'string'`;
}

/** Whether the request came in through the legacy `/v2/{project_id}` endpoint (nova's relaxed v2.0 schemas). */
export function isLegacyV2(c: SimContext): boolean {
  return c.req.path.includes("/compute/v2/");
}

/**
 * A server name (create, update, rebuild): a string of 1 to 255 printable characters; outside the legacy
 * v2 endpoint it may not start or end with white space.
 */
export function checkServerName(c: SimContext, value: unknown, field = "name"): string {
  if (typeof value !== "string") throw invalid(field, value, typeName(value));
  if (value.length === 0) throw invalid(field, value, `${repr(value)} is too short`);
  if ([...value].length > MAX_FIELD_LENGTH) throw invalid(field, value, `${repr(value)} is too long`);
  if (NON_PRINTABLE.test(value) || (!isLegacyV2(c) && SPACE_AT_ENDS.test(value)))
    throw invalid(
      field,
      value,
      "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.",
    );
  return value;
}

/**
 * Server metadata (create, rebuild, the metadata routes): an object whose keys are 1 to 255 characters
 * of `[a-zA-Z0-9-_:. ]` and whose values are strings of at most 255 characters.
 */
export function checkMetadata(value: unknown, field = "metadata"): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw invalid(field, value, `${repr(value)} is not of type 'object'`);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (!METADATA_KEY.test(key))
      throw invalid(
        field,
        value,
        `${repr(key)} does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'`,
      );
    if (typeof v !== "string") throw invalid(key, v, typeName(v));
    if ([...v].length > MAX_FIELD_LENGTH) throw invalid(key, v, `${repr(v)} is too long`);
    out[key] = v;
  }
  return out;
}

/**
 * `user_data` on create: base64 text of at most 65535 characters (null is allowed only on the legacy v2
 * endpoint; there, and when absent, the answer is null).
 */
export function checkUserData(c: SimContext, value: unknown): string | null {
  if (value === undefined || (value === null && isLegacyV2(c))) return null;
  if (typeof value !== "string") throw invalid("user_data", value, typeName(value));
  if (value.length > MAX_USER_DATA_LENGTH)
    throw invalid("user_data", "(...)", `'(...)' is too long (${value.length} > ${MAX_USER_DATA_LENGTH})`);
  if (!/^[A-Za-z0-9+/=\s]*$/.test(value))
    throw invalid("user_data", "(...)", "'user_data' is not a valid base64 string");
  return value;
}

/**
 * A server `description` (create, update, rebuild): unknown before 2.19; from 2.19 null or a string of at
 * most 255 printable characters. Returns undefined when absent.
 */
export function checkDescription(c: SimContext, body: Record<string, unknown>): string | null | undefined {
  if (!("description" in body)) return undefined;
  if (!atLeast(c.var.microversion, "2.19"))
    throw badRequest("Additional properties are not allowed ('description' was unexpected)");
  const value = body.description;
  if (value === null) return null;
  if (typeof value !== "string")
    throw invalid("description", value, `${repr(value)} is not of type 'string', 'null'`);
  if ([...value].length > MAX_FIELD_LENGTH) throw invalid("description", value, `${repr(value)} is too long`);
  if (/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u.test(value.replace(/[\t\n\r]/g, "")))
    throw invalid("description", value, `${repr(value)} does not match the printable characters pattern`);
  return value;
}
