import { collect } from "../http/paginate.js";
import { normalizePort, type Port } from "../models/port.js";
import { normalizeRouter } from "../models/router.js";
import type { Server } from "../models/server.js";
import { listNetworks } from "../services/network/v2/networks/requests.js";
import { listPorts } from "../services/network/v2/ports/requests.js";
import { listRouters } from "../services/network/v2/routers/requests.js";
import type { CloudContext } from "./context.js";

/** The port (and fixed IPv4) a floating IP must point at, or why there is none. */
export type NatDestination =
  | { readonly kind: "port"; readonly port: Port; readonly fixedIp: string }
  | { readonly kind: "none"; readonly reason: string };

/** Router interface owners: a port with one of them links a subnet to a router. */
const ROUTER_INTERFACE_OWNERS = [
  "network:router_interface",
  "network:router_interface_distributed",
  "network:ha_router_replicated_interface",
];

/**
 * Finds the server's port that a floating IP can NAT to.
 *
 * - `fixedAddress` given: the port that has it.
 * - `natDestination` given (network name or id): the server's port on that network.
 * - Otherwise: the server's ports on subnets that a router links to an external network
 *   (the only ones a floating IP can reach); when the project sees no such router (it may
 *   belong to the admin) and the server has exactly one port, that port (neutron will say
 *   if it is unreachable).
 * - Among several candidates, the newest port's first fixed IPv4 (as shade picks).
 */
export async function natDestinationPort(
  ctx: CloudContext,
  server: Pick<Server, "id">,
  options: {
    readonly fixedAddress?: string;
    readonly natDestination?: string;
    readonly signal?: AbortSignal;
  } = {},
): Promise<NatDestination> {
  const network = await ctx.client("network", options.signal);
  const call = options.signal ? { signal: options.signal } : {};
  const normalize = ctx.connection.normalizeContext();
  const ports = (await collect(listPorts(network, { deviceId: server.id }, call))).map((wire) =>
    normalizePort(wire, normalize),
  );
  if (ports.length === 0) return { kind: "none", reason: "the server has no port" };

  if (options.fixedAddress !== undefined) {
    const port = ports.find((p) => p.fixedIps.some((ip) => ip.ipAddress === options.fixedAddress));
    return port
      ? { kind: "port", port, fixedIp: options.fixedAddress }
      : { kind: "none", reason: `no port of the server has fixed address ${options.fixedAddress}` };
  }

  let candidates = ports;
  if (options.natDestination !== undefined) {
    const nets = await collect(listNetworks(network, {}, call));
    const wanted = nets.filter(
      (net) => net.id === options.natDestination || net.name === options.natDestination,
    );
    candidates = ports.filter((port) => wanted.some((net) => net.id === port.networkId));
    if (candidates.length === 0) {
      return {
        kind: "none",
        reason: `no port of the server is on nat_destination ${options.natDestination}`,
      };
    }
  } else if (ports.length > 1) {
    const routed = await routedSubnets(ctx, options.signal);
    const onRouted = ports.filter((port) => port.fixedIps.some((ip) => routed.has(ip.subnetId)));
    if (onRouted.length === 0) {
      return {
        kind: "none",
        reason: "none of the server's networks is routed to an external network (set nat_destination)",
      };
    }
    candidates = onRouted;
  }

  const newestFirst = [...candidates].sort((a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? ""));
  for (const port of newestFirst) {
    const v4 = port.fixedIps.find((ip) => !ip.ipAddress.includes(":"));
    if (v4) return { kind: "port", port, fixedIp: v4.ipAddress };
  }
  return { kind: "none", reason: "the server has no fixed IPv4 address to NAT to" };
}

/** The cache kind of the routed-subnet list. */
const ROUTED_SUBNETS = "routed-subnets";

/**
 * Forgets the routed-subnet list: every write through oaktree that changes routing (a router,
 * its gateway or interfaces) calls this, so a NAT decision never reads a stale list.
 */
export function invalidateRouting(ctx: CloudContext): Promise<void> {
  return ctx.cache.invalidate(ROUTED_SUBNETS);
}

/** Subnets linked by a router with a gateway on an external network (cached with the config's TTL). */
async function routedSubnets(ctx: CloudContext, signal?: AbortSignal): Promise<ReadonlySet<string>> {
  const network = await ctx.client("network", signal);
  const scope = await ctx.scope();
  const ids = await ctx.cache.getOrLoad(ROUTED_SUBNETS, scope, async () => {
    const call = signal ? { signal } : {};
    const normalize = ctx.connection.normalizeContext();
    const routers = (await collect(listRouters(network, {}, call)))
      .map((wire) => normalizeRouter(wire, normalize))
      .filter((router) => router.externalGateway?.networkId);
    const subnets: string[] = [];
    for (const owner of ROUTER_INTERFACE_OWNERS) {
      for (const wire of await collect(listPorts(network, { deviceOwner: owner }, call))) {
        const port = normalizePort(wire, normalize);
        if (routers.some((router) => router.id === port.deviceId)) {
          subnets.push(...port.fixedIps.map((ip) => ip.subnetId));
        }
      }
    }
    return subnets;
  });
  return new Set(ids);
}
