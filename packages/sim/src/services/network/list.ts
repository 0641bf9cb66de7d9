import { badRequest } from "../../core/errors.js";
import { json } from "../../core/http.js";
import type { SimContext } from "../../core/service.js";
import { pageOf, type Row } from "../../core/table.js";

const RESERVED = new Set([
  "fields",
  "limit",
  "marker",
  "page_reverse",
  "sort_key",
  "sort_dir",
  "tags",
  "tags-any",
  "not-tags",
  "not-tags-any",
  "changed_since",
]);

type View = Record<string, unknown>;

function matchesValue(actual: unknown, wanted: string[]): boolean {
  if (Array.isArray(actual)) return actual.some((a) => matchesValue(a, wanted));
  if (actual === null || actual === undefined) return wanted.includes("") || wanted.includes("None");
  return (
    wanted.includes(String(actual)) ||
    (typeof actual === "boolean" && wanted.map((w) => w.toLowerCase()).includes(String(actual)))
  );
}

function tagFilter(c: SimContext): ((tags: readonly string[]) => boolean) | undefined {
  const split = (k: string) => (c.req.queries(k) ?? []).flatMap((v) => v.split(",")).filter((v) => v !== "");
  const all = split("tags");
  const any = split("tags-any");
  const notAll = split("not-tags");
  const notAny = split("not-tags-any");
  if (all.length + any.length + notAll.length + notAny.length === 0) return undefined;
  return (tags) =>
    all.every((t) => tags.includes(t)) &&
    (any.length === 0 || any.some((t) => tags.includes(t))) &&
    (notAll.length === 0 || !notAll.every((t) => tags.includes(t))) &&
    !notAny.some((t) => tags.includes(t));
}

type Sort = readonly [key: string, descending: boolean];

/** `sort_key`/`sort_dir` pairs (neutron: as many dirs as keys, or none meaning ascending). */
function sortSpec(c: SimContext): Sort[] {
  const keys = c.req.queries("sort_key") ?? [];
  const dirs = c.req.queries("sort_dir") ?? [];
  if (keys.length === 0) {
    if (dirs.length > 0) throw badRequest("The number of sort_keys and sort_dirs must be same");
    return [];
  }
  if (dirs.length > 0 && dirs.length !== keys.length) {
    throw badRequest("The number of sort_keys and sort_dirs must be same");
  }
  return keys.map((k, i) => {
    const dir = dirs[i] ?? "asc";
    if (dir !== "asc" && dir !== "desc") throw badRequest(`${dir} is invalid value for sort_dir`);
    return [k, dir === "desc"] as const;
  });
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  return String(a) < String(b) ? -1 : 1;
}

/**
 * A page of a sorted list: sorts by the requested keys (neutron adds `id` as the last key), then starts
 * after the marker's position. O(n log n) in the filtered rows, which only sorted lists pay.
 */
function sortedPage<T extends Row>(
  rows: T[],
  viewOf: (r: T) => View,
  sorts: Sort[],
  marker: T | undefined,
  limit: number,
  reverse: boolean,
): { rows: T[]; more: boolean } {
  const sample = rows[0] ? viewOf(rows[0]) : undefined;
  for (const [key] of sorts) {
    // NOTE: neutron refuses sort keys that are not attributes of the resource (400).
    if (sample && !(key in sample)) throw badRequest(`${key} is invalid attribute for sort_key`);
  }
  const all: Sort[] = [...sorts, ["id", sorts[sorts.length - 1]?.[1] ?? false]];
  const cmp = (a: T, b: T) => {
    const va = viewOf(a);
    const vb = viewOf(b);
    for (const [key, desc] of all) {
      const d = compareValues(va[key], vb[key]);
      if (d !== 0) return desc ? -d : d;
    }
    return 0;
  };
  const sorted = [...rows].sort(cmp);
  if (reverse) sorted.reverse();
  let start = 0;
  if (marker) {
    const i = sorted.findIndex((r) => r.id === marker.id);
    start = i >= 0 ? i + 1 : sorted.findIndex((r) => (reverse ? -cmp(r, marker) : cmp(r, marker)) > 0);
    if (start < 0) start = sorted.length;
  }
  const page = sorted.slice(start, start + limit);
  return { rows: page, more: start + limit < sorted.length };
}

/**
 * Answers a neutron list: attribute filters (any field, repeated = OR), tag filters, `changed_since`
 * (on `updated_at`, as the standard-attr timestamp extension does), `fields`, and limit/marker
 * pagination with `<collection>_links`.
 */
export function neutronList<T extends Row & { updated: number; tags?: string[] }>(
  c: SimContext,
  collection: string,
  rows: readonly T[],
  view: (row: T) => View,
): Response {
  const world = c.var.sim.world;
  const url = new URL(c.req.url);
  let since: number | undefined;
  const sinceText = c.req.query("changed_since");
  if (sinceText !== undefined) {
    since = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(sinceText) ? sinceText : `${sinceText}Z`);
    if (Number.isNaN(since))
      throw badRequest(`Invalid input for changed_since. Reason: '${sinceText}' is not a valid timestamp.`);
  }
  const tags = tagFilter(c);
  const filters: [string, string[]][] = [];
  for (const key of new Set(url.searchParams.keys())) {
    if (!RESERVED.has(key)) filters.push([key, url.searchParams.getAll(key)]);
  }
  const limitText = c.req.query("limit");
  const limit = limitText === undefined ? undefined : Number(limitText);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw badRequest(`Bad limit request: Limit must be an integer 0 or greater and not '${limitText}'.`);
  }
  const markerId = c.req.query("marker");
  const marker = markerId === undefined ? undefined : rows.find((r) => r.id === markerId);
  if (markerId !== undefined && !marker) throw badRequest(`Marker ${markerId} could not be found.`);
  const views = new Map<T, View>();
  const viewOf = (r: T) => {
    let v = views.get(r);
    if (!v) {
      v = view(r);
      views.set(r, v);
    }
    return v;
  };
  const predicate = (r: T) => {
    if (since !== undefined && r.updated < since) return false;
    if (tags && !tags(r.tags ?? [])) return false;
    if (filters.length === 0) return true;
    const v = viewOf(r);
    return filters.every(([k, wanted]) => matchesValue(v[k], wanted));
  };
  const reverse = c.req.query("page_reverse") === "True" || c.req.query("page_reverse") === "true";
  const pageLimit = limit === undefined || limit === 0 ? Number.MAX_SAFE_INTEGER : limit;
  const sorts = sortSpec(c);
  const { rows: page, more } =
    sorts.length === 0
      ? pageOf(rows, {
          descending: reverse,
          ...(marker ? { afterSeq: marker.seq } : {}),
          limit: pageLimit,
          predicate,
        })
      : sortedPage(rows.filter(predicate), viewOf, sorts, marker, pageLimit, reverse);
  const fields = (c.req.queries("fields") ?? []).flatMap((f) => f.split(","));
  const out = page.map((r) => {
    const v = viewOf(r);
    if (fields.length === 0) return v;
    return Object.fromEntries(fields.filter((f) => f in v).map((f) => [f, v[f]]));
  });
  const body: Record<string, unknown> = { [collection]: out };
  if (limit !== undefined && limit > 0) {
    const links: { href: string; rel: string }[] = [];
    const link = (m: string, rel: string, reverse: boolean) => {
      const u = new URL(url);
      u.searchParams.set("marker", m);
      u.searchParams.delete("page_reverse");
      if (reverse) u.searchParams.set("page_reverse", "True");
      links.push({ href: `${world.profile ? c.var.sim.baseUrl : ""}${u.pathname}${u.search}`, rel });
    };
    const last = page[page.length - 1];
    if (more && last) link(last.id, "next", false);
    if (marker && page[0]) link(page[0].id, "previous", true);
    body[`${collection}_links`] = links;
  }
  return json(c, 200, body);
}
