import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Root of the upstream samples the simulator's tests read: `packages/sim/testdata`, verbatim copies of
 * files under `../shared/fixtures` (same relative paths; CI's checkout has no `../shared`).
 */
export const FIXTURES = join(import.meta.dirname, "../../testdata");

/** Where the copies come from, when this machine has it (tests compare the copies byte for byte). */
export const SHARED_FIXTURES = join(import.meta.dirname, "../../../../../shared/fixtures");

/** Reads one fixture JSON file (path relative to the fixtures root). */
export function fixture(path: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, path), "utf8"));
}

function kind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/**
 * Compares the shape of `actual` with `expected` (an upstream sample): every key of the sample must
 * exist with the same JSON type (null in either side matches anything: samples show nullable fields
 * with one value), recursively; arrays compare each actual element with the sample's element at the
 * same index (or its last one). `ignore` holds dotted paths (`server.fault`, arrays as `links[]`):
 * `a.b` skips the key entirely, `a.b.*` checks only that it is an object (a free-form map such as
 * `metadata`, whose keys are data, not shape). Returns human-readable differences.
 */
export function shapeDiff(
  expected: unknown,
  actual: unknown,
  ignore: readonly string[] = [],
  path = "",
): string[] {
  if (ignore.includes(path)) return [];
  const ke = kind(expected);
  const ka = kind(actual);
  if (ke === "null" || ka === "null") return [];
  if (ke !== ka) return [`${path || "(root)"}: expected ${ke}, got ${ka}`];
  if (ignore.includes(`${path}.*`)) return [];
  if (ke === "array") {
    const e = expected as unknown[];
    const a = actual as unknown[];
    if (e.length === 0) return [];
    return a.flatMap((x, i) => shapeDiff(e[Math.min(i, e.length - 1)], x, ignore, `${path}[]`));
  }
  if (ke !== "object") return [];
  const out: string[] = [];
  const eo = expected as Record<string, unknown>;
  const ao = actual as Record<string, unknown>;
  for (const key of Object.keys(eo)) {
    const p = path ? `${path}.${key}` : key;
    if (ignore.includes(p)) continue;
    if (!(key in ao)) {
      out.push(`${p}: missing`);
      continue;
    }
    out.push(...shapeDiff(eo[key], ao[key], ignore, p));
  }
  return [...new Set(out)];
}
