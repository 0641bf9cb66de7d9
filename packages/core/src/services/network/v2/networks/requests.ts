import { ValidationError } from "../../../../errors.js";
import type { ServiceClient } from "../../../../http/types.js";
import type { CallOptions } from "../../../call-options.js";
import { type QueryNames, queryOf, requireId } from "../../../query.js";
import { NEUTRON_LIST_QUERY, type NeutronListOptions, validateListOptions } from "../query.js";
import { compact, createItem, deleteItem, getItem, listItems, updateItem } from "../resource.js";
import { NETWORKS } from "./urls.js";
import type { NetworkCreateWire, NetworkUpdateWire, NetworkWire } from "./wire.js";

/** Filters of `GET /v2.0/networks`. */
export interface ListNetworksOptions extends NeutronListOptions {
  readonly id?: string;
  readonly name?: string;
  readonly description?: string;
  readonly status?: string;
  readonly shared?: boolean;
  readonly adminStateUp?: boolean;
  /** External networks only (`router:external=true`), or internal ones with false. */
  readonly routerExternal?: boolean;
  /** The default external network for auto-allocation (`is_default`). */
  readonly isDefault?: boolean;
  readonly mtu?: number;
  readonly providerNetworkType?: string;
  readonly providerPhysicalNetwork?: string;
  readonly providerSegmentationId?: number;
}

/** The one table of query names of networks. */
export const NETWORK_QUERY: QueryNames<ListNetworksOptions> = {
  ...NEUTRON_LIST_QUERY,
  id: "id",
  name: "name",
  description: "description",
  status: "status",
  shared: "shared",
  adminStateUp: "admin_state_up",
  routerExternal: "router:external",
  isDefault: "is_default",
  mtu: "mtu",
  providerNetworkType: "provider:network_type",
  providerPhysicalNetwork: "provider:physical_network",
  providerSegmentationId: "provider:segmentation_id",
};

/**
 * Every network matching the filters, page after page.
 *
 * @example for await (const net of listNetworks(network, { routerExternal: true })) ...
 */
export function listNetworks(
  client: ServiceClient,
  options: ListNetworksOptions = {},
  call: CallOptions = {},
): AsyncGenerator<NetworkWire, void, undefined> {
  validateListOptions(options);
  return listItems<NetworkWire>(client, NETWORKS, queryOf(options, NETWORK_QUERY), call);
}

/** One network by id. */
export function getNetwork(client: ServiceClient, id: string, call: CallOptions = {}): Promise<NetworkWire> {
  return getItem<NetworkWire>(client, NETWORKS, requireId("id", id), call);
}

/** What a new network is made of (every field optional: neutron names it ""). */
export interface CreateNetworkOptions {
  readonly name?: string;
  readonly description?: string;
  readonly adminStateUp?: boolean;
  readonly shared?: boolean;
  /** Admin only: create for another project. */
  readonly projectId?: string;
  readonly routerExternal?: boolean;
  readonly isDefault?: boolean;
  readonly mtu?: number;
  readonly portSecurityEnabled?: boolean;
  readonly availabilityZoneHints?: readonly string[];
  readonly dnsDomain?: string;
  readonly qosPolicyId?: string | null;
  readonly providerNetworkType?: string;
  readonly providerPhysicalNetwork?: string;
  readonly providerSegmentationId?: number;
}

/** Changes to a network. */
export type UpdateNetworkOptions = Omit<CreateNetworkOptions, "projectId" | "availabilityZoneHints">;

function networkBody(options: CreateNetworkOptions): NetworkCreateWire {
  if (options.mtu !== undefined && (!Number.isInteger(options.mtu) || options.mtu < 68)) {
    throw new ValidationError("mtu", "must be an integer of at least 68");
  }
  return compact({
    name: options.name,
    description: options.description,
    admin_state_up: options.adminStateUp,
    shared: options.shared,
    project_id: options.projectId,
    "router:external": options.routerExternal,
    is_default: options.isDefault,
    mtu: options.mtu,
    port_security_enabled: options.portSecurityEnabled,
    availability_zone_hints: options.availabilityZoneHints,
    dns_domain: options.dnsDomain,
    qos_policy_id: options.qosPolicyId,
    "provider:network_type": options.providerNetworkType,
    "provider:physical_network": options.providerPhysicalNetwork,
    "provider:segmentation_id": options.providerSegmentationId,
  });
}

/** Creates a network (`POST /v2.0/networks`, 201). */
export function createNetwork(
  client: ServiceClient,
  options: CreateNetworkOptions = {},
  call: CallOptions = {},
): Promise<NetworkWire> {
  return createItem<NetworkWire>(client, NETWORKS, networkBody(options), call);
}

/** Updates a network (`PUT /v2.0/networks/{id}`). */
export function updateNetwork(
  client: ServiceClient,
  id: string,
  changes: UpdateNetworkOptions,
  call: CallOptions = {},
): Promise<NetworkWire> {
  requireId("id", id);
  const body: NetworkUpdateWire = networkBody(changes);
  if (Object.keys(body).length === 0) throw new ValidationError("changes", "nothing to update");
  return updateItem<NetworkWire>(client, NETWORKS, id, body, call);
}

/** Deletes a network (`DELETE /v2.0/networks/{id}`, 204). */
export function deleteNetwork(client: ServiceClient, id: string, call: CallOptions = {}): Promise<void> {
  return deleteItem(client, NETWORKS, requireId("id", id), call);
}
