import { SimError } from "./errors.js";
import type { SimContext } from "./service.js";

/** A parsed `major.minor` version. */
export interface Version {
  readonly major: number;
  readonly minor: number;
}

/** Parses `2.47`; undefined when malformed. */
export function parseVersion(text: string): Version | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

/** Compares two `major.minor` strings (negative, zero, positive). */
export function compareVersions(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (!va || !vb) throw new TypeError(`not a version: ${va ? b : a}`);
  return va.major - vb.major || va.minor - vb.minor;
}

/** True when `version >= min` (e.g. `atLeast(c.var.microversion, "2.47")`). */
export function atLeast(version: string, min: string): boolean {
  return compareVersions(version, min) >= 0;
}

/** How a service negotiates its microversion. */
export interface MicroversionSpec {
  /** Service type in `OpenStack-API-Version: <type> <version>`. */
  readonly serviceType: string;
  /** Pre-standard header (`X-OpenStack-Nova-API-Version`), if the service had one. */
  readonly legacyHeader?: string;
  readonly min: string;
  readonly max: string;
}

/**
 * Negotiates the request's microversion the way nova and cinder do: `OpenStack-API-Version`
 * (`compute 2.47`, or `latest`) wins over the legacy header; no header means the minimum; a malformed
 * version is a 400, one out of range a 406. Sets `c.var.microversion` and the response headers
 * (errors included).
 */
export function negotiateMicroversion(c: SimContext, spec: MicroversionSpec): string {
  let requested: string | undefined;
  const std = c.req.header("openstack-api-version");
  if (std) {
    for (const part of std.split(",")) {
      const [type, ver] = part.trim().split(/\s+/);
      if (type?.toLowerCase() === spec.serviceType && ver !== undefined) requested = ver;
    }
  }
  if (requested === undefined && spec.legacyHeader) requested = c.req.header(spec.legacyHeader);
  let version: string;
  if (requested === undefined) version = spec.min;
  else if (requested.trim().toLowerCase() === "latest") version = spec.max;
  else {
    const v = parseVersion(requested);
    if (!v) {
      throw new SimError(
        400,
        `API Version String ${requested} is of invalid format. Must be of format MajorNum.MinorNum.`,
      );
    }
    version = `${v.major}.${v.minor}`;
    if (compareVersions(version, spec.min) < 0 || compareVersions(version, spec.max) > 0) {
      setVersionHeaders(c, spec, spec.min, false);
      throw new SimError(
        406,
        `Version ${version} is not supported by the API. Minimum is ${spec.min} and maximum is ${spec.max}.`,
      );
    }
  }
  setVersionHeaders(c, spec, version, true);
  c.set("microversion", version);
  return version;
}

function setVersionHeaders(c: SimContext, spec: MicroversionSpec, version: string, ok: boolean): void {
  const h = c.var.extraHeaders;
  if (ok) {
    h["OpenStack-API-Version"] = `${spec.serviceType} ${version}`;
    if (spec.legacyHeader) h[spec.legacyHeader] = version;
  }
  h.Vary = spec.legacyHeader ? `OpenStack-API-Version, ${spec.legacyHeader}` : "OpenStack-API-Version";
}
