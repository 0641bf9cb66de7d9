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
  const { rows: page, more } = pageOf(rows, {
    descending: c.req.query("page_reverse") === "True" || c.req.query("page_reverse") === "true",
    ...(marker ? { afterSeq: marker.seq } : {}),
    limit: limit === undefined || limit === 0 ? Number.MAX_SAFE_INTEGER : limit,
    predicate,
  });
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
