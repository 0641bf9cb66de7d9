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

/** A key nova's schema admits from a microversion on (and, for removed ones, before another). */
interface SchemaKey {
  readonly key: string;
  readonly from?: string;
  readonly until?: string;
}

const CREATE_KEYS: readonly SchemaKey[] = [
  ..."name imageRef flavorRef adminPass metadata networks OS-DCF:diskConfig accessIPv4 accessIPv6"
    .split(" ")
    .map((key) => ({ key })),
  ..."availability_zone block_device_mapping block_device_mapping_v2 config_drive key_name min_count"
    .split(" ")
    .map((key) => ({ key })),
  ..."max_count return_reservation_id security_groups user_data".split(" ").map((key) => ({ key })),
  { key: "personality", until: "2.57" },
  { key: "description", from: "2.19" },
  { key: "tags", from: "2.52" },
  { key: "trusted_image_certificates", from: "2.63" },
  { key: "host", from: "2.74" },
  { key: "hypervisor_hostname", from: "2.74" },
  { key: "hostname", from: "2.90" },
];
const UPDATE_KEYS: readonly SchemaKey[] = [
  ..."name OS-DCF:diskConfig accessIPv4 accessIPv6".split(" ").map((key) => ({ key })),
  { key: "description", from: "2.19" },
  { key: "hostname", from: "2.90" },
];
const REBUILD_KEYS: readonly SchemaKey[] = [
  ..."name imageRef adminPass metadata preserve_ephemeral OS-DCF:diskConfig accessIPv4 accessIPv6"
    .split(" ")
    .map((key) => ({ key })),
  { key: "personality", until: "2.57" },
  { key: "description", from: "2.19" },
  { key: "key_name", from: "2.54" },
  { key: "user_data", from: "2.57" },
  { key: "trusted_image_certificates", from: "2.63" },
  { key: "hostname", from: "2.90" },
];
const SCHEMAS = { create: CREATE_KEYS, update: UPDATE_KEYS, rebuild: REBUILD_KEYS };

/**
 * nova's `additionalProperties: False`: keys of the `server` (or `rebuild`) object its schema does not
 * have at this microversion are a 400 naming them. The legacy v2 endpoint drops them silently instead
 * (nova's relaxed v2.0 validation); so are they removed from `body` there.
 */
export function checkKnownKeys(
  c: SimContext,
  kind: keyof typeof SCHEMAS,
  body: Record<string, unknown>,
): void {
  const mv = c.var.microversion;
  const allowed = new Set(
    SCHEMAS[kind]
      .filter((k) => (!k.from || atLeast(mv, k.from)) && (!k.until || !atLeast(mv, k.until)))
      .map((k) => k.key),
  );
  const unexpected = Object.keys(body).filter((k) => !allowed.has(k));
  if (unexpected.length === 0) return;
  if (isLegacyV2(c)) {
    for (const k of unexpected) delete body[k];
    return;
  }
  const names = unexpected.map((k) => repr(k)).join(", ");
  throw badRequest(
    `Additional properties are not allowed (${names} ${unexpected.length === 1 ? "was" : "were"} unexpected)`,
  );
}

const CREATE_TOP_LEVEL = new Set(["server", "os:scheduler_hints", "OS-SCH-HNT:scheduler_hints"]);

/** A server create body: only `server` and the scheduler hints beside it, then the server's keys. */
export function checkCreateBody(
  c: SimContext,
  body: Record<string, unknown>,
  server: Record<string, unknown>,
): void {
  const unexpected = Object.keys(body).filter((k) => !CREATE_TOP_LEVEL.has(k));
  if (unexpected.length > 0 && !isLegacyV2(c)) {
    const names = unexpected.map((k) => repr(k)).join(", ");
    throw badRequest(
      `Additional properties are not allowed (${names} ${unexpected.length === 1 ? "was" : "were"} unexpected)`,
    );
  }
  checkKnownKeys(c, "create", server);
}

/** nova's boolean parameter type: true, false, or one of their string spellings ("True", "on", "1", ...). */
export function novaBoolean(value: unknown, field: string): boolean {
  if (typeof value === "boolean") return value;
  const text = typeof value === "string" ? value.toLowerCase() : undefined;
  if (text !== undefined && ["true", "1", "on", "yes"].includes(text)) return true;
  if (text !== undefined && ["false", "0", "off", "no"].includes(text)) return false;
  throw invalid(field, value, `${repr(value)} is not one of the boolean values`);
}
