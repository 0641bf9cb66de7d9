import type { HttpResponse, RequestOptions, ServiceClient } from "./types.js";

/**
 * How one resource pages. OpenStack has three styles, and each binding says which it uses:
 * a `<resource>_links` array with rel "next" (nova, cinder, neutron), a top-level `next`
 * path (glance v2), or a plain marker (nova-network lists, swift).
 */
export interface PageStrategy<T> {
  /** The items of one page. */
  items(body: unknown): readonly T[];
  /** The request for the page after this one, or undefined when this was the last. */
  next(
    body: unknown,
    items: readonly T[],
    request: RequestOptions,
    response: HttpResponse,
  ): RequestOptions | undefined;
}

/** Yields the items of every page, fetching the next page only when the consumer wants it. */
export async function* paginate<T>(
  client: ServiceClient,
  first: RequestOptions,
  strategy: PageStrategy<T>,
): AsyncGenerator<T, void, undefined> {
  let request: RequestOptions | undefined = first;
  while (request) {
    const response = await client.request(request);
    const body = response.json();
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
    items: (body) => ((body as Record<string, T[] | undefined>)[itemsKey] ?? []) as readonly T[],
    next: (body, _items, request) => {
      const links = (body as Record<string, Link[] | undefined>)[linksKey] ?? [];
      const href = links.find((link) => link.rel === "next")?.href;
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
    items: (body) => ((body as Record<string, T[] | undefined>)[itemsKey] ?? []) as readonly T[],
    next: (body, _items, request) => {
      const next = (body as { next?: string }).next;
      if (!next) return undefined;
      return { ...request, path: next.replace(/^\/v\d+(\.\d+)?(?=\/)/, ""), query: undefined };
    },
  };
}

/** Pages by `marker=<id of the last item>` while full pages of `limit` come back. */
export function markerStrategy<T>(
  itemsKey: string,
  limit: number,
  idOf: (item: T) => string,
): PageStrategy<T> {
  return {
    items: (body) => ((body as Record<string, T[] | undefined>)[itemsKey] ?? []) as readonly T[],
    next: (_body, items, request) => {
      const last = items[items.length - 1];
      if (items.length < limit || last === undefined) return undefined;
      return { ...request, query: { ...request.query, limit, marker: idOf(last) } };
    },
  };
}
