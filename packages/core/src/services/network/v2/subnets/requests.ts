import { ValidationError } from "../../../../errors.js";
import type { ServiceClient } from "../../../../http/types.js";
import type { CallOptions } from "../../../call-options.js";
import { type QueryNames, queryOf, requireId } from "../../../query.js";
import { NEUTRON_LIST_QUERY, type NeutronListOptions, validateListOptions } from "../query.js";
import { compact, createItem, deleteItem, getItem, listItems, updateItem } from "../resource.js";
import { SUBNETS } from "./urls.js";
import type {
  AllocationPoolWire,
  HostRouteWire,
  SubnetCreateWire,
  SubnetUpdateWire,
  SubnetWire,
} from "./wire.js";

/** Filters of `GET /v2.0/subnets`. */
export interface ListSubnetsOptions extends NeutronListOptions {
  readonly id?: string;
  readonly name?: string;
  readonly networkId?: string;
  readonly cidr?: string;
  readonly ipVersion?: 4 | 6;
  readonly gatewayIp?: string;
  readonly enableDhcp?: boolean;
  readonly subnetpoolId?: string;
  readonly segmentId?: string;
  readonly ipv6AddressMode?: string;
  readonly ipv6RaMode?: string;
}

/** The one table of query names of subnets. */
export const SUBNET_QUERY: QueryNames<ListSubnetsOptions> = {
  ...NEUTRON_LIST_QUERY,
  id: "id",
  name: "name",
  networkId: "network_id",
  cidr: "cidr",
  ipVersion: "ip_version",
  gatewayIp: "gateway_ip",
  enableDhcp: "enable_dhcp",
  subnetpoolId: "subnetpool_id",
  segmentId: "segment_id",
  ipv6AddressMode: "ipv6_address_mode",
  ipv6RaMode: "ipv6_ra_mode",
};

/** Every subnet matching the filters, page after page. */
export function listSubnets(
  client: ServiceClient,
  options: ListSubnetsOptions = {},
  call: CallOptions = {},
): AsyncGenerator<SubnetWire, void, undefined> {
  validateListOptions(options);
  return listItems<SubnetWire>(client, SUBNETS, queryOf(options, SUBNET_QUERY), call);
}

/** One subnet by id. */
export function getSubnet(client: ServiceClient, id: string, call: CallOptions = {}): Promise<SubnetWire> {
  return getItem<SubnetWire>(client, SUBNETS, requireId("id", id), call);
}

/** What a new subnet is made of: a network, an IP version, and a CIDR or a subnet pool. */
export interface CreateSubnetOptions {
  readonly networkId: string;
  readonly ipVersion: 4 | 6;
  readonly cidr?: string;
  readonly name?: string;
  readonly description?: string;
  readonly projectId?: string;
  /** null: no gateway. */
  readonly gatewayIp?: string | null;
  readonly enableDhcp?: boolean;
  readonly allocationPools?: readonly AllocationPoolWire[];
  readonly dnsNameservers?: readonly string[];
  readonly hostRoutes?: readonly HostRouteWire[];
  readonly ipv6AddressMode?: "slaac" | "dhcpv6-stateful" | "dhcpv6-stateless";
  readonly ipv6RaMode?: "slaac" | "dhcpv6-stateful" | "dhcpv6-stateless";
  readonly subnetpoolId?: string;
  readonly useDefaultSubnetpool?: boolean;
  readonly prefixlen?: number;
  readonly segmentId?: string;
  readonly serviceTypes?: readonly string[];
}

/** Changes to a subnet. */
export interface UpdateSubnetOptions {
  readonly name?: string;
  readonly description?: string;
  readonly gatewayIp?: string | null;
  readonly enableDhcp?: boolean;
  readonly allocationPools?: readonly AllocationPoolWire[];
  readonly dnsNameservers?: readonly string[];
  readonly hostRoutes?: readonly HostRouteWire[];
  readonly serviceTypes?: readonly string[];
  readonly segmentId?: string | null;
}

/** Creates a subnet (`POST /v2.0/subnets`, 201). */
export function createSubnet(
  client: ServiceClient,
  options: CreateSubnetOptions,
  call: CallOptions = {},
): Promise<SubnetWire> {
  requireId("networkId", options.networkId);
  if (options.ipVersion !== 4 && options.ipVersion !== 6) {
    throw new ValidationError("ipVersion", "must be 4 or 6");
  }
  if (options.cidr === undefined && options.subnetpoolId === undefined && !options.useDefaultSubnetpool) {
    throw new ValidationError("cidr", "is required unless a subnet pool is given");
  }
  const body: SubnetCreateWire = {
    network_id: options.networkId,
    ip_version: options.ipVersion,
    ...compact({
      cidr: options.cidr,
      name: options.name,
      description: options.description,
      project_id: options.projectId,
      gateway_ip: options.gatewayIp,
      enable_dhcp: options.enableDhcp,
      allocation_pools: options.allocationPools,
      dns_nameservers: options.dnsNameservers,
      host_routes: options.hostRoutes,
      ipv6_address_mode: options.ipv6AddressMode,
      ipv6_ra_mode: options.ipv6RaMode,
      subnetpool_id: options.subnetpoolId,
      use_default_subnetpool: options.useDefaultSubnetpool,
      prefixlen: options.prefixlen,
      segment_id: options.segmentId,
      service_types: options.serviceTypes,
    }),
  };
  return createItem<SubnetWire>(client, SUBNETS, body, call);
}

/** Updates a subnet (`PUT /v2.0/subnets/{id}`). */
export function updateSubnet(
  client: ServiceClient,
  id: string,
  changes: UpdateSubnetOptions,
  call: CallOptions = {},
): Promise<SubnetWire> {
  requireId("id", id);
  const body: SubnetUpdateWire = compact({
    name: changes.name,
    description: changes.description,
    gateway_ip: changes.gatewayIp,
    enable_dhcp: changes.enableDhcp,
    allocation_pools: changes.allocationPools,
    dns_nameservers: changes.dnsNameservers,
    host_routes: changes.hostRoutes,
    service_types: changes.serviceTypes,
    segment_id: changes.segmentId,
  });
  if (Object.keys(body).length === 0) throw new ValidationError("changes", "nothing to update");
  return updateItem<SubnetWire>(client, SUBNETS, id, body, call);
}

/** Deletes a subnet (`DELETE /v2.0/subnets/{id}`, 204). */
export function deleteSubnet(client: ServiceClient, id: string, call: CallOptions = {}): Promise<void> {
  return deleteItem(client, SUBNETS, requireId("id", id), call);
}
