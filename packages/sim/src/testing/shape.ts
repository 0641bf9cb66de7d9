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

const EMPTY = "empty, the sample has items";

function kind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/**
 * Compares the shape of `actual` with `expected` (an upstream sample): both must have the same keys
 * (a key missing from the answer and a key the sample lacks are both differences) with the same JSON
 * type (null in either side matches anything: samples show nullable fields with one value),
 * recursively; arrays compare each actual element with the sample's element at the same index (or its
 * last one), and an empty array where the sample has items is a difference (its items' shape would go
 * unchecked: seed the data first). `ignore` holds dotted paths (`server.fault`, arrays as `links[]`):
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
    if (a.length === 0) return [`${path || "(root)"}: ${EMPTY}`];
    const perItem = a.map((x, i) => shapeDiff(e[Math.min(i, e.length - 1)], x, ignore, `${path}[]`));
    // An array inside the items counts as empty only when it is empty in every item (one seeded item
    // with, say, an attached volume is enough to compare the shape of those).
    const empties = perItem.flat().filter((d) => d.endsWith(EMPTY));
    return [
      ...new Set([
        ...perItem.flat().filter((d) => !d.endsWith(EMPTY)),
        ...empties.filter((d) => perItem.every((items) => items.includes(d))),
      ]),
    ];
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
  for (const key of Object.keys(ao)) {
    const p = path ? `${path}.${key}` : key;
    if (!(key in eo) && !ignore.includes(p)) out.push(`${p}: not in the sample`);
  }
  return [...new Set(out)];
}
