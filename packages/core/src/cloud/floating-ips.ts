import { randomUUID } from "node:crypto";
import { OaktreeError, ValidationError } from "../errors.js";
import { ConflictError, isRefusal, NotFoundError, OpenStackError } from "../http/errors.js";
import { collect } from "../http/paginate.js";
import type { ServiceClient } from "../http/types.js";
import { type FloatingIp, normalizeFloatingIp, normalizeNovaFloatingIp } from "../models/floating-ip.js";
import type { NormalizeContext } from "../models/location.js";
import type { Server } from "../models/server.js";
import { signalOf } from "../services/call-options.js";
import { proxyVersionField } from "../services/compute/v2/floating-ips/proxy.js";
import {
  createNovaFloatingIp,
  deleteNovaFloatingIp,
  listNovaFloatingIps,
} from "../services/compute/v2/floating-ips/requests.js";
import { serverAction } from "../services/compute/v2/servers/actions.js";
import {
  createFloatingIp as createNeutronFloatingIp,
  deleteFloatingIp as deleteNeutronFloatingIp,
  getFloatingIp as getNeutronFloatingIp,
  listFloatingIps as listNeutronFloatingIps,
  updateFloatingIp,
} from "../services/network/v2/floating-ips/requests.js";
import { type CloudContext, listExternalNetworks } from "./context.js";
import { applyFilters, type FilterOptions } from "./find.js";
import { floatingIpSource } from "./floating-ip-source.js";
import { FLOATING_IP_MARK_PREFIX, floatingIpDescription, isOaktreeFloatingIp } from "./markers.js";
import { type NatDestination, natDestinationPort } from "./nat-destination.js";

/**
 * How the description oaktree writes on the floating IPs it creates starts, so cleanup can find
 * them (the whole description adds the client token's hash and the time: see markers.ts).
 */
export const OAKTREE_FLOATING_IP_MARK = FLOATING_IP_MARK_PREFIX;

/** A floating-IP step could not be done; `floatingIp` is what it had got when it failed. */
export class FloatingIpError extends OaktreeError {
  override readonly name = "FloatingIpError";
}

/** The project's floating IPs from whichever API the cloud has (see floatingIpSource). */
export async function listFloatingIps(
  ctx: CloudContext,
  options: FilterOptions & { readonly signal?: AbortSignal } = {},
): Promise<FloatingIp[]> {
  const source = await floatingIpSource(ctx);
  const normalize = await ctx.normalizeContext();
  let ips: FloatingIp[] = [];
  if (source.kind === "neutron") {
    const network = await ctx.client("network", options.signal);
    const projectId = normalize.project.id;
    const wires = await collect(
      listNeutronFloatingIps(network, projectId ? { projectId } : {}, signalOf(options)),
    );
    ips = wires.map((wire) => normalizeFloatingIp(wire, normalize));
  } else if (source.kind === "nova") {
    const compute = await ctx.client("compute", options.signal);
    ips = (await listNovaFloatingIps(compute, signalOf(options))).map((wire) =>
      normalizeNovaFloatingIp(wire, normalize),
    );
  }
  return applyFilters(ips, options.filters);
}

/**
 * The external network floating IPs come from: the one named (name or id), else neutron's
 * default external network (`is_default`), else the first external network.
 */
export async function floatingNetwork(ctx: CloudContext, nameOrId?: string) {
  const external = await listExternalNetworks(ctx);
  if (nameOrId !== undefined) {
    const named = external.filter((net) => net.id === nameOrId || net.name === nameOrId);
    if (named.length === 0) {
      throw new ValidationError("network", `no external network "${nameOrId}" (have: ${namesOf(external)})`);
    }
    if (named.length > 1 && !named.some((net) => net.id === nameOrId)) {
      throw new ValidationError(
        "network",
        `"${nameOrId}" names ${named.length} external networks; use an id`,
      );
    }
    return named.find((net) => net.id === nameOrId) ?? named[0]!;
  }
  const chosen = external.find((net) => net.isDefault) ?? external[0];
  if (!chosen) throw new FloatingIpError("the cloud has no external network to take a floating IP from");
  return chosen;
}

/** Options of createFloatingIp. */
export interface CreateFloatingIpOptions {
  /** Neutron: the external network (name or id); nova: the pool. Default: the cloud's default. */
  readonly network?: string;
  /** Attach at once to this server's NAT destination port (neutron: in the same call). */
  readonly server?: Server;
  /** The NAT destination port, when the caller has already found it. */
  readonly target?: Extract<NatDestination, { kind: "port" }>;
  readonly fixedAddress?: string;
  readonly natDestination?: string;
  /** The createServer client token it is made for: its hash goes into the mark. */
  readonly clientToken?: string;
  readonly signal?: AbortSignal;
}

/**
 * Allocates a floating IP, marked as oaktree's. With `server` on neutron, it is created bound
 * to the server's NAT destination port in one call, so nobody else can take it in between.
 */
export async function createFloatingIp(
  ctx: CloudContext,
  options: CreateFloatingIpOptions = {},
): Promise<FloatingIp> {
  const source = await floatingIpSource(ctx);
  const normalize = await ctx.normalizeContext();
  if (source.kind === "neutron") {
    const network = await ctx.client("network", options.signal);
    const external = await floatingNetwork(ctx, options.network);
    const target =
      options.target ?? (options.server ? await requireNatPort(ctx, options.server, options) : undefined);
    const description = floatingIpDescription(options.clientToken);
    const wire = await createNeutronFloatingIp(
      network,
      {
        floatingNetworkId: external.id,
        description,
        ...(target && { portId: target.port.id, fixedIpAddress: target.fixedIp }),
      },
      signalOf(options),
    ).catch(async (error: unknown) => {
      // The answer was lost (a reset after neutron applied it, a timeout, a 5xx). With a client
      // token the description (its hash and this create's millisecond) names this very create:
      // neutron's list says whether it made the IP, and the boot goes on with it.
      if (options.clientToken === undefined || isRefusal(error) || options.signal?.aborted) throw error;
      const made = await collect(listNeutronFloatingIps(network, { description }, signalOf(options))).catch(
        () => [],
      );
      const ours = made.filter((ip) => ip.description === description);
      if (ours.length !== 1) throw error;
      return ours[0]!;
    });
    return normalizeFloatingIp(wire, normalize);
  }
  if (source.kind === "nova") {
    const compute = await ctx.client("compute", options.signal);
    const ip = normalizeNovaFloatingIp(
      await createNovaFloatingIp(compute, options.network, signalOf(options)),
      normalize,
    );
    if (options.server) {
      try {
        await novaAttach(
          compute,
          options.server.id,
          ip.floatingIpAddress,
          options.fixedAddress,
          options.signal,
        );
      } catch (error) {
        await deleteNovaFloatingIp(compute, ip.id).catch(() => {});
        throw error;
      }
      return novaAttached(ip, options.server, options.fixedAddress);
    }
    return ip;
  }
  throw new FloatingIpError(`this cloud has no floating IPs: ${source.reason}`);
}

/** Options of attachFloatingIp: which fixed address or port the floating IP maps to. */
export interface AttachFloatingIpOptions {
  readonly fixedAddress?: string;
  readonly natDestination?: string;
  /** The NAT destination port, when the caller has already found it (saves a lookup). */
  readonly target?: Extract<NatDestination, { kind: "port" }>;
  readonly signal?: AbortSignal;
}

/** Attaches an existing floating IP to a server (its NAT destination port on neutron). */
export async function attachFloatingIp(
  ctx: CloudContext,
  server: Server,
  floatingIp: FloatingIp,
  options: AttachFloatingIpOptions = {},
): Promise<FloatingIp> {
  const source = await floatingIpSource(ctx);
  if (source.kind === "nova") {
    const compute = await ctx.client("compute", options.signal);
    await novaAttach(compute, server.id, floatingIp.floatingIpAddress, options.fixedAddress, options.signal);
    return novaAttached(floatingIp, server, options.fixedAddress);
  }
  const network = await ctx.client("network", options.signal);
  const target = options.target ?? (await requireNatPort(ctx, server, options));
  const wire = await updateFloatingIp(
    network,
    floatingIp.id,
    { portId: target.port.id, fixedIpAddress: target.fixedIp },
    signalOf(options),
  );
  return normalizeFloatingIp(wire, await ctx.normalizeContext());
}

/** Detaches a floating IP from whatever it is attached to (a no-op when it is not). */
export async function detachFloatingIp(
  ctx: CloudContext,
  floatingIp: FloatingIp,
  options: { readonly signal?: AbortSignal } = {},
): Promise<void> {
  if (!floatingIp.attached) return;
  const source = await floatingIpSource(ctx);
  if (source.kind === "nova") {
    const compute = await ctx.client("compute", options.signal);
    const instanceId = floatingIp.properties.instanceId;
    if (typeof instanceId !== "string") return;
    await serverAction(
      compute,
      instanceId,
      { removeFloatingIp: { address: floatingIp.floatingIpAddress } },
      signalOf(options),
      proxyVersionField(compute, "removeFloatingIp"),
    );
    return;
  }
  const network = await ctx.client("network", options.signal);
  await updateFloatingIp(network, floatingIp.id, { portId: null }, signalOf(options));
}

/** Releases a floating IP (a 404 counts as done). */
export async function deleteFloatingIp(
  ctx: CloudContext,
  id: string,
  options: { readonly signal?: AbortSignal } = {},
): Promise<void> {
  const source = await floatingIpSource(ctx);
  try {
    if (source.kind === "nova")
      await deleteNovaFloatingIp(await ctx.client("compute"), id, signalOf(options));
    else await deleteNeutronFloatingIp(await ctx.client("network"), id, signalOf(options));
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}

/** A neutron floating IP read again by id, normalized; undefined when it is gone. */
async function getFloatingIpById(
  ctx: CloudContext,
  id: string,
  signal?: AbortSignal,
): Promise<FloatingIp | undefined> {
  const network = await ctx.client("network", signal);
  try {
    return normalizeFloatingIp(
      await getNeutronFloatingIp(network, id, signal ? { signal } : {}),
      await ctx.normalizeContext(),
    );
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** Options of cleanupFloatingIps: which unattached floating IPs count as leaked. */
export interface CleanupFloatingIpsOptions {
  /** Also delete unattached floating IPs oaktree did not create, when older than this. */
  readonly olderThanMs?: number;
  readonly now?: () => number;
  readonly signal?: AbortSignal;
}

/**
 * Deletes the project's unattached floating IPs that oaktree created (marked in their
 * description), and, with `olderThanMs`, any unattached one created longer ago than that.
 * Never one that is attached: each is read again just before it is deleted, and skipped if
 * it got attached meanwhile. Returns what was deleted.
 */
export async function deleteUnattachedFloatingIps(
  ctx: CloudContext,
  options: CleanupFloatingIpsOptions = {},
): Promise<FloatingIp[]> {
  const now = options.now ?? Date.now;
  const source = await floatingIpSource(ctx);
  const candidates = (await listFloatingIps(ctx, signalOf(options))).filter((ip) => {
    if (ip.attached) return false;
    if (isOaktreeFloatingIp(ip)) return true;
    if (options.olderThanMs === undefined || !ip.createdAt) return false;
    return now() - Date.parse(ip.createdAt) > options.olderThanMs;
  });
  const deleted: FloatingIp[] = [];
  for (const ip of candidates) {
    if (source.kind === "neutron") {
      const fresh = await getFloatingIpById(ctx, ip.id, options.signal);
      if (!fresh || fresh.portId !== undefined) continue;
    }
    await deleteFloatingIp(ctx, ip.id, signalOf(options));
    deleted.push(ip);
  }
  return deleted;
}

/**
 * Gives `server` a floating IP, taking an unattached one of the project when `reuse` allows,
 * else creating one bound to the server's port in the same call.
 *
 * Reuse is a race between clients that see the same free IP. oaktree claims a candidate
 * with a lease (`oaktree:fip-claim:<id>`, shared by every replica through the state backend)
 * before binding it, and binds it with neutron's compare-and-swap (`If-Match:
 * revision_number=N`), so a concurrent binder gets a 412 and moves on to the next candidate.
 * When no candidate is left, it creates a new one.
 *
 * A refusal because the server already has one (neutron's 409 FloatingIPPortAlreadyAssociated
 * on its port; nova's "already associated") means somebody else (another attempt with the same
 * client token) made it reachable meanwhile: the IP it has is returned with `found: true`,
 * never an error. Returns the IP and whether oaktree created it in this call.
 */
export async function addFloatingIpToServer(
  ctx: CloudContext,
  server: Server,
  options: AttachFloatingIpOptions & {
    readonly reuse?: boolean;
    readonly network?: string;
    /** The createServer client token a new floating IP is marked with. */
    readonly clientToken?: string;
  } = {},
): Promise<{ floatingIp: FloatingIp; created: boolean; found?: true }> {
  const source = await floatingIpSource(ctx);
  const target =
    source.kind === "neutron" ? (options.target ?? (await requireNatPort(ctx, server, options))) : undefined;
  const withTarget = { ...options, ...(target && { target }) };
  try {
    if (options.reuse) {
      const reused = await claimUnattached(ctx, server, source.kind, withTarget);
      if (reused) return { ...reused, created: false };
    }
    const floatingIp = await createFloatingIp(ctx, {
      server,
      ...(options.network !== undefined && { network: options.network }),
      ...(options.fixedAddress !== undefined && { fixedAddress: options.fixedAddress }),
      ...(options.natDestination !== undefined && { natDestination: options.natDestination }),
      ...(options.clientToken !== undefined && { clientToken: options.clientToken }),
      ...(target && { target }),
      ...(options.signal && { signal: options.signal }),
    });
    return { floatingIp, created: true };
  } catch (error) {
    if (!isAlreadyAssociated(error)) throw error;
    const bound = await floatingIpOfServer(ctx, server, withTarget);
    if (!bound) throw error;
    return { floatingIp: bound, created: false, found: true };
  }
}

/**
 * The floating IP that already reaches `server`, if any: on neutron the one bound to its NAT
 * destination port (`target`, else looked up), on nova-network the one mapped to it.
 * Asks the floating-IP API, never the server's addresses: nova learns of a neutron floating
 * IP asynchronously, and clouds without an L3 agent may never list it.
 */
export async function floatingIpOfServer(
  ctx: CloudContext,
  server: Server,
  options: AttachFloatingIpOptions = {},
): Promise<FloatingIp | undefined> {
  const source = await floatingIpSource(ctx);
  if (source.kind === "neutron") {
    const target = options.target ?? (await natDestinationPort(ctx, server, options));
    if (target.kind === "none") return undefined;
    const network = await ctx.client("network", options.signal);
    const normalize = await ctx.normalizeContext();
    const wires = await collect(
      listNeutronFloatingIps(network, { portId: target.port.id }, signalOf(options)),
    );
    return wires.map((wire) => normalizeFloatingIp(wire, normalize)).find((ip) => ip.attached);
  }
  if (source.kind === "nova") {
    return (await listFloatingIps(ctx, signalOf(options))).find(
      (ip) => ip.attached && ip.properties.instanceId === server.id,
    );
  }
  return undefined;
}

/**
 * Does `error` say the target already has a floating IP? Neutron: 409
 * FloatingIPPortAlreadyAssociated; nova(-network): 400/409 "already associated". Any other
 * 409 on a bind (the IP itself taken) gets the same answer from a re-read: the caller checks.
 */
function isAlreadyAssociated(error: unknown): boolean {
  if (error instanceof ConflictError) return true;
  return error instanceof OpenStackError && error.status === 400 && /already associated/i.test(error.detail);
}

async function claimUnattached(
  ctx: CloudContext,
  server: Server,
  kind: "neutron" | "nova" | "none",
  options: AttachFloatingIpOptions & { readonly network?: string },
): Promise<{ floatingIp: FloatingIp; found?: true } | undefined> {
  const networkId = kind === "neutron" ? (await floatingNetwork(ctx, options.network)).id : options.network;
  const free = (await listFloatingIps(ctx, signalOf(options))).filter(
    (ip) => !ip.attached && (networkId === undefined || ip.networkId === networkId),
  );
  const owner = randomUUID();
  // Different boots start at different candidates, so that they rarely contend at all.
  const start = free.length > 0 ? Math.floor(Math.random() * free.length) : 0;
  for (let i = 0; i < free.length; i++) {
    const candidate = free[(start + i) % free.length]!;
    const lease = `oaktree:fip-claim:${candidate.id}`;
    if (!(await ctx.backend.leases.acquire(lease, owner, 120_000))) continue;
    try {
      if (kind === "nova") {
        return { floatingIp: await attachFloatingIp(ctx, server, candidate, options) };
      }
      const network = await ctx.client("network", options.signal);
      const target = options.target ?? (await requireNatPort(ctx, server, options));
      const wire = await updateFloatingIp(
        network,
        candidate.id,
        {
          portId: target.port.id,
          fixedIpAddress: target.fixedIp,
          ...(candidate.revisionNumber !== undefined && { ifRevision: candidate.revisionNumber }),
        },
        signalOf(options),
      );
      return { floatingIp: normalizeFloatingIp(wire, await ctx.normalizeContext()) };
    } catch (error) {
      // The server got one meanwhile (another attempt with the same client token): use it.
      if (isAlreadyAssociated(error)) {
        const bound = await floatingIpOfServer(ctx, server, options);
        if (bound) {
          // The candidate stays free: let other boots have it.
          await ctx.backend.leases.release(lease, owner);
          return { floatingIp: bound, found: true };
        }
      }
      // Taken by someone else meanwhile (412 revision mismatch, 409 in use, 404 released;
      // nova: already associated): try the next candidate. Anything else is a real failure.
      const taken =
        isAlreadyAssociated(error) ||
        (error instanceof OpenStackError && [404, 409, 412].includes(error.status ?? 0));
      if (!taken) {
        await ctx.backend.leases.release(lease, owner);
        throw error;
      }
    }
  }
  return undefined;
}

async function requireNatPort(
  ctx: CloudContext,
  server: Server,
  options: {
    readonly fixedAddress?: string;
    readonly natDestination?: string;
    readonly signal?: AbortSignal;
  },
): Promise<Extract<NatDestination, { kind: "port" }>> {
  const target = await natDestinationPort(ctx, server, options);
  if (target.kind === "none") throw new FloatingIpError(`server ${server.id}: ${target.reason}`);
  return target;
}

async function novaAttach(
  compute: ServiceClient,
  serverId: string,
  address: string,
  fixedAddress: string | undefined,
  signal: AbortSignal | undefined,
): Promise<void> {
  // NOTE: addFloatingIp left compute at 2.44; nova-network clouds serve it up to 2.35.
  await serverAction(
    compute,
    serverId,
    { addFloatingIp: { address, ...(fixedAddress !== undefined && { fixed_address: fixedAddress }) } },
    signal ? { signal } : {},
    proxyVersionField(compute, "addFloatingIp"),
  );
}

/**
 * A nova floating IP as it is once attached: addFloatingIp answers 202 without a body, so the
 * model is written from what nova does.
 * NOTE: nova's addFloatingIp (os-floating-ips proxy, compute <= 2.43) maps the address to
 * `fixed_address`, or else to the server's first fixed IPv4 address.
 */
function novaAttached(ip: FloatingIp, server: Server, fixedAddress: string | undefined): FloatingIp {
  const fixed =
    fixedAddress ??
    server.addresses.find((address) => address.type === "fixed" && address.version === 4)?.address;
  return {
    ...ip,
    attached: true,
    ...(fixed !== undefined && { fixedIpAddress: fixed }),
    properties: { ...ip.properties, instanceId: server.id },
  };
}

/** The normalize context, for modules that build FloatingIp models themselves. */
export type { NormalizeContext };

function namesOf(networks: readonly { id: string; name?: string }[]): string {
  return networks.map((net) => net.name ?? net.id).join(", ") || "none";
}
