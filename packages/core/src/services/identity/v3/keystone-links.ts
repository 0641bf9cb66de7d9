import type { PageStrategy } from "../../../http/paginate.js";

/**
 * Keystone v3 lists page (when the deployment sets list limits) by `links.next`, an absolute
 * URL or null: not nova's `<resource>_links` array nor glance's `next`.
 */
export function keystoneLinksStrategy<T>(itemsKey: string): PageStrategy<T> {
  return {
    items: (body) => ((body as Record<string, T[] | undefined>)[itemsKey] ?? []) as readonly T[],
    next: (body, _items, request) => {
      const next = (body as { links?: { next?: string | null } }).links?.next;
      return next ? { ...request, path: next, query: undefined } : undefined;
    },
  };
}
