import { paginate } from "../../../../http/paginate.js";
import type { HttpResponse, ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { countOf, metadataHeaders, metadataOf } from "../headers.js";
import { type ListingOptions, listingQuery, swiftListingStrategy } from "../listing.js";
import { accountPath } from "../urls.js";
import type { AccountHeadWire, ContainerListingWire } from "../wire.js";

function accountHeadOf(response: HttpResponse): AccountHeadWire {
  const headers = response.headers;
  return {
    containerCount: countOf(headers, "x-account-container-count"),
    objectCount: countOf(headers, "x-account-object-count"),
    bytesUsed: countOf(headers, "x-account-bytes-used"),
    metadata: metadataOf(headers, "account"),
    headers,
  };
}

/** The account's totals and metadata (`HEAD /v1/AUTH_x`, 204 or 200). */
export async function headAccount(client: ServiceClient, call: CallOptions = {}): Promise<AccountHeadWire> {
  const response = await client.request({
    method: "HEAD",
    path: accountPath(),
    okStatus: [200, 204],
    ...callFields(call),
  });
  return accountHeadOf(response);
}

/** Every container of the account (`GET /v1/AUTH_x?format=json`), page after page by marker. */
export function listContainers(
  client: ServiceClient,
  options: ListingOptions = {},
  call: CallOptions = {},
): AsyncGenerator<ContainerListingWire, void, undefined> {
  return paginate<ContainerListingWire>(
    client,
    {
      method: "GET",
      path: accountPath(),
      query: listingQuery(options),
      okStatus: [200, 204],
      ...callFields(call),
    },
    swiftListingStrategy<ContainerListingWire>((item) => item.name, options.limit),
  );
}

/** Sets account metadata (`POST /v1/AUTH_x`, 204); keys not given are kept. */
export async function updateAccountMetadata(
  client: ServiceClient,
  metadata: Readonly<Record<string, string>>,
  call: CallOptions = {},
): Promise<void> {
  await client.request({
    method: "POST",
    path: accountPath(),
    headers: metadataHeaders(metadata, "account"),
    okStatus: [204],
    ...callFields(call),
  });
}
