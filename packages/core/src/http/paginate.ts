import { OaktreeError } from "../errors.js";
import type { HttpResponse, Query, RequestOptions, ServiceClient } from "./types.js";

/**
 * How one resource pages. OpenStack has three styles, and each binding says which it uses:
 * a `<resource>_links` array with rel "next" (nova, cinder, neutron), a top-level `next`
 * path (glance v2), or a plain marker (nova-network lists, swift).
 */
export interface PageStrategy<T> {
  /** The items of one page. `body` is whatever the response parsed to (undefined when empty). */
  items(body: unknown): readonly T[];
  /** The request for the page after this one, or undefined when this was the last. */
  next(
    body: unknown,
    items: readonly T[],
    request: RequestOptions,
    response: HttpResponse,
  ): RequestOptions | undefined;
  /** Adjusts the first request (e.g. adds the page size the strategy relies on). */
  first?(request: RequestOptions): RequestOptions;
}

/** A cloud that keeps answering with a page we already fetched. */
export class PaginationLoopError extends OaktreeError {
  override readonly name = "PaginationLoopError";
}

/**
 * Yields the items of every page, fetching the next page only when the consumer wants it.
 * Stops at an empty page, and throws {@link PaginationLoopError} if the cloud sends us back to
 * a page we already fetched (a service ignoring `marker` would otherwise loop forever).
 */
export async function* paginate<T>(
  client: ServiceClient,
  first: RequestOptions,
  strategy: PageStrategy<T>,
): AsyncGenerator<T, void, undefined> {
  let request: RequestOptions | undefined = strategy.first ? strategy.first(first) : first;
  const seen = new Set<string>();
  while (request) {
    const key = requestKey(request);
    if (seen.has(key)) {
      throw new PaginationLoopError(
        `${client.serviceType}: the cloud sent us back to a page already read (${request.path}); stopping`,
      );
    }
    seen.add(key);
    const response = await client.request(request);
    const body: unknown = response.json();
    const items = strategy.items(body);
    yield* items;
    request = items.length === 0 ? undefined : strategy.next(body, items, request, response);
  }
}

/** Collects every item of every page. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

interface Link {
  readonly rel?: string;
  readonly href?: string;
}

/** Pages by a `<key>_links` array (nova `servers_links`, neutron `networks_links`, cinder `volumes_links`). */
export function linksStrategy<T>(itemsKey: string, linksKey = `${itemsKey}_links`): PageStrategy<T> {
  return {
    items: (body) => itemsOf<T>(body, itemsKey),
    next: (body, _items, request) => {
      const links = isRecord(body) && Array.isArray(body[linksKey]) ? (body[linksKey] as Link[]) : [];
      const href = links.find((link) => link?.rel === "next")?.href;
      // The next link carries every query parameter, so the original query is dropped.
      return href ? { ...request, path: href, query: undefined } : undefined;
    },
  };
}

/**
 * Pages by a top-level `next` path (glance v2 `"next": "/v2/images?marker=..."`).
 * NOTE: glance gives the path from its unversioned root whatever prefix the endpoint has,
 * so the version segment is dropped and the rest is taken relative to the versioned endpoint.
 */
export function nextPathStrategy<T>(itemsKey: string): PageStrategy<T> {
  return {
    items: (body) => itemsOf<T>(body, itemsKey),
    next: (body, _items, request) => {
      const next = isRecord(body) ? body.next : undefined;
      if (typeof next !== "string" || next === "") return undefined;
      return { ...request, path: next.replace(/^\/v\d+(\.\d+)?(?=\/)/, ""), query: undefined };
    },
  };
}

/**
 * Pages by `marker=<id of the last item>` while full pages of `limit` come back. `limit` is
 * sent from the first page on: it must not exceed the service's own cap (nova
 * `max_limit` 1000, swift `container_listing_limit` 10000), or a capped page looks like the
 * last one.
 */
export function markerStrategy<T>(
  itemsKey: string,
  limit: number,
  idOf: (item: T) => string,
): PageStrategy<T> {
  return {
    items: (body) => itemsOf<T>(body, itemsKey),
    first: (request) => ({ ...request, query: { ...request.query, limit } }),
    next: (_body, items, request) => {
      const last = items[items.length - 1];
      if (items.length < limit || last === undefined) return undefined;
      return { ...request, query: { ...request.query, limit, marker: idOf(last) } };
    },
  };
}

function itemsOf<T>(body: unknown, key: string): readonly T[] {
  if (!isRecord(body)) return [];
  const items = body[key];
  return Array.isArray(items) ? (items as T[]) : [];
}

function requestKey(request: RequestOptions): string {
  return `${request.path}?${JSON.stringify(sortedQuery(request.query))}`;
}

function sortedQuery(query: Query | undefined): [string, unknown][] {
  return Object.entries(query ?? {})
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
