import { ValidationError } from "../errors.js";
import { normalizeRouter, type Router } from "../models/router.js";
import { signalOf } from "../services/call-options.js";
import {
  addRouterInterface as addInterfaceWire,
  createRouter as createRouterWire,
  deleteRouter as deleteRouterWire,
  listRouters as listRoutersWire,
  removeRouterInterface as removeInterfaceWire,
  updateRouter as updateRouterWire,
} from "../services/network/v2/routers/requests.js";
import type { RouterInterfaceWire } from "../services/network/v2/routers/wire.js";
import type { CloudContext } from "./context.js";
import { applyFilters, type FilterOptions, pickOne } from "./find.js";
import { invalidateRouting } from "./nat-destination.js";
import {
  applyTags,
  defined,
  found,
  getNetwork,
  getSubnet,
  gone,
  type MarkOptions,
  markedDescription,
  type NetworkCallOptions,
  requireNonEmpty,
  withTags,
} from "./networks.js";
import { getPort } from "./ports.js";

/** Options of {@link listRouters}. */
export interface ListRoutersOptions extends FilterOptions, NetworkCallOptions {
  readonly tags?: readonly string[];
}

/** Every router the project sees. */
export async function listRouters(ctx: CloudContext, options: ListRoutersOptions = {}): Promise<Router[]> {
  const network = await ctx.client("network", options.signal);
  const normalize = await ctx.normalizeContext();
  const routers: Router[] = [];
  for await (const wire of listRoutersWire(
    network,
    options.tags?.length ? { tags: options.tags } : {},
    signalOf(options),
  )) {
    routers.push(normalizeRouter(wire, normalize));
  }
  return applyFilters(routers, options.filters);
}

/** A router by name or id, or undefined. */
export async function findRouter(
  ctx: CloudContext,
  nameOrId: string,
  options: ListRoutersOptions = {},
): Promise<Router | undefined> {
  requireNonEmpty("nameOrId", nameOrId);
  const { filters, ...rest } = options;
  return pickOne("router", await listRouters(ctx, rest), nameOrId, filters);
}

/** Like {@link findRouter}; a missing router is a ResourceNotFoundError. */
export async function getRouter(
  ctx: CloudContext,
  nameOrId: string,
  options: ListRoutersOptions = {},
): Promise<Router> {
  return found("router", nameOrId, await findRouter(ctx, nameOrId, options));
}

/** Options of {@link createRouter}. */
export interface CreateRouterOptions extends MarkOptions, NetworkCallOptions {
  readonly name?: string;
  readonly description?: string;
  readonly adminStateUp?: boolean;
  /** The external network (name or id) to uplink to (SNAT, floating IPs behind the router). */
  readonly externalNetwork?: string;
  readonly enableSnat?: boolean;
}

/** Creates a router, optionally with a gateway to an external network; marked as oaktree's. */
export async function createRouter(ctx: CloudContext, options: CreateRouterOptions = {}): Promise<Router> {
  if (options.enableSnat !== undefined && options.externalNetwork === undefined) {
    throw new ValidationError("enableSnat", "needs externalNetwork");
  }
  const managed = options.managed ?? true;
  const external =
    options.externalNetwork === undefined
      ? undefined
      : await externalNetwork(ctx, options.externalNetwork, signalOf(options));
  const wire = await createRouterWire(
    await ctx.client("network", options.signal),
    defined({
      name: options.name,
      description: markedDescription(options.description, managed),
      adminStateUp: options.adminStateUp,
      externalGateway: external && { networkId: external.id, ...defined({ enableSnat: options.enableSnat }) },
    }),
    signalOf(options),
  );
  await invalidateRouting(ctx);
  return withTags(
    normalizeRouter(wire, await ctx.normalizeContext()),
    await applyTags(ctx, "routers", wire.id, options),
  );
}

/** Changes a router's name, description, state or gateway (`externalNetwork: null` removes it). */
export async function updateRouter(
  ctx: CloudContext,
  nameOrId: string,
  changes: {
    readonly name?: string;
    readonly description?: string;
    readonly adminStateUp?: boolean;
    readonly externalNetwork?: string | null;
  },
  options: NetworkCallOptions = {},
): Promise<Router> {
  const router = await getRouter(ctx, nameOrId, options);
  let externalGateway: { networkId: string } | null | undefined;
  if (changes.externalNetwork === null) externalGateway = null;
  else if (changes.externalNetwork !== undefined) {
    externalGateway = {
      networkId: (await externalNetwork(ctx, changes.externalNetwork, signalOf(options))).id,
    };
  }
  const wire = await updateRouterWire(
    await ctx.client("network", options.signal),
    router.id,
    defined({
      name: changes.name,
      description: changes.description,
      adminStateUp: changes.adminStateUp,
      externalGateway,
    }),
    signalOf(options),
  );
  await invalidateRouting(ctx);
  return normalizeRouter(wire, await ctx.normalizeContext());
}

/**
 * The network a router's gateway goes to, checked before the call: neutron refuses an internal
 * one with a 400 that names no field ("Network X is not an external network").
 */
async function externalNetwork(
  ctx: CloudContext,
  nameOrId: string,
  options: Parameters<typeof getNetwork>[2],
): Promise<Awaited<ReturnType<typeof getNetwork>>> {
  const network = await getNetwork(ctx, nameOrId, options);
  if (!network.isRouterExternal) {
    throw new ValidationError("externalNetwork", `network "${nameOrId}" is not an external network`);
  }
  return network;
}

/** Deletes a router (by name or id); false when there was none. Its interfaces must be gone. */
export async function deleteRouter(
  ctx: CloudContext,
  nameOrId: string,
  options: NetworkCallOptions = {},
): Promise<boolean> {
  const router = await findRouter(ctx, nameOrId, options);
  if (!router) return false;
  const network = await ctx.client("network", options.signal);
  const deleted = await gone(() => deleteRouterWire(network, router.id, signalOf(options)));
  await invalidateRouting(ctx);
  return deleted;
}

/** Which interface: a subnet (by name or id: neutron plugs its gateway IP) or a port. */
export type RouterInterfaceTarget = { readonly subnet: string } | { readonly port: string };

/** What a router interface operation answers. */
export interface RouterInterface {
  readonly routerId: string;
  readonly portId: string;
  readonly subnetId: string;
  readonly networkId: string;
}

/** The model of neutron's answer to add/remove_router_interface. */
function routerInterfaceOf(routerId: string, wire: RouterInterfaceWire): RouterInterface {
  return { routerId, portId: wire.port_id, subnetId: wire.subnet_id, networkId: wire.network_id };
}

/** Plugs a subnet or a port into a router. */
export async function addRouterInterface(
  ctx: CloudContext,
  router: string,
  target: RouterInterfaceTarget,
  options: NetworkCallOptions = {},
): Promise<RouterInterface> {
  const { routerId, wireTarget } = await resolveInterface(ctx, router, target, options);
  const wire = await addInterfaceWire(
    await ctx.client("network", options.signal),
    routerId,
    wireTarget,
    signalOf(options),
  );
  await invalidateRouting(ctx);
  return routerInterfaceOf(routerId, wire);
}

/** Unplugs a subnet or a port from a router. */
export async function removeRouterInterface(
  ctx: CloudContext,
  router: string,
  target: RouterInterfaceTarget,
  options: NetworkCallOptions = {},
): Promise<RouterInterface> {
  const { routerId, wireTarget } = await resolveInterface(ctx, router, target, options);
  const wire = await removeInterfaceWire(
    await ctx.client("network", options.signal),
    routerId,
    wireTarget,
    signalOf(options),
  );
  await invalidateRouting(ctx);
  return routerInterfaceOf(routerId, wire);
}

async function resolveInterface(
  ctx: CloudContext,
  router: string,
  target: RouterInterfaceTarget,
  options: NetworkCallOptions,
): Promise<{ routerId: string; wireTarget: { subnetId: string } | { portId: string } }> {
  requireNonEmpty("router", router);
  const hasSubnet = "subnet" in target && target.subnet !== undefined;
  const hasPort = "port" in target && target.port !== undefined;
  if (hasSubnet === hasPort) throw new ValidationError("target", "give exactly one of subnet or port");
  const routerId = (await getRouter(ctx, router, options)).id;
  const wireTarget =
    "subnet" in target
      ? { subnetId: (await getSubnet(ctx, target.subnet, signalOf(options))).id }
      : { portId: (await getPort(ctx, target.port, signalOf(options))).id };
  return { routerId, wireTarget };
}
