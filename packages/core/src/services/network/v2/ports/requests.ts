import { ValidationError } from "../../../../errors.js";
import type { ServiceClient } from "../../../../http/types.js";
import type { CallOptions } from "../../../call-options.js";
import { type QueryNames, queryOf, requireId } from "../../../query.js";
import { NEUTRON_LIST_QUERY, type NeutronListOptions, validateListOptions } from "../query.js";
import { compact, createItem, deleteItem, getItem, listItems, updateItem } from "../resource.js";
import { PORTS } from "./urls.js";
import type { AllowedAddressPairWire, PortCreateWire, PortUpdateWire, PortWire } from "./wire.js";

/** A fixed-IP filter: by subnet, by address, or both (`fixed_ips=ip_address=10.0.0.3`). */
export interface FixedIpFilter {
  readonly subnetId?: string;
  readonly ipAddress?: string;
  /** Addresses that start with this (extension "ip-substring-filtering"). */
  readonly ipAddressSubstr?: string;
}

/** Filters of `GET /v2.0/ports`. */
export interface ListPortsOptions extends NeutronListOptions {
  readonly id?: string;
  readonly name?: string;
  readonly networkId?: string;
  readonly deviceId?: string;
  readonly deviceOwner?: string;
  readonly macAddress?: string;
  readonly status?: string;
  readonly adminStateUp?: boolean;
  readonly bindingHostId?: string;
  /** Every item is one repeated `fixed_ips=` parameter. */
  readonly fixedIps?: readonly FixedIpFilter[];
  readonly securityGroups?: readonly string[];
}

/** The one table of query names of ports. */
export const PORT_QUERY: QueryNames<ListPortsOptions> = {
  ...NEUTRON_LIST_QUERY,
  id: "id",
  name: "name",
  networkId: "network_id",
  deviceId: "device_id",
  deviceOwner: "device_owner",
  macAddress: "mac_address",
  status: "status",
  adminStateUp: "admin_state_up",
  bindingHostId: "binding:host_id",
  fixedIps: "fixed_ips",
  securityGroups: "security_groups",
};

/**
 * NOTE: neutron filters ports by address with `fixed_ips=ip_address=X` (and `subnet_id=Y`,
 * `ip_address_substr=Z`), one repeated parameter per condition.
 */
function fixedIpTerms(filters: readonly FixedIpFilter[]): string[] {
  return filters.flatMap((filter, index) => {
    const terms = Object.entries({
      subnet_id: filter.subnetId,
      ip_address: filter.ipAddress,
      ip_address_substr: filter.ipAddressSubstr,
    })
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${value}`);
    if (terms.length === 0) throw new ValidationError(`fixedIps[${index}]`, "needs subnetId or ipAddress");
    return terms;
  });
}

/**
 * Every port matching the filters, page after page.
 *
 * @example listPorts(network, { deviceId: serverId }) // the ports of one server
 */
export function listPorts(
  client: ServiceClient,
  options: ListPortsOptions = {},
  call: CallOptions = {},
): AsyncGenerator<PortWire, void, undefined> {
  validateListOptions(options);
  const { fixedIps, ...rest } = options;
  const query = queryOf(rest, PORT_QUERY);
  const full =
    fixedIps === undefined ? query : { ...query, [PORT_QUERY.fixedIps as string]: fixedIpTerms(fixedIps) };
  return listItems<PortWire>(client, PORTS, full, call);
}

/** One port by id. */
export function getPort(client: ServiceClient, id: string, call: CallOptions = {}): Promise<PortWire> {
  return getItem<PortWire>(client, PORTS, requireId("id", id), call);
}

/** What a new port is made of. */
export interface CreatePortOptions {
  readonly networkId: string;
  readonly name?: string;
  readonly description?: string;
  readonly adminStateUp?: boolean;
  readonly projectId?: string;
  readonly macAddress?: string;
  readonly fixedIps?: readonly { readonly subnetId?: string; readonly ipAddress?: string }[];
  readonly deviceId?: string;
  readonly deviceOwner?: string;
  readonly securityGroupIds?: readonly string[];
  readonly allowedAddressPairs?: readonly AllowedAddressPairWire[];
  readonly portSecurityEnabled?: boolean;
  readonly bindingVnicType?: string;
  readonly bindingHostId?: string;
  readonly bindingProfile?: Record<string, unknown>;
  readonly dnsName?: string;
  readonly qosPolicyId?: string | null;
}

/** Changes to a port. */
export type UpdatePortOptions = Omit<CreatePortOptions, "networkId" | "projectId" | "macAddress">;

function portBody(options: UpdatePortOptions): PortUpdateWire {
  return compact({
    name: options.name,
    description: options.description,
    admin_state_up: options.adminStateUp,
    fixed_ips: options.fixedIps?.map((ip, index) => {
      if (ip.subnetId === undefined && ip.ipAddress === undefined) {
        throw new ValidationError(`fixedIps[${index}]`, "needs subnetId or ipAddress");
      }
      return compact({ subnet_id: ip.subnetId, ip_address: ip.ipAddress });
    }),
    device_id: options.deviceId,
    device_owner: options.deviceOwner,
    security_groups: options.securityGroupIds,
    allowed_address_pairs: options.allowedAddressPairs,
    port_security_enabled: options.portSecurityEnabled,
    "binding:vnic_type": options.bindingVnicType,
    "binding:host_id": options.bindingHostId,
    "binding:profile": options.bindingProfile,
    dns_name: options.dnsName,
    qos_policy_id: options.qosPolicyId,
  });
}

/** Creates a port (`POST /v2.0/ports`, 201). */
export function createPort(
  client: ServiceClient,
  options: CreatePortOptions,
  call: CallOptions = {},
): Promise<PortWire> {
  requireId("networkId", options.networkId);
  const body: PortCreateWire = {
    network_id: options.networkId,
    ...portBody(options),
    ...compact({ project_id: options.projectId, mac_address: options.macAddress }),
  };
  return createItem<PortWire>(client, PORTS, body, call);
}

/** Updates a port (`PUT /v2.0/ports/{id}`). */
export function updatePort(
  client: ServiceClient,
  id: string,
  changes: UpdatePortOptions,
  call: CallOptions = {},
): Promise<PortWire> {
  requireId("id", id);
  const body = portBody(changes);
  if (Object.keys(body).length === 0) throw new ValidationError("changes", "nothing to update");
  return updateItem<PortWire>(client, PORTS, id, body, call);
}

/** Deletes a port (`DELETE /v2.0/ports/{id}`, 204). */
export function deletePort(client: ServiceClient, id: string, call: CallOptions = {}): Promise<void> {
  return deleteItem(client, PORTS, requireId("id", id), call);
}
