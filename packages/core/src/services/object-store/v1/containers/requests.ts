import { paginate } from "../../../../http/paginate.js";
import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { countOf, metadataHeaders, metadataOf } from "../headers.js";
import { type ListingOptions, listingQuery, swiftListingStrategy } from "../listing.js";
import { containerPath } from "../urls.js";
import type { ContainerHeadWire, ObjectListingWire } from "../wire.js";

/** How a container is created or changed. */
export interface CreateContainerOptions {
  readonly metadata?: Readonly<Record<string, string>>;
  /** Read ACL, e.g. ".r:*" for a public container. */
  readonly read?: string;
  readonly write?: string;
  /** A storage policy name; only at creation. */
  readonly storagePolicy?: string;
}

/** Creates a container, or updates its headers if it exists (`PUT /{container}`, 201 or 202). */
export async function createContainer(
  client: ServiceClient,
  container: string,
  options: CreateContainerOptions = {},
  call: CallOptions = {},
): Promise<void> {
  const path = containerPath(container);
  const headers = {
    ...metadataHeaders(options.metadata, "container"),
    ...(options.read !== undefined && { "X-Container-Read": options.read }),
    ...(options.write !== undefined && { "X-Container-Write": options.write }),
    ...(options.storagePolicy !== undefined && { "X-Storage-Policy": options.storagePolicy }),
  };
  await client.request({ method: "PUT", path, headers, okStatus: [201, 202], ...callFields(call) });
}

/** A container's totals and metadata (`HEAD /{container}`, 204 or 200). */
export async function headContainer(
  client: ServiceClient,
  container: string,
  call: CallOptions = {},
): Promise<ContainerHeadWire> {
  const response = await client.request({
    method: "HEAD",
    path: containerPath(container),
    okStatus: [200, 204],
    ...callFields(call),
  });
  const headers = response.headers;
  return {
    objectCount: countOf(headers, "x-container-object-count"),
    bytesUsed: countOf(headers, "x-container-bytes-used"),
    metadata: metadataOf(headers, "container"),
    headers,
  };
}

/** Every object of a container (`GET /{container}?format=json`), page after page by marker. */
export function listObjects(
  client: ServiceClient,
  container: string,
  options: ListingOptions = {},
  call: CallOptions = {},
): AsyncGenerator<ObjectListingWire, void, undefined> {
  return paginate<ObjectListingWire>(
    client,
    {
      method: "GET",
      path: containerPath(container),
      query: listingQuery(options),
      okStatus: [200, 204],
      ...callFields(call),
    },
    swiftListingStrategy<ObjectListingWire>((item) => item.name, options.limit),
  );
}

/** Deletes an empty container (`DELETE /{container}`, 204; 409 when it still has objects). */
export async function deleteContainer(
  client: ServiceClient,
  container: string,
  call: CallOptions = {},
): Promise<void> {
  await client.request({
    method: "DELETE",
    path: containerPath(container),
    okStatus: [204],
    ...callFields(call),
  });
}
