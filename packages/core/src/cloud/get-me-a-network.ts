import { randomUUID } from "node:crypto";
import { NotSupportedError, OaktreeError } from "../errors.js";
import { BadRequestError, ConflictError, NotFoundError } from "../http/errors.js";
import { type Network, normalizeNetwork } from "../models/network.js";
import { normalizePort } from "../models/port.js";
import { normalizeRouter, type Router } from "../models/router.js";
import { normalizeSubnet, type Subnet } from "../models/subnet.js";
import { signalOf } from "../services/call-options.js";
import {
  getAutoAllocatedTopology,
  validateAutoAllocatedTopology,
} from "../services/network/v2/auto-allocated-topology/requests.js";
import { createNetwork, deleteNetwork, listNetworks } from "../services/network/v2/networks/requests.js";
import { listPorts } from "../services/network/v2/ports/requests.js";
import {
  addRouterInterface,
  createRouter,
  deleteRouter,
  listRouters,
  removeRouterInterface,
} from "../services/network/v2/routers/requests.js";
import { createSubnet, deleteSubnet, listSubnets } from "../services/network/v2/subnets/requests.js";
import { waitForLease } from "../state/lease.js";
import { getMeANetworkCapability, neutronFacts } from "./capabilities.js";
import type { CloudContext } from "./context.js";
import { invalidateRouting } from "./nat-destination.js";
import {
  applyTags,
  invalidateNetworks,
  isOaktreeManaged,
  listNetworksForLookup,
  markedDescription,
  OAKTREE_DESCRIPTION,
} from "./networks.js";
import { Rollback } from "./rollback.js";

/** The tag (and name) of the network, subnet and router oaktree builds for `network: "auto"`. */
export const AUTO_NETWORK_TAG = "oaktree:auto-network";
/** Names of what oaktree builds. */
export const AUTO_NAMES = {
  network: "oaktree-auto-network",
  subnet: "oaktree-auto-subnet",
  router: "oaktree-auto-router",
} as const;

/** What create-server does with `network: "auto"`. */
export type NetworkVerdict =
  /** Pass `networks: "auto"` to nova (compute 2.37+); nothing was created. */
  | { readonly kind: "nova-auto"; readonly reason: string }
  /** Boot on this network. */
  | {
      readonly kind: "network";
      readonly networkId: string;
      /**
       * existing: the project's one usable network (as nova's "auto" would pick);
       * auto-allocated-topology: neutron's; built: oaktree built it in this call;
       * reused: oaktree had built it before (a previous call, another replica).
       */
      readonly source: "existing" | "auto-allocated-topology" | "built" | "reused";
      /** What this call created (network, subnet, router, interface), for the record. */
      readonly created: readonly string[];
      readonly reason: string;
    }
  /** Pass no network: nova-network attaches the project's networks itself. */
  | { readonly kind: "none"; readonly reason: string };

/** Options of {@link ensureNetwork}. */
export interface EnsureNetworkOptions {
  readonly signal?: AbortSignal;
  /** How long to wait for another replica's build (its lease). Default 120000. */
  readonly timeoutMs?: number;
}

/** The project has several networks nova's "auto" could use: nova refuses, and so does oaktree. */
export class AmbiguousNetworkError extends OaktreeError {
  override readonly name = "AmbiguousNetworkError";
  constructor(readonly networks: readonly { id: string; name: string }[]) {
    super(
      `network "auto": the project has ${networks.length} usable networks (${networks
        .map((net) => `${net.name || "(no name)"} ${net.id}`)
        .join(", ")}); name one instead`,
    );
  }
}

/** Building the auto network failed; what could not be cleaned up is listed (nothing, normally). */
export class GetMeANetworkError extends OaktreeError {
  override readonly name = "GetMeANetworkError";
  constructor(
    message: string,
    readonly leftovers: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(leftovers.length ? `${message}; could not clean up: ${leftovers.join(", ")}` : message, options);
  }
}

/**
 * The networks nova's `networks: "auto"` would consider: the project's own and the shared
 * ones, never external networks (nova's `_get_available_networks` with auto_allocate).
 */
export function usableNetworks(networks: readonly Network[], projectId: string | undefined): Network[] {
  return networks.filter(
    (net) =>
      !net.isRouterExternal &&
      (net.isShared || (projectId !== undefined && net.location.project.id === projectId)),
  );
}

/**
 * Which existing network `network: "auto"` boots on, as nova decides it: exactly one usable
 * network -> that one; none -> undefined (allocate one); several -> the one oaktree built for
 * "auto" if exactly one carries the mark, else AmbiguousNetworkError (nova's NetworkAmbiguous).
 */
export function pickExistingNetwork(usable: readonly Network[]): Network | undefined {
  if (usable.length <= 1) return usable[0];
  const ours = usable.filter((net) => net.tags.includes(AUTO_NETWORK_TAG) || isAutoByName(net));
  if (ours.length === 1) return ours[0];
  throw new AmbiguousNetworkError(usable.map((net) => ({ id: net.id, name: net.name })));
}

function isAutoByName(resource: { name: string; tags: readonly string[]; description?: string }): boolean {
  return resource.name === AUTO_NAMES.network && isOaktreeManaged(resource);
}

/**
 * Serves `network: "auto"` (get-me-a-network) with the three-step fallback:
 * 1. compute 2.37+ with neutron's auto-allocated-topology -> `nova-auto` (nova does it all);
 * 2. the project's one usable network, when it has exactly one (what nova's "auto" does);
 * 3. neutron's auto-allocated-topology: a dry-run check, then GET (which allocates);
 * 4. else (or when the dry run says the cloud is not set up for it) build network + subnet +
 *    router with a gateway to the external network + interface, marked as oaktree's, and
 *    idempotently: what a previous build made is found by its marks and reused. Concurrent
 *    calls in one process share one build; across replicas a lease serializes the builds.
 *    A failed build deletes what it created (and names what it could not).
 * On a nova-network cloud, or a neutron cloud that can neither allocate nor route (no routers
 * or no external network, e.g. Rackspace), the verdict is `none` (boot without networks: the
 * cloud's default) unless the project has exactly one usable network.
 */
export async function ensureNetwork(
  ctx: CloudContext,
  options: EnsureNetworkOptions = {},
): Promise<NetworkVerdict> {
  const { method, reason } = await getMeANetworkCapability(ctx);
  if (method === "nova-auto") return { kind: "nova-auto", reason };
  const neutron = await neutronFacts(ctx);
  if (!neutron.present) return { kind: "none", reason };
  const network = await ctx.client("network", options.signal);
  const projectId = (await ctx.connection.token(options.signal)).project?.id;
  const candidates = await usable(ctx, projectId, options.signal);
  if (method === "none" && candidates.length !== 1) {
    // Nothing to allocate with: the cloud's default (nova without networks) is the answer,
    // e.g. Rackspace's public + private networks.
    return { kind: "none", reason };
  }
  const existing = pickExistingNetwork(candidates);
  if (existing) {
    const ours = existing.tags.includes(AUTO_NETWORK_TAG) || isAutoByName(existing);
    return {
      kind: "network",
      networkId: existing.id,
      source: ours ? "reused" : "existing",
      created: [],
      reason: ours ? 'the network oaktree built for "auto" before' : "the project's one usable network",
    };
  }
  if (method === "auto-allocated-topology" && projectId) {
    try {
      await validateAutoAllocatedTopology(network, projectId, signalOf(options));
      const topology = await getAutoAllocatedTopology(network, projectId, signalOf(options));
      return {
        kind: "network",
        networkId: topology.id,
        source: "auto-allocated-topology",
        created: [],
        reason: "neutron's auto-allocated topology",
      };
    } catch (error) {
      // NOTE: neutron's dry run answers 409 (or 400 on some releases) when the cloud lacks a
      // default external network or subnet pool: then oaktree builds, if it can.
      const notSetUp = error instanceof ConflictError || error instanceof BadRequestError;
      if (!notSetUp || !(neutron.extensions.has("router") && neutron.externalNetworkIds.length > 0))
        throw error;
    }
  }
  // Concurrent callers of this Cloud share one build (the context holds it, not the module).
  const scope = await ctx.scope();
  return ctx.cache.shared(`get-me-a-network:${scope}`, () => buildUnderLease(ctx, scope, projectId, options));
}

/** The usable networks, from the cached network list (concurrent boots share one listing). */
async function usable(
  ctx: CloudContext,
  projectId: string | undefined,
  signal?: AbortSignal,
): Promise<Network[]> {
  return usableNetworks(await listNetworksForLookup(ctx, signal ? { signal } : {}), projectId);
}

async function buildUnderLease(
  ctx: CloudContext,
  scope: string,
  projectId: string | undefined,
  options: EnsureNetworkOptions,
): Promise<NetworkVerdict> {
  const lease = `oaktree:get-me-a-network:${scope}`;
  // Another replica may be building: wait for its lease, then find what it built.
  const release = await waitForLease(ctx.backend.leases, lease, randomUUID(), {
    ttlMs: 60_000,
    intervalMs: ctx.options.pollIntervalMs,
    deadline: Date.now() + (options.timeoutMs ?? 120_000),
    onTimeout: () => new OaktreeError('network "auto": timed out waiting for another replica\'s build'),
    ...(options.signal && { signal: options.signal }),
  });
  try {
    return await build(ctx, projectId, options);
  } finally {
    await release();
  }
}

async function build(
  ctx: CloudContext,
  projectId: string | undefined,
  options: EnsureNetworkOptions,
): Promise<NetworkVerdict> {
  const client = await ctx.client("network", options.signal);
  const c = signalOf(options);
  const normalize = await ctx.normalizeContext();
  const tags = await tagsSupported(ctx);
  const rollback = new Rollback();
  const created: string[] = [];
  // Without neutron tags the name and the description prefix are the marks.
  const mark = tags ? { managed: true, tags: [AUTO_NETWORK_TAG], ...c } : { managed: true, ...c };
  try {
    // Everything visible: the marked network (reused), the external networks, and (below) the
    // subnets whose CIDRs a new one must not overlap.
    const all: Network[] = [];
    for await (const wire of listNetworks(client, {}, c)) all.push(normalizeNetwork(wire, normalize));
    const external = chooseExternalNetwork(all, ctx.connection.config.networks ?? []);
    if (!external)
      throw new NotSupportedError('network "auto": the cloud has no external network to route to');
    let net = all.find(
      (candidate) =>
        !candidate.isRouterExternal &&
        (candidate.tags.includes(AUTO_NETWORK_TAG) || isAutoByName(candidate)) &&
        (projectId === undefined || candidate.location.project.id === projectId),
    );
    let reused = net !== undefined;
    if (!net) {
      const wire = await createNetwork(
        client,
        { name: AUTO_NAMES.network, description: markedDescription('network for "auto"', true) },
        c,
      );
      rollback.add(`network ${wire.id}`, () => deleteNetwork(client, wire.id).catch(ignoreNotFound));
      created.push(`network ${wire.id}`);
      await applyTags(ctx, "networks", wire.id, mark);
      net = normalizeNetwork(wire, normalize);
    }
    const networkId = net.id;
    const subnets: Subnet[] = [];
    for await (const wire of listSubnets(client, {}, c)) subnets.push(normalizeSubnet(wire, normalize));
    let subnet = subnets.find((candidate) => candidate.networkId === networkId && candidate.ipVersion === 4);
    if (!subnet) {
      reused = false;
      subnet = await createAutoSubnet(ctx, networkId, subnets, c);
      const subnetId = subnet.id;
      rollback.add(`subnet ${subnetId}`, () => deleteSubnet(client, subnetId).catch(ignoreNotFound));
      created.push(`subnet ${subnetId} (${subnet.cidr})`);
      await applyTags(ctx, "subnets", subnetId, mark);
    }
    const subnetId = subnet.id;
    let router: Router | undefined;
    for await (const wire of listRouters(
      client,
      tags ? { tags: [AUTO_NETWORK_TAG] } : { name: AUTO_NAMES.router },
      c,
    )) {
      const candidate = normalizeRouter(wire, normalize);
      if (tags || (candidate.description ?? "").startsWith(OAKTREE_DESCRIPTION)) {
        router = candidate;
        break;
      }
    }
    if (!router) {
      reused = false;
      const wire = await createRouter(
        client,
        {
          name: AUTO_NAMES.router,
          description: markedDescription('router for "auto"', true),
          externalGateway: { networkId: external.id },
        },
        c,
      );
      rollback.add(`router ${wire.id}`, () => deleteRouter(client, wire.id).catch(ignoreNotFound));
      created.push(`router ${wire.id}`);
      await applyTags(ctx, "routers", wire.id, mark);
      router = normalizeRouter(wire, normalize);
    }
    const routerId = router.id;
    let plugged = false;
    for await (const wire of listPorts(client, { deviceId: routerId, networkId }, c)) {
      if (normalizePort(wire, normalize).fixedIps.some((ip) => ip.subnetId === subnetId)) plugged = true;
    }
    if (!plugged) {
      reused = false;
      await addRouterInterface(client, routerId, { subnetId }, c);
      rollback.add(`interface of router ${routerId} on subnet ${subnetId}`, () =>
        removeRouterInterface(client, routerId, { subnetId }).then(() => undefined, ignoreNotFound),
      );
      created.push(`interface of router ${routerId} on subnet ${subnetId}`);
    }
    rollback.commit();
    await Promise.all([invalidateRouting(ctx), invalidateNetworks(ctx)]);
    return {
      kind: "network",
      networkId,
      source: reused ? "reused" : "built",
      created,
      reason: reused
        ? 'the network oaktree built for "auto" before'
        : `built, routed to ${external.name || external.id}`,
    };
  } catch (error) {
    const failures = await rollback.run();
    await Promise.all([invalidateRouting(ctx), invalidateNetworks(ctx)]);
    if (error instanceof OaktreeError && failures.length === 0) throw error;
    throw new GetMeANetworkError(
      `network "auto": building the network failed: ${(error as Error).message}`,
      failures.map((failure) => failure.what),
      { cause: error },
    );
  }
}

/**
 * The external network a built router uplinks to: the one clouds.yaml `networks:` marks
 * `routes_externally` or `nat_source`, else neutron's default (`is_default`), else the first
 * by name (stable across replicas).
 */
export function chooseExternalNetwork(
  networks: readonly Network[],
  hints: readonly { name: string; routesExternally: boolean; natSource: boolean }[],
): Network | undefined {
  const external = networks.filter((net) => net.isRouterExternal);
  for (const hint of hints) {
    if (!hint.routesExternally && !hint.natSource) continue;
    const match = external.find((net) => net.id === hint.name || net.name === hint.name);
    if (match) return match;
  }
  return (
    external.find((net) => net.isDefault) ??
    [...external].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))[0]
  );
}

/**
 * The subnet of the auto network: from the default subnet pool when neutron has one
 * ("default-subnetpools" extension; a 400 means no default pool is set), else a /24 from the
 * private ranges that overlaps none of the subnets the project sees.
 */
async function createAutoSubnet(
  ctx: CloudContext,
  networkId: string,
  existing: readonly Subnet[],
  c: { signal?: AbortSignal },
): Promise<Subnet> {
  const client = await ctx.client("network", c.signal);
  const normalize = await ctx.normalizeContext();
  const { extensions } = await neutronFacts(ctx);
  const base = {
    networkId,
    ipVersion: 4 as const,
    name: AUTO_NAMES.subnet,
    description: markedDescription('subnet for "auto"', true),
    enableDhcp: true,
  };
  if (extensions.has("default-subnetpools")) {
    try {
      return normalizeSubnet(
        await createSubnet(client, { ...base, useDefaultSubnetpool: true }, c),
        normalize,
      );
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
    }
  }
  const cidr = pickFreeCidr(existing.filter((subnet) => subnet.ipVersion === 4).map((subnet) => subnet.cidr));
  if (!cidr) throw new OaktreeError('network "auto": no free /24 left in the private IPv4 ranges');
  return normalizeSubnet(await createSubnet(client, { ...base, cidr }, c), normalize);
}

/**
 * The first /24 of 10.0.0.0/8, then 172.16.0.0/12, then 192.168.0.0/16 that overlaps none of
 * `used` (CIDRs; IPv6 and malformed ones ignored); undefined when all are taken.
 */
export function pickFreeCidr(used: readonly string[]): string | undefined {
  const ranges = used.map(parseCidr).filter((range): range is [number, number] => range !== undefined);
  const blocks: [number, number][] = [
    [ip(10, 0, 0, 0), 65536],
    [ip(172, 16, 0, 0), 4096],
    [ip(192, 168, 0, 0), 256],
  ];
  for (const [start, count] of blocks) {
    for (let i = 0; i < count; i++) {
      const low = start + i * 256;
      const high = low + 255;
      if (!ranges.some(([a, b]) => a <= high && low <= b)) {
        return `${(low >>> 24) & 255}.${(low >>> 16) & 255}.${(low >>> 8) & 255}.0/24`;
      }
    }
  }
  return undefined;
}

function ip(a: number, b: number, c: number, d: number): number {
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

function parseCidr(cidr: string): [number, number] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr.trim());
  if (!match) return undefined;
  const [a, b, c, d, bits] = match.slice(1).map(Number) as [number, number, number, number, number];
  if ([a, b, c, d].some((octet) => octet > 255) || bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  const low = Math.floor(ip(a, b, c, d) / size) * size;
  return [low, low + size - 1];
}

async function tagsSupported(ctx: CloudContext): Promise<boolean> {
  const { extensions } = await neutronFacts(ctx);
  return extensions.has("standard-attr-tag") || extensions.has("tag");
}

function ignoreNotFound(error: unknown): void {
  if (!(error instanceof NotFoundError)) throw error;
}
