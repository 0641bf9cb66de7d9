import { OaktreeError } from "../../../errors.js";
import { linksStrategy, paginate } from "../../../http/paginate.js";
import type { Query, ServiceClient } from "../../../http/types.js";
import { type CallOptions, callFields } from "../../call-options.js";

/**
 * The five calls every neutron resource shares, parameterized by its collection path and its
 * JSON keys (`/networks`, `network`, `networks`). Resource modules wrap them in typed functions.
 * NOTE: neutron answers create with 201, update/get with 200, delete with 204.
 */
export interface NeutronResource {
  /** Collection path relative to the v2.0 endpoint, e.g. "/networks". */
  readonly path: string;
  /** Envelope key of one item, e.g. "network". */
  readonly singular: string;
  /** Envelope key of a list, e.g. "networks" (pages by `networks_links`). */
  readonly plural: string;
}

/** The path of one item of a resource. */
export function itemPath(resource: NeutronResource, id: string): string {
  return `${resource.path}/${encodeURIComponent(id)}`;
}

/** Lists every item, page after page, following `<plural>_links` rel="next". */
export function listItems<W>(
  client: ServiceClient,
  resource: NeutronResource,
  query: Query,
  call: CallOptions,
): AsyncGenerator<W, void, undefined> {
  return paginate<W>(
    client,
    { method: "GET", path: resource.path, query, okStatus: [200], ...callFields(call) },
    linksStrategy<W>(resource.plural),
  );
}

/** GET one item. */
export async function getItem<W>(
  client: ServiceClient,
  resource: NeutronResource,
  id: string,
  call: CallOptions,
  query?: Query,
): Promise<W> {
  const response = await client.request({
    method: "GET",
    path: itemPath(resource, id),
    ...(query !== undefined && { query }),
    okStatus: [200],
    ...callFields(call),
  });
  return unwrap<W>(response.json(), resource.singular);
}

/** POST a new item. */
export async function createItem<W>(
  client: ServiceClient,
  resource: NeutronResource,
  body: object,
  call: CallOptions,
): Promise<W> {
  const response = await client.request({
    method: "POST",
    path: resource.path,
    json: { [resource.singular]: body },
    okStatus: [201],
    ...callFields(call),
  });
  return unwrap<W>(response.json(), resource.singular);
}

/** PUT changes to an item. */
export async function updateItem<W>(
  client: ServiceClient,
  resource: NeutronResource,
  id: string,
  body: object,
  call: CallOptions,
  ifRevision?: number,
): Promise<W> {
  const response = await client.request({
    method: "PUT",
    path: itemPath(resource, id),
    json: { [resource.singular]: body },
    okStatus: [200],
    // NOTE: neutron's revision-if-match extension: the update applies only if the object
    // is still at this revision, else 412 Precondition Failed (a compare-and-swap).
    ...(ifRevision !== undefined && { headers: { "If-Match": `revision_number=${ifRevision}` } }),
    ...callFields(call),
  });
  return unwrap<W>(response.json(), resource.singular);
}

/** DELETE an item. */
export async function deleteItem(
  client: ServiceClient,
  resource: NeutronResource,
  id: string,
  call: CallOptions,
): Promise<void> {
  await client.request({
    method: "DELETE",
    path: itemPath(resource, id),
    okStatus: [204],
    ...callFields(call),
  });
}

/** The item inside `{"<key>": {...}}`; a body without the envelope is the cloud's fault. */
export function unwrap<W>(body: unknown, key: string): W {
  const value = (body as Record<string, unknown> | undefined)?.[key];
  if (value === undefined || value === null || typeof value !== "object") {
    throw new OaktreeError(`network: the response has no "${key}" object`);
  }
  return value as W;
}

export { compact } from "../../query.js";
