import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Root of the upstream samples (../shared/fixtures relative to the repository). */
export const FIXTURES = join(import.meta.dirname, "../../../../../shared/fixtures");

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
 * with one value), recursively; arrays compare their first elements. Keys listed in `ignore`
 * (dotted paths such as `server.fault`) are skipped. Returns human-readable differences.
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
  if (ke === "array") {
    const e = expected as unknown[];
    const a = actual as unknown[];
    if (e.length === 0 || a.length === 0) return [];
    return shapeDiff(e[0], a[0], ignore, `${path}[]`);
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
  return out;
}
