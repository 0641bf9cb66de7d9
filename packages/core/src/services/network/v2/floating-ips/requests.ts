import { ValidationError } from "../../../../errors.js";
import type { ServiceClient } from "../../../../http/types.js";
import type { CallOptions } from "../../../call-options.js";
import { type QueryNames, queryOf, requireId } from "../../../query.js";
import { NEUTRON_LIST_QUERY, type NeutronListOptions, validateListOptions } from "../query.js";
import { compact, createItem, deleteItem, getItem, listItems, updateItem } from "../resource.js";
import { FLOATING_IPS } from "./urls.js";
import type { FloatingIpCreateWire, FloatingIpUpdateWire, FloatingIpWire } from "./wire.js";

/** Filters of `GET /v2.0/floatingips`. */
export interface ListFloatingIpsOptions extends NeutronListOptions {
  readonly id?: string;
  /** A port id, or null for unattached floating IPs (sent as `port_id=`). */
  readonly portId?: string | null;
  readonly floatingNetworkId?: string;
  readonly floatingIpAddress?: string;
  readonly fixedIpAddress?: string;
  readonly routerId?: string;
  readonly status?: string;
  readonly description?: string;
}

/** The one table of query names of floating IPs. */
export const FLOATING_IP_QUERY: QueryNames<ListFloatingIpsOptions> = {
  ...NEUTRON_LIST_QUERY,
  id: "id",
  portId: "port_id",
  floatingNetworkId: "floating_network_id",
  floatingIpAddress: "floating_ip_address",
  fixedIpAddress: "fixed_ip_address",
  routerId: "router_id",
  status: "status",
  description: "description",
};

/** Every floating IP matching the filters, page after page. */
export function listFloatingIps(
  client: ServiceClient,
  options: ListFloatingIpsOptions = {},
  call: CallOptions = {},
): AsyncGenerator<FloatingIpWire, void, undefined> {
  validateListOptions(options);
  return listItems<FloatingIpWire>(client, FLOATING_IPS, queryOf(options, FLOATING_IP_QUERY), call);
}

/** One floating IP by id. */
export function getFloatingIp(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<FloatingIpWire> {
  return getItem<FloatingIpWire>(client, FLOATING_IPS, requireId("id", id), call);
}

/** A new floating IP on an external network, optionally bound to a port at once. */
export interface CreateFloatingIpOptions {
  readonly floatingNetworkId: string;
  readonly portId?: string;
  /** Which of the port's addresses, when it has several. */
  readonly fixedIpAddress?: string;
  /** A specific public address (often admin only). */
  readonly floatingIpAddress?: string;
  readonly subnetId?: string;
  readonly description?: string;
  readonly projectId?: string;
  readonly dnsName?: string;
  readonly dnsDomain?: string;
  readonly qosPolicyId?: string;
}

/** Creates a floating IP (`POST /v2.0/floatingips`, 201). */
export function createFloatingIp(
  client: ServiceClient,
  options: CreateFloatingIpOptions,
  call: CallOptions = {},
): Promise<FloatingIpWire> {
  requireId("floatingNetworkId", options.floatingNetworkId);
  if (options.fixedIpAddress !== undefined && options.portId === undefined) {
    throw new ValidationError("fixedIpAddress", "needs portId");
  }
  const body: FloatingIpCreateWire = {
    floating_network_id: options.floatingNetworkId,
    ...compact({
      port_id: options.portId,
      fixed_ip_address: options.fixedIpAddress,
      floating_ip_address: options.floatingIpAddress,
      subnet_id: options.subnetId,
      description: options.description,
      project_id: options.projectId,
      dns_name: options.dnsName,
      dns_domain: options.dnsDomain,
      qos_policy_id: options.qosPolicyId,
    }),
  };
  return createItem<FloatingIpWire>(client, FLOATING_IPS, body, call);
}

/** Changes to a floating IP: `portId: null` disassociates it. */
export interface UpdateFloatingIpOptions {
  readonly portId?: string | null;
  readonly fixedIpAddress?: string;
  readonly description?: string;
  readonly qosPolicyId?: string | null;
  /**
   * Apply only if the floating IP is still at this `revision_number` (extension
   * "revision-if-match"); otherwise neutron answers 412 and nothing changes.
   */
  readonly ifRevision?: number;
}

/**
 * Associates (`portId`), disassociates (`portId: null`) or describes a floating IP
 * (`PUT /v2.0/floatingips/{id}`).
 */
export function updateFloatingIp(
  client: ServiceClient,
  id: string,
  changes: UpdateFloatingIpOptions,
  call: CallOptions = {},
): Promise<FloatingIpWire> {
  requireId("id", id);
  if (changes.fixedIpAddress !== undefined && !changes.portId) {
    throw new ValidationError("fixedIpAddress", "needs portId");
  }
  const body: FloatingIpUpdateWire = compact({
    port_id: changes.portId,
    fixed_ip_address: changes.fixedIpAddress,
    description: changes.description,
    qos_policy_id: changes.qosPolicyId,
  });
  if (Object.keys(body).length === 0) throw new ValidationError("changes", "nothing to update");
  return updateItem<FloatingIpWire>(client, FLOATING_IPS, id, body, call, changes.ifRevision);
}

/** Deletes (releases) a floating IP (`DELETE /v2.0/floatingips/{id}`, 204). */
export function deleteFloatingIp(client: ServiceClient, id: string, call: CallOptions = {}): Promise<void> {
  return deleteItem(client, FLOATING_IPS, requireId("id", id), call);
}
