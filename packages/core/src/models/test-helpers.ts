import { expect } from "vitest";

/** Every item under `singular` or `plural` in a sample body (for tests). */
export function itemsOf<T>(body: unknown, singular: string, plural: string): T[] {
  const record = body as Record<string, unknown>;
  const many = record[plural];
  if (Array.isArray(many)) return many as T[];
  const one = record[singular];
  return one && typeof one === "object" ? [one as T] : [];
}

/**
 * Asserts that a normalizer lost nothing: every wire key is either one the test names as
 * read into a field, or kept verbatim in `properties`; and `properties` holds no read key.
 */
export function expectNothingLost(
  wire: object,
  model: { readonly properties: Readonly<Record<string, unknown>> },
  readKeys: readonly string[],
): void {
  const read = new Set(readKeys);
  for (const [key, value] of Object.entries(wire)) {
    if (read.has(key))
      expect(model.properties, `read key ${key} leaked into properties`).not.toHaveProperty([key]);
    else expect(model.properties[key], `wire key ${key} lost`).toEqual(value);
  }
}
