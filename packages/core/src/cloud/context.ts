import type { CacheSettings } from "../config/types.js";
import type { CloudConnection } from "../connection/connect.js";
import { NotSupportedError } from "../errors.js";
import { collect } from "../http/paginate.js";
import type { ServiceClient } from "../http/types.js";
import type { NormalizeContext } from "../models/location.js";
import { type Network, normalizeNetwork } from "../models/network.js";
import { listNetworks } from "../services/network/v2/networks/requests.js";
import type { StateBackend } from "../state/backend.js";
import { type CacheObserver, ResourceCache } from "../state/cache.js";
import { createMemoryBackend } from "../state/memory-backend.js";
import { WatchRegistry } from "../state/watch.js";

/** Tunables of the porcelain; every one has a default that suits a personal cloud. */
export interface CloudOptions {
  /** Where caches, watches and leases live. Default: this process's memory. */
  readonly backend?: StateBackend;
  /** Watch registry to share between Cloud objects of one process (the gRPC server has one). */
  readonly watches?: WatchRegistry;
  /** Milliseconds between shared polls of a resource kind. Default 5000 (shade's default). */
  readonly pollIntervalMs?: number;
  /** A full listing at least this often between incremental polls. Default 60000. */
  readonly reconcileEveryMs?: number;
  /** Called with errors the background watches hit (they go on polling). */
  readonly onWatchError?: (error: unknown) => void;
  /** Told of every cache hit, miss and load, by resource kind (the server's metrics). */
  readonly cacheObserver?: CacheObserver;
}

/**
 * What every porcelain module needs: the connection, clients by service, the normalize
 * context, shared state. Modules take it as their one explicit dependency.
 */
export interface CloudContext {
  readonly connection: CloudConnection;
  readonly backend: StateBackend;
  readonly watches: WatchRegistry;
  readonly cache: ResourceCache;
  readonly options: Required<Pick<CloudOptions, "pollIntervalMs" | "reconcileEveryMs">>;
  /** `cloud/region/project`: the scope of caches, watches and leases. */
  scope(): Promise<string>;
  normalizeContext(): Promise<NormalizeContext>;
  /** The client for a service; rejects with NotSupportedError when the cloud has none. */
  client(serviceType: string, signal?: AbortSignal): Promise<ServiceClient>;
  /** The client for a service, or undefined when the cloud has none (e.g. no neutron). */
  optionalClient(serviceType: string, signal?: AbortSignal): Promise<ServiceClient | undefined>;
  /**
   * `compute()`'s value, kept in this process for the `capabilities` cache TTL (default one
   * hour): a memo for capability probes. Concurrent first calls share one compute; a failure
   * is not kept.
   */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

/** Builds the context of one Cloud (one connection: a cloud, a region, a project). */
export function createCloudContext(connection: CloudConnection, options: CloudOptions = {}): CloudContext {
  const backend = options.backend ?? createMemoryBackend();
  const pollIntervalMs = options.pollIntervalMs ?? 5000;
  const reconcileEveryMs = options.reconcileEveryMs ?? 60_000;
  const watches =
    options.watches ??
    new WatchRegistry(backend, {
      intervalMs: pollIntervalMs,
      reconcileEveryMs,
      ...(options.onWatchError && { onError: options.onWatchError }),
    });
  const memos = new Map<string, { value: Promise<unknown>; expiresAt: number }>();
  const config = connection.config;
  const ttlMs = cacheTtlMs(config.cache);

  const context: CloudContext = {
    connection,
    backend,
    watches,
    options: { pollIntervalMs, reconcileEveryMs },
    // The scope needs the token's project id (projects see different flavors and networks):
    // resolved on use.
    cache: new ResourceCache(
      backend.kv,
      async () => `oaktree:cache:${await context.scope()}/`,
      ttlMs,
      options.cacheObserver,
    ),
    async scope() {
      const token = await connection.token();
      return `${config.name}/${config.region ?? ""}/${token.project?.id ?? "unscoped"}`;
    },
    async normalizeContext() {
      await connection.token();
      const base = connection.normalizeContext();
      const externalNetworks = await externalNetworkNames(context);
      return externalNetworks.size > 0 ? { ...base, externalNetworks } : base;
    },
    client: (serviceType, signal) => connection.serviceClient(serviceType, signal ? { signal } : {}),
    async optionalClient(serviceType, signal) {
      try {
        return await context.client(serviceType, signal);
      } catch (error) {
        if (error instanceof NotSupportedError) return undefined;
        throw error;
      }
    },
    memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
      const now = Date.now();
      const entry = memos.get(key);
      if (entry && entry.expiresAt > now) return entry.value as Promise<T>;
      const value = compute();
      const ttl = ttlMs(CAPABILITIES_CACHE_KIND);
      // With a TTL of 0 the probe is shared while in flight only.
      const fresh = { value, expiresAt: ttl > 0 ? now + ttl : Number.POSITIVE_INFINITY };
      memos.set(key, fresh);
      const forget = () => {
        if (memos.get(key) === fresh) memos.delete(key);
      };
      // A failed probe is not remembered: the next call tries again.
      value.then(() => {
        if (ttl <= 0) forget();
      }, forget);
      return value;
    },
  };
  return context;
}

/**
 * Seconds oaktree keeps what its own lookups read, by cache kind, unless clouds.yaml sets
 * `cache.expiration.<kind>`: the names createServer resolves and the external networks every
 * address normalization reads. A lookup that misses re-reads once, so a flavor, image or
 * network created since is found whatever the TTL; the TTL bounds how long a deleted or
 * renamed one may still be used.
 */
export const DEFAULT_CACHE_TTL_SECONDS: Readonly<Record<string, number>> = {
  /** Capability probes (extensions, external networks, image formats, microversions). */
  capabilities: 3600,
  /** Flavor lists (listFlavors, name resolution). */
  flavor: 300,
  /** Image name/id references (createServer's `image`). */
  image: 60,
  /** Network lists (name resolution, get-me-a-network) and the external networks. */
  network: 60,
  /** Keypairs by name (they never change; per user). */
  keypair: 300,
  /** Security group name/id references (createServer's `securityGroups`). */
  "security-group": 60,
};

/**
 * The TTL of a cache kind in milliseconds: clouds.yaml `cache.expiration.<kind>`, else
 * oaktree's default for the kind ({@link DEFAULT_CACHE_TTL_SECONDS}), else
 * `cache.expiration_time` (default 0: not cached, as in openstacksdk).
 */
export function cacheTtlMs(settings: CacheSettings): (kind: string) => number {
  return (kind) =>
    1000 * (settings.expiration[kind] ?? DEFAULT_CACHE_TTL_SECONDS[kind] ?? settings.expirationTime);
}

/** The cache kind of capability probes (see {@link DEFAULT_CACHE_TTL_SECONDS}). */
export const CAPABILITIES_CACHE_KIND = "capabilities";

/** The cache kind of network lists (see {@link DEFAULT_CACHE_TTL_SECONDS}). */
export const NETWORK_CACHE_KIND = "network";

/**
 * The networks neutron marks `router:external` (none without neutron), cached (kind
 * `network`): floating IPs, NAT decisions and address normalization all read this one list.
 */
export function listExternalNetworks(ctx: CloudContext): Promise<readonly Network[]> {
  return ctx.cache.getOrLoad(NETWORK_CACHE_KIND, "external", async () => {
    const network = await ctx.optionalClient("network");
    if (!network) return [];
    // The connection's own context: the full one is built from this list.
    const normalize = ctx.connection.normalizeContext();
    return (await collect(listNetworks(network, { routerExternal: true }))).map((wire) =>
      normalizeNetwork(wire, normalize),
    );
  });
}

/** Names and ids of the external networks. */
async function externalNetworkNames(ctx: CloudContext): Promise<ReadonlySet<string>> {
  const names = new Set<string>();
  for (const net of await listExternalNetworks(ctx)) {
    names.add(net.id);
    if (net.name) names.add(net.name);
  }
  return names;
}
