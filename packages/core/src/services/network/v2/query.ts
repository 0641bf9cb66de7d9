import { ValidationError } from "../../../errors.js";
import { type QueryNames, requirePositiveInteger, requireTime } from "../../query.js";

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
export const NEUTRON_LIST_QUERY: QueryNames<NeutronListOptions> = {
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
  requirePositiveInteger("limit", options.limit);
  if (options.sortDir !== undefined && options.sortDir !== "asc" && options.sortDir !== "desc") {
    throw new ValidationError("sortDir", 'must be "asc" or "desc"');
  }
  requireTime("changedSince", options.changedSince);
}
