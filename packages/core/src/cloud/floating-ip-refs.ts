import { ValidationError } from "../errors.js";
import type { FloatingIp } from "../models/floating-ip.js";
import { signalOf } from "../services/call-options.js";
import type { CloudContext } from "./context.js";
import { ResourceNotFoundError } from "./find.js";
import {
  attachFloatingIp,
  createFloatingIp,
  deleteFloatingIp,
  detachFloatingIp,
  listFloatingIps,
} from "./floating-ips.js";
import { getServer } from "./servers.js";

/**
 * Floating IPs by reference (an id or the address itself), for callers that hold names and
 * ids rather than models (the gRPC service): each call looks the objects up, then runs the
 * model-taking call of floating-ips.ts.
 */

/** Options every call here takes. */
export interface FloatingIpRefOptions {
  readonly signal?: AbortSignal;
}

/**
 * The floating IP whose id or address is `idOrAddress`, or undefined.
 * NOTE: floating IPs have no name; their address is what people name them by (as `openstack
 * floating ip show 203.0.113.5`), and nova-network's ids are small integers.
 */
export async function findFloatingIp(
  ctx: CloudContext,
  idOrAddress: string,
  options: FloatingIpRefOptions = {},
): Promise<FloatingIp | undefined> {
  requireRef("floatingIp", idOrAddress);
  const ips = await listFloatingIps(ctx, signalOf(options));
  return ips.find((ip) => ip.id === idOrAddress) ?? ips.find((ip) => ip.floatingIpAddress === idOrAddress);
}

/** Like {@link findFloatingIp}; a missing one is a ResourceNotFoundError. */
export async function getFloatingIp(
  ctx: CloudContext,
  idOrAddress: string,
  options: FloatingIpRefOptions = {},
): Promise<FloatingIp> {
  const ip = await findFloatingIp(ctx, idOrAddress, options);
  if (!ip) throw new ResourceNotFoundError("floating IP", idOrAddress);
  return ip;
}

/** Options of {@link createFloatingIpFor}. */
export interface CreateFloatingIpForOptions extends FloatingIpRefOptions {
  /** Neutron: the external network (name or id); nova: the pool. Default: the cloud's default. */
  readonly network?: string;
  /** Attach at once to this server (name or id). */
  readonly server?: string;
  /** With `server`: the network (name or id) whose port the address maps to. */
  readonly natDestination?: string;
}

/** Allocates a floating IP, bound at once to a server (by name or id) when one is given. */
export async function createFloatingIpFor(
  ctx: CloudContext,
  options: CreateFloatingIpForOptions = {},
): Promise<FloatingIp> {
  if (options.natDestination !== undefined && options.server === undefined) {
    throw new ValidationError("natDestination", "needs server");
  }
  const server =
    options.server === undefined ? undefined : await getServer(ctx, options.server, signalOf(options));
  return createFloatingIp(ctx, {
    ...(options.network !== undefined && { network: options.network }),
    ...(server && { server }),
    ...(options.natDestination !== undefined && { natDestination: options.natDestination }),
    ...signalOf(options),
  });
}

/** Binds a floating IP (id or address) to a server (name or id). */
export async function attachFloatingIpTo(
  ctx: CloudContext,
  floatingIp: string,
  server: string,
  options: FloatingIpRefOptions & { readonly natDestination?: string } = {},
): Promise<FloatingIp> {
  requireRef("server", server);
  const ip = await getFloatingIp(ctx, floatingIp, options);
  const target = await getServer(ctx, server, signalOf(options));
  return attachFloatingIp(ctx, target, ip, {
    ...(options.natDestination !== undefined && { natDestination: options.natDestination }),
    ...signalOf(options),
  });
}

/** Unbinds a floating IP (id or address) from its server; returns it as the cloud now shows it. */
export async function detachFloatingIpRef(
  ctx: CloudContext,
  floatingIp: string,
  options: FloatingIpRefOptions = {},
): Promise<FloatingIp> {
  const ip = await getFloatingIp(ctx, floatingIp, options);
  await detachFloatingIp(ctx, ip, signalOf(options));
  return (await findFloatingIp(ctx, ip.id, options)) ?? ip;
}

/** Releases a floating IP (id or address); false when there was none. */
export async function deleteFloatingIpRef(
  ctx: CloudContext,
  floatingIp: string,
  options: FloatingIpRefOptions = {},
): Promise<boolean> {
  const ip = await findFloatingIp(ctx, floatingIp, options);
  if (!ip) return false;
  await deleteFloatingIp(ctx, ip.id, signalOf(options));
  return true;
}

function requireRef(field: string, value: string): void {
  if (typeof value !== "string" || value.trim() === "") {
    throw new ValidationError(field, "must be a non-empty string");
  }
}
