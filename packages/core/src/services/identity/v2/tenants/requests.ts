import { linksStrategy, paginate } from "../../../../http/paginate.js";
import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { queryOf, requirePositiveInteger } from "../../../query.js";

/** A keystone v2.0 tenant (the old name of a project; v2.0 has no domains). */
export interface TenantWire {
  readonly id: string;
  readonly name: string;
  readonly description?: string | null;
  readonly enabled?: boolean;
}

/** `/tenants`, relative to the identity v2.0 endpoint. */
export const tenantsPath = (): string => "/tenants";

/** GET /tenants: the tenants the token's user belongs to (old clouds). */
export function listTenants(
  client: ServiceClient,
  options: { readonly limit?: number; readonly marker?: string } = {},
  call: CallOptions = {},
): AsyncGenerator<TenantWire, void, undefined> {
  requirePositiveInteger("limit", options.limit);
  return paginate<TenantWire>(
    client,
    {
      method: "GET",
      path: tenantsPath(),
      query: queryOf(options, { limit: "limit", marker: "marker" }),
      okStatus: [200],
      ...callFields(call),
    },
    linksStrategy("tenants"),
  );
}
