import { linksStrategy, paginate } from "../../../../http/paginate.js";
import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import {
  type QueryNames,
  queryOf,
  requireId,
  requireNonNegativeInteger,
  requirePositiveInteger,
} from "../../../query.js";
import { flavorExtraSpecsPath, flavorPath, flavorsDetailPath } from "./urls.js";
import type { FlavorWire } from "./wire.js";

/** Filters and paging of GET /flavors/detail. */
export interface ListFlavorsOptions {
  /** Flavors with at least this much RAM (MiB). */
  readonly minRam?: number;
  /** Flavors with at least this much disk (GiB). */
  readonly minDisk?: number;
  /** Admins: true (default) public only, false private only, "None" both. */
  readonly isPublic?: boolean | "None";
  readonly sortKey?: string;
  readonly sortDir?: "asc" | "desc";
  readonly limit?: number;
  readonly marker?: string;
}

const LIST_QUERY: QueryNames<ListFlavorsOptions> = {
  minRam: "minRam",
  minDisk: "minDisk",
  isPublic: "is_public",
  sortKey: "sort_key",
  sortDir: "sort_dir",
  limit: "limit",
  marker: "marker",
};

/** GET /flavors/detail, page after page (`flavors_links`). */
export function listFlavors(
  client: ServiceClient,
  options: ListFlavorsOptions = {},
  call: CallOptions = {},
): AsyncGenerator<FlavorWire, void, undefined> {
  requirePositiveInteger("limit", options.limit);
  requireNonNegativeInteger("minRam", options.minRam);
  requireNonNegativeInteger("minDisk", options.minDisk);
  const query = queryOf(options, LIST_QUERY);
  return paginate<FlavorWire>(
    client,
    { method: "GET", path: flavorsDetailPath(), query, okStatus: [200], ...callFields(call) },
    linksStrategy("flavors"),
  );
}

/** GET /flavors/{id}. */
export async function getFlavor(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<FlavorWire> {
  requireId("id", id);
  const response = await client.request({
    method: "GET",
    path: flavorPath(id),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ flavor: FlavorWire }>().flavor;
}

/** GET /flavors/{id}/os-extra_specs (embedded in flavors themselves from 2.61 on). */
export async function getFlavorExtraSpecs(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<Record<string, string>> {
  requireId("id", id);
  const response = await client.request({
    method: "GET",
    path: flavorExtraSpecsPath(id),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ extra_specs: Record<string, string> }>().extra_specs;
}
