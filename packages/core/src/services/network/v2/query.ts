import { ValidationError } from "../../../errors.js";
import type { Query, QueryValue } from "../../../http/types.js";

/**
 * How one option becomes a query parameter: a plain name, or a name whose array value is
 * sent once, comma-joined (neutron's `tags=a,b`), instead of repeating the key.
 */
export type QueryName = string | { readonly name: string; readonly join: "," };

/**
 * The one table of query names of a resource: every option key maps to the API's name, so a
 * new option cannot be forgotten in the table (`isDefault` -> `is_default`).
 */
export type QueryTable<O> = { readonly [K in keyof Required<O>]: QueryName };

/** A value an option may take; dates become ISO-8601 strings. */
export type OptionValue = string | number | boolean | Date | readonly (string | number)[] | null | undefined;

/**
 * Maps typed, camelCase options to the API's query through the resource's table. Undefined
 * options are dropped; null is sent as the empty string (neutron's "is null" filter).
 */
export function toQuery<O extends object>(options: O, table: QueryTable<O>): Query {
  const query: Record<string, QueryValue> = {};
  for (const [key, raw] of Object.entries(options) as [keyof O & string, OptionValue][]) {
    if (raw === undefined) continue;
    const entry = table[key];
    if (entry === undefined) throw new ValidationError(key, "is not a known list option");
    const name = typeof entry === "string" ? entry : entry.name;
    if (raw instanceof Date) query[name] = raw.toISOString();
    else if (raw === null) query[name] = "";
    else if (Array.isArray(raw) && typeof entry !== "string") query[name] = raw.join(entry.join);
    else query[name] = raw as QueryValue;
  }
  return query;
}

/** Options every neutron list call accepts: paging, sorting, field selection, tags, changes. */
export interface NeutronListOptions {
  /** Only these attributes in each item (`fields=id&fields=name`). */
  readonly fields?: readonly string[];
  /** Page size: neutron pages (and sends `<resource>_links`) only when a limit is given. */
  readonly limit?: number;
  /** Start after this id. */
  readonly marker?: string;
  readonly sortKey?: string;
  readonly sortDir?: "asc" | "desc";
  /** Items that have every one of these tags. */
  readonly tags?: readonly string[];
  /** Items that have at least one of these tags. */
  readonly tagsAny?: readonly string[];
  readonly notTags?: readonly string[];
  readonly notTagsAny?: readonly string[];
  /**
   * Items updated at or after this time.
   * NOTE: neutron's `changed_since` filter comes with the "standard-attr-timestamp" extension
   * (check `listExtensions`); unlike nova's `changes-since` it does not report deletions, so
   * an incremental poll still needs a periodic full list to see deleted items.
   */
  readonly changedSince?: Date | string;
  readonly projectId?: string;
}

/** The query names of {@link NeutronListOptions}. */
export const NEUTRON_LIST_QUERY: QueryTable<NeutronListOptions> = {
  fields: "fields",
  limit: "limit",
  marker: "marker",
  sortKey: "sort_key",
  sortDir: "sort_dir",
  tags: { name: "tags", join: "," },
  tagsAny: { name: "tags-any", join: "," },
  notTags: { name: "not-tags", join: "," },
  notTagsAny: { name: "not-tags-any", join: "," },
  changedSince: "changed_since",
  projectId: "project_id",
};

/** Checks the common options before any I/O. */
export function validateListOptions(options: NeutronListOptions): void {
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) {
    throw new ValidationError("limit", "must be a positive integer");
  }
  if (options.sortDir !== undefined && options.sortDir !== "asc" && options.sortDir !== "desc") {
    throw new ValidationError("sortDir", 'must be "asc" or "desc"');
  }
  if (typeof options.changedSince === "string" && Number.isNaN(Date.parse(options.changedSince))) {
    throw new ValidationError("changedSince", `"${options.changedSince}" is not an ISO-8601 time`);
  }
}

export { requireId } from "../../query.js";
