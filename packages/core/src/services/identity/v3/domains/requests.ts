import { paginate } from "../../../../http/paginate.js";
import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { queryOf, requireId } from "../../../query.js";
import { keystoneLinksStrategy } from "../keystone-links.js";
import { domainPath, domainsPath } from "./urls.js";
import type { DomainWire } from "./wire.js";

/** GET /domains/{id}: a domain's name for a Location. */
export async function getDomain(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<DomainWire> {
  requireId("id", id);
  const response = await client.request({
    method: "GET",
    path: domainPath(id),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ domain: DomainWire }>().domain;
}

/** GET /domains (admins). */
export function listDomains(
  client: ServiceClient,
  options: { readonly name?: string; readonly enabled?: boolean } = {},
  call: CallOptions = {},
): AsyncGenerator<DomainWire, void, undefined> {
  return paginate<DomainWire>(
    client,
    {
      method: "GET",
      path: domainsPath(),
      query: queryOf(options, { name: "name", enabled: "enabled" }),
      okStatus: [200],
      ...callFields(call),
    },
    keystoneLinksStrategy("domains"),
  );
}
