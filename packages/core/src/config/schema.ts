import { z } from "zod";

/**
 * Shape validation of one cloud entry as clouds.yaml, secure.yaml, a vendor profile, OS_*
 * variables or explicit arguments give it (snake_case, after legacy keys are renamed).
 * Leaves are lenient the way PyYAML users expect (a number where a string is wanted is fine,
 * "true"/"yes" are booleans), strict about everything else. `null` (an empty YAML value) means
 * "not set". Unknown keys pass through to `CloudConfig.extra`.
 */

/** "a list", "a mapping", "the number 3", ... for error messages. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the string "${value}"`;
  return `${typeof value === "number" ? "the number " : ""}${String(value)}`;
}

function leaf<T>(expected: string, convert: (value: unknown) => T | undefined) {
  return z
    .unknown()
    .transform((value, ctx): T | undefined => {
      if (value === undefined || value === null) return undefined;
      const converted = convert(value);
      if (converted === undefined) {
        ctx.addIssue({ code: "custom", message: `expected ${expected}, got ${describeValue(value)}` });
        return z.NEVER;
      }
      return converted;
    })
    .optional();
}

/** A string; numbers are accepted and turned into strings (`project_id: 1234`). */
export const lenientString = leaf("a string", (v) =>
  typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined,
);

const TRUE_WORDS = new Set(["true", "yes", "on", "1"]);
const FALSE_WORDS = new Set(["false", "no", "off", "0"]);

/** Turns true/false and "true"/"yes"/"1"/"false"/"no"/"0" (any case) into a boolean. */
export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value !== "string") return undefined;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

/** A boolean, or a string saying one (OS_INSECURE=true). */
export const lenientBoolean = leaf("true or false", toBoolean);

/** A number, or a string holding one (OS_API_TIMEOUT=30). */
export const lenientNumber = leaf("a number", (v) => {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
});

/** A number, or a mapping of names (service types, resource kinds) to numbers. */
const numberOrMap = z.union([lenientNumber, z.record(z.string(), lenientNumber)], {
  error: (issue) =>
    `expected a number or a mapping of service type to number, got ${describeValue(issue.input)}`,
});

const mapping = z.record(z.string(), z.unknown(), {
  error: (issue) => `expected a mapping, got ${describeValue(issue.input)}`,
});

/** The `auth:` section; every value is a string. */
export const authSchema = z.record(z.string(), lenientString, {
  error: (issue) => `expected a mapping, got ${describeValue(issue.input)}`,
});

/** One entry of `regions:`: a name, or `{name, values: {...overrides}}`. */
export const regionSchema = z.union(
  [
    lenientString.pipe(z.string()),
    z
      .looseObject({
        name: lenientString.pipe(z.string({ error: "missing (every region needs a name)" })),
        values: mapping.optional(),
      })
      .superRefine((region, ctx) => {
        const unknown = Object.keys(region).filter((key) => key !== "name" && key !== "values");
        if (unknown.length > 0) {
          ctx.addIssue({
            code: "custom",
            message: `unknown key "${unknown[0]}" (a region mapping has only the keys name and values)`,
          });
        }
      }),
  ],
  { error: (issue) => `expected a region name or {name, values}, got ${describeValue(issue.input)}` },
);

/** One entry of `networks:` (openstacksdk's network hints for auto-ip and defaults). */
export const networkSchema = z.looseObject({
  name: lenientString.pipe(z.string({ error: "missing (every network needs a name)" })),
  routes_externally: lenientBoolean,
  routes_ipv4_externally: lenientBoolean,
  routes_ipv6_externally: lenientBoolean,
  nat_source: lenientBoolean,
  nat_destination: lenientBoolean,
  default_interface: lenientBoolean,
});

/** `cache:` at the top of the file or (an oaktree extension) in a cloud. */
export const cacheSchema = z.looseObject({
  expiration_time: lenientNumber,
  max_age: lenientNumber,
  expiration: z
    .record(z.string(), lenientNumber, {
      error: (issue) => `expected a mapping of resource to seconds, got ${describeValue(issue.input)}`,
    })
    .optional(),
});

/** One cloud entry (clouds.yaml `clouds.<name>`, a profile, a region's `values`, env, arguments). */
export const cloudSchema = z.looseObject(
  {
    auth: authSchema.optional(),
    auth_type: lenientString,
    profile: lenientString,
    region_name: z
      .union([lenientString, z.array(lenientString.pipe(z.string()))], {
        error: (issue) => `expected a region name, got ${describeValue(issue.input)}`,
      })
      .optional(),
    regions: z
      .array(regionSchema, {
        error: (issue) => `expected a list of regions, got ${describeValue(issue.input)}`,
      })
      .optional(),
    interface: lenientString,
    verify: z
      .union([lenientBoolean, z.string()], {
        error: (issue) => `expected true, false or a CA bundle path, got ${describeValue(issue.input)}`,
      })
      .optional(),
    insecure: lenientBoolean,
    cacert: lenientString,
    cert: lenientString,
    key: lenientString,
    api_timeout: lenientNumber,
    floating_ip_source: lenientString,
    image_format: lenientString,
    cache: cacheSchema.optional(),
    rate_limit: numberOrMap.optional(),
    rate_limits: numberOrMap.optional(),
    concurrency: numberOrMap.optional(),
    max_concurrency: numberOrMap.optional(),
    networks: z
      .array(networkSchema, {
        error: (issue) => `expected a list of networks, got ${describeValue(issue.input)}`,
      })
      .optional(),
  },
  { error: (issue) => `expected a mapping of settings, got ${describeValue(issue.input)}` },
);

/** A cloud entry after shape validation. */
export type RawCloud = z.output<typeof cloudSchema>;

/** A validation problem: the dotted key and what is wrong with it. */
export interface ShapeProblem {
  readonly key: string;
  readonly problem: string;
}

/** Validates one cloud entry; returns the cleaned entry or the first problem. */
export function validateCloud(
  data: unknown,
): { ok: true; cloud: RawCloud } | { ok: false; error: ShapeProblem } {
  const result = cloudSchema.safeParse(data);
  if (result.success) return { ok: true, cloud: result.data };
  const issue = result.error.issues[0];
  if (issue === undefined) return { ok: false, error: { key: "(cloud)", problem: "invalid" } };
  const key = issue.path.length === 0 ? "(cloud)" : issue.path.map(String).join(".");
  return { ok: false, error: { key, problem: issue.message } };
}
