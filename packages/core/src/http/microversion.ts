import { NotSupportedError, ValidationError } from "../errors.js";

/*
 * Microversion arithmetic, the one implementation: http/ checks a request's microversion
 * against the negotiated range, catalog/ negotiates it, services/ gates fields and calls on it.
 */

const PATTERN = /^(\d+)\.(\d+)$/;

/** `[major, minor]` of "2.37"; "latest" is not accepted here (it is negotiated away in catalog/). */
export function parseMicroversion(value: string): readonly [number, number] {
  const match = PATTERN.exec(value.trim());
  if (!match) throw new ValidationError("microversion", `"${value}" is not of the form X.Y`);
  return [Number(match[1]), Number(match[2])];
}

/**
 * Orders two microversions numerically ("2.4" < "2.37", "2.10" > "2.9"): negative when a < b,
 * 0 when equal, positive when a > b.
 */
export function compareMicroversions(a: string, b: string): number {
  const [aMajor, aMinor] = parseMicroversion(a);
  const [bMajor, bMinor] = parseMicroversion(b);
  return aMajor !== bMajor ? aMajor - bMajor : aMinor - bMinor;
}

/**
 * Throws NotSupportedError when `requested` lies outside the negotiated range (or the
 * service has no microversions at all). Called before any I/O.
 */
export function checkMicroversion(
  serviceType: string,
  requested: string,
  range: { readonly min: string; readonly max: string } | undefined,
): void {
  parseMicroversion(requested);
  if (!range) {
    throw new NotSupportedError(`${serviceType} has no microversions here; ${requested} was requested`);
  }
  if (compareMicroversions(requested, range.min) < 0 || compareMicroversions(requested, range.max) > 0) {
    throw new NotSupportedError(
      `${serviceType} microversion ${requested} is not supported by this cloud (supported: ${range.min} to ${range.max})`,
    );
  }
}
