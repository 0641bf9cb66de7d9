import { ValidationError } from "../../../../errors.js";
import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { type QueryNames, queryOf, requireId } from "../../../query.js";
import { NEUTRON_LIST_QUERY, type NeutronListOptions, validateListOptions } from "../query.js";
import { compact, createItem, deleteItem, getItem, listItems, updateItem } from "../resource.js";
import { ROUTERS, routerInterfacePath } from "./urls.js";
import type {
  ExternalGatewayInfoWire,
  RouterCreateWire,
  RouterInterfaceRequestWire,
  RouterInterfaceWire,
  RouterUpdateWire,
  RouterWire,
  RouteWire,
} from "./wire.js";

/** Filters of `GET /v2.0/routers`. */
export interface ListRoutersOptions extends NeutronListOptions {
  readonly id?: string;
  readonly name?: string;
  readonly description?: string;
  readonly status?: string;
  readonly adminStateUp?: boolean;
}

/** The one table of query names of routers. */
export const ROUTER_QUERY: QueryNames<ListRoutersOptions> = {
  ...NEUTRON_LIST_QUERY,
  id: "id",
  name: "name",
  description: "description",
  status: "status",
  adminStateUp: "admin_state_up",
};

/** Every router matching the filters, page after page. */
export function listRouters(
  client: ServiceClient,
  options: ListRoutersOptions = {},
  call: CallOptions = {},
): AsyncGenerator<RouterWire, void, undefined> {
  validateListOptions(options);
  return listItems<RouterWire>(client, ROUTERS, queryOf(options, ROUTER_QUERY), call);
}

/** One router by id. */
export function getRouter(client: ServiceClient, id: string, call: CallOptions = {}): Promise<RouterWire> {
  return getItem<RouterWire>(client, ROUTERS, requireId("id", id), call);
}

/** A router's uplink, in camelCase. */
export interface ExternalGatewayOptions {
  readonly networkId: string;
  readonly enableSnat?: boolean;
  readonly externalFixedIps?: readonly { readonly subnetId?: string; readonly ipAddress?: string }[];
}

function gatewayBody(gateway: ExternalGatewayOptions, field: string): ExternalGatewayInfoWire {
  requireId(`${field}.networkId`, gateway.networkId);
  return {
    network_id: gateway.networkId,
    ...compact({
      enable_snat: gateway.enableSnat,
      external_fixed_ips: gateway.externalFixedIps?.map((ip) =>
        compact({ subnet_id: ip.subnetId, ip_address: ip.ipAddress }),
      ),
    }),
  };
}

/** What a new router is made of. */
export interface CreateRouterOptions {
  readonly name?: string;
  readonly description?: string;
  readonly adminStateUp?: boolean;
  readonly projectId?: string;
  /** Uplink to an external network (for SNAT and floating IPs behind this router). */
  readonly externalGateway?: ExternalGatewayOptions;
  readonly distributed?: boolean;
  readonly ha?: boolean;
  readonly availabilityZoneHints?: readonly string[];
  readonly flavorId?: string;
}

/** Creates a router (`POST /v2.0/routers`, 201). */
export function createRouter(
  client: ServiceClient,
  options: CreateRouterOptions = {},
  call: CallOptions = {},
): Promise<RouterWire> {
  const body: RouterCreateWire = compact({
    name: options.name,
    description: options.description,
    admin_state_up: options.adminStateUp,
    project_id: options.projectId,
    external_gateway_info: options.externalGateway && gatewayBody(options.externalGateway, "externalGateway"),
    distributed: options.distributed,
    ha: options.ha,
    availability_zone_hints: options.availabilityZoneHints,
    flavor_id: options.flavorId,
  });
  return createItem<RouterWire>(client, ROUTERS, body, call);
}

/** Changes to a router. */
export interface UpdateRouterOptions {
  readonly name?: string;
  readonly description?: string;
  readonly adminStateUp?: boolean;
  /** A new uplink, or null to remove it. */
  readonly externalGateway?: ExternalGatewayOptions | null;
  /** Replaces the whole route list. */
  readonly routes?: readonly RouteWire[];
  readonly distributed?: boolean;
  readonly ha?: boolean;
}

/**
 * Updates a router (`PUT /v2.0/routers/{id}`).
 * NOTE: neutron treats `"external_gateway_info": {}` as "no gateway" (it is what
 * openstackclient's `router unset --external-gateway` sends), so a null `externalGateway`
 * is sent as `{}`.
 */
export function updateRouter(
  client: ServiceClient,
  id: string,
  changes: UpdateRouterOptions,
  call: CallOptions = {},
): Promise<RouterWire> {
  requireId("id", id);
  const body: RouterUpdateWire = compact({
    name: changes.name,
    description: changes.description,
    admin_state_up: changes.adminStateUp,
    external_gateway_info:
      changes.externalGateway === null
        ? {}
        : changes.externalGateway && gatewayBody(changes.externalGateway, "externalGateway"),
    routes: changes.routes,
    distributed: changes.distributed,
    ha: changes.ha,
  });
  if (Object.keys(body).length === 0) throw new ValidationError("changes", "nothing to update");
  return updateItem<RouterWire>(client, ROUTERS, id, body, call);
}

/** Deletes a router (`DELETE /v2.0/routers/{id}`, 204); its interfaces must be removed first. */
export function deleteRouter(client: ServiceClient, id: string, call: CallOptions = {}): Promise<void> {
  return deleteItem(client, ROUTERS, requireId("id", id), call);
}

/** Which interface: a subnet (neutron makes a port with its gateway IP) or an existing port. */
export type RouterInterfaceOptions = { readonly subnetId: string } | { readonly portId: string };

function interfaceBody(target: RouterInterfaceOptions): RouterInterfaceRequestWire {
  const subnetId = "subnetId" in target ? target.subnetId : undefined;
  const portId = "portId" in target ? target.portId : undefined;
  if ((subnetId === undefined) === (portId === undefined)) {
    throw new ValidationError("interface", "give exactly one of subnetId or portId");
  }
  return subnetId !== undefined
    ? { subnet_id: requireId("subnetId", subnetId) }
    : { port_id: requireId("portId", portId as string) };
}

async function routerInterface(
  client: ServiceClient,
  id: string,
  verb: "add" | "remove",
  target: RouterInterfaceOptions,
  call: CallOptions,
): Promise<RouterInterfaceWire> {
  const response = await client.request({
    method: "PUT",
    path: routerInterfacePath(id, verb),
    json: interfaceBody(target),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<RouterInterfaceWire>();
}

/** Plugs a subnet or port into a router (`PUT /v2.0/routers/{id}/add_router_interface`). */
export function addRouterInterface(
  client: ServiceClient,
  id: string,
  target: RouterInterfaceOptions,
  call: CallOptions = {},
): Promise<RouterInterfaceWire> {
  requireId("id", id);
  interfaceBody(target);
  return routerInterface(client, id, "add", target, call);
}

/** Unplugs a subnet or port from a router (`PUT /v2.0/routers/{id}/remove_router_interface`). */
export function removeRouterInterface(
  client: ServiceClient,
  id: string,
  target: RouterInterfaceOptions,
  call: CallOptions = {},
): Promise<RouterInterfaceWire> {
  requireId("id", id);
  interfaceBody(target);
  return routerInterface(client, id, "remove", target, call);
}
