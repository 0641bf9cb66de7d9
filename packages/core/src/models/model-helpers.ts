/** Small helpers the normalizers share. */

/** Every key of `wire` not in `consumed`, as sent: the model's `properties`. */
export function restOf(wire: object, consumed: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(wire).filter(([key]) => !consumed.has(key)));
}

/** `object` without its undefined entries (optional model fields are absent, not undefined). */
export function definedOnly<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** A non-empty string, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A finite number, or undefined (null, strings and NaN are not sizes). */
export function finiteNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
