/**
 * Shared watches over the project's floating IPs and ports, as servers.ts, volumes.ts and
 * images.ts have theirs: one listing per interval per (cloud, region, project), however many
 * waiters and subscribers (the gRPC service's WatchFloatingIps / WatchPorts streams).
 */
import type { FloatingIp } from "../models/floating-ip.js";
import type { Port } from "../models/port.js";
import type { SharedWatch } from "../state/watch.js";
import type { CloudContext } from "./context.js";
import { listFloatingIps } from "./floating-ips.js";
import { listPorts } from "./ports.js";

/**
 * The shared watch over the project's floating IPs (neutron's, or nova-network's through the
 * compute proxy: whichever floatingIpSource picks).
 */
export async function floatingIpWatch(ctx: CloudContext): Promise<SharedWatch<FloatingIp>> {
  const scope = await ctx.scope();
  // NOTE: neutron's floating IPs have no changes-since filter that lists deletions, and
  // nova-network's proxy has no filter at all: the watch lists in full.
  return ctx.watches.watch<FloatingIp>(`${scope}/floating-ip`, () => ({
    listAll: (signal) => listFloatingIps(ctx, { signal }),
    idOf: (ip) => ip.id,
  }));
}

/** The shared watch over the project's ports (neutron only; a cloud without neutron has none). */
export async function portWatch(ctx: CloudContext): Promise<SharedWatch<Port>> {
  const scope = await ctx.scope();
  // NOTE: neutron lists no deleted ports (its `changed_since` filter only shows live ones):
  // the watch lists in full so that deletions are seen.
  return ctx.watches.watch<Port>(`${scope}/port`, () => ({
    listAll: (signal) => listPorts(ctx, { signal }),
    idOf: (port) => port.id,
  }));
}
