import type { PageStrategy } from "../../../http/paginate.js";
import type { Query } from "../../../http/types.js";
import { type QueryNames, queryOf, requirePositiveInteger } from "../../query.js";

/** Filters of swift's account and container listings. */
export interface ListingOptions {
  /** Names starting with this. */
  readonly prefix?: string;
  /** Roll names up to this character into `subdir` entries (pseudo-folders). */
  readonly delimiter?: string;
  /** Page size (swift's default and maximum is usually 10000). */
  readonly limit?: number;
  /** Start after this name. */
  readonly marker?: string;
  /** Stop before this name. */
  readonly endMarker?: string;
}

/** The one table of query names of listings. */
export const LISTING_QUERY: QueryNames<ListingOptions> = {
  prefix: "prefix",
  delimiter: "delimiter",
  limit: "limit",
  marker: "marker",
  endMarker: "end_marker",
};

/** The listing query, with `format=json` (swift's default is plain text). */
export function listingQuery(options: ListingOptions): Query {
  requirePositiveInteger("limit", options.limit);
  return { format: "json", ...queryOf(options, LISTING_QUERY) };
}

/**
 * NOTE: swift listings are a bare JSON array (an empty body with 204 on some releases) and
 * page by `marker=<last name>`: the next page is asked for until one comes back empty, or
 * shorter than the limit when one was given.
 */
export function swiftListingStrategy<T>(nameOf: (item: T) => string, limit?: number): PageStrategy<T> {
  return {
    items: (body) => (Array.isArray(body) ? (body as T[]) : []),
    next: (_body, items, request) => {
      const last = items[items.length - 1];
      if (last === undefined || (limit !== undefined && items.length < limit)) return undefined;
      return { ...request, query: { ...request.query, marker: nameOf(last) } };
    },
  };
}
