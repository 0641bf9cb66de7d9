/**
 * Version discovery documents (GET on a service's unversioned or versioned root), parsed into
 * one shape whatever the service:
 * - nova, cinder, glance, neutron, placement: `{"versions": [...]}`
 * - keystone (and designate): `{"versions": {"values": [...]}}`
 * - one version (GET on a versioned root): `{"version": {...}}`
 * - ironic: `{"versions": [...], "default_version": {...}}`
 */

/** One API version a service offers. */
export interface ApiVersion {
  /** The id as the service gives it (`v2.1`, `v3.14`, `2.0`). */
  readonly id: string;
  /** The id parsed: `v2.1` -> [2, 1]. */
  readonly major: number;
  readonly minor: number;
  /** Lower-cased: `current`, `supported`, `stable`, `deprecated`, `experimental`. */
  readonly status: string;
  /** The `self` link, when the document gives a non-empty one. */
  readonly href?: string;
  /** Microversion range, when the version has microversions (`version`/`max_version`, `min_version`). */
  readonly microversions?: { readonly min: string; readonly max: string };
}

/**
 * Parses a version document. Returns the versions it lists, or undefined when `body` is not a
 * version document at all (an HTML error page, neutron's resource list, `{}`). Entries with an
 * unparsable id are skipped; a placeholder microversion (cinder's sample has
 * `"{Current_Max_Version}"`) or an empty one (nova's legacy v2.0 has `""`) means "none".
 */
export function parseVersionDocument(body: unknown): readonly ApiVersion[] | undefined {
  if (!isObject(body)) return undefined;
  let raw: unknown[] | undefined;
  if (Array.isArray(body.versions)) raw = body.versions;
  else if (isObject(body.versions) && Array.isArray(body.versions.values)) raw = body.versions.values;
  else if (isObject(body.version)) raw = [body.version];
  if (!raw) return undefined;
  const versions: ApiVersion[] = [];
  for (const item of raw) {
    const version = parseVersion(item);
    if (version) versions.push(version);
  }
  return versions;
}

function parseVersion(item: unknown): ApiVersion | undefined {
  if (!isObject(item) || typeof item.id !== "string") return undefined;
  const parsed = parseVersionId(item.id);
  if (!parsed) return undefined;
  const href = selfLink(item.links);
  const max = microversion(item.max_version) ?? microversion(item.version);
  const min = microversion(item.min_version);
  return {
    id: item.id,
    major: parsed[0],
    minor: parsed[1],
    status: typeof item.status === "string" ? item.status.toLowerCase() : "unknown",
    ...(href !== undefined && { href }),
    // NOTE: placement and cyborg say `max_version`, nova, cinder and ironic `version`; nova's
    // legacy v2.0 gives "" for both (no microversions).
    ...(max !== undefined && { microversions: { min: min ?? max, max } }),
  };
}

/** `v2.1` -> [2, 1], `2` -> [2, 0], `v3` -> [3, 0]; undefined when it is not a version. */
export function parseVersionId(id: string): readonly [number, number] | undefined {
  const match = /^v?(\d+)(?:\.(\d+))?$/i.exec(id.trim());
  if (!match) return undefined;
  return [Number(match[1]), match[2] === undefined ? 0 : Number(match[2])];
}

function microversion(value: unknown): string | undefined {
  return typeof value === "string" && /^\d+\.\d+$/.test(value) ? value : undefined;
}

function selfLink(links: unknown): string | undefined {
  if (!Array.isArray(links)) return undefined;
  for (const link of links) {
    if (isObject(link) && link.rel === "self" && typeof link.href === "string" && link.href !== "") {
      return link.href;
    }
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
