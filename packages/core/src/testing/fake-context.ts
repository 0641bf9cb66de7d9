import type { TokenInfo } from "../auth/types.js";
import type { CloudContext } from "../cloud/context.js";
import type { CloudConfig } from "../config/types.js";
import type { CloudConnection, DiscoveredService } from "../connection/connect.js";
import { NotSupportedError } from "../errors.js";
import type { ServiceClient } from "../http/types.js";
import type { Capabilities } from "../models/capabilities.js";
import type { NormalizeContext } from "../models/location.js";
import { ResourceCache } from "../state/cache.js";
import { createMemoryBackend } from "../state/memory-backend.js";
import { WatchRegistry } from "../state/watch.js";

/** The project every fake context is scoped to. */
export const FAKE_PROJECT = { id: "p-demo", name: "demo", domainId: "default" } as const;

/** Options of {@link fakeContext}. */
export interface FakeContextOptions {
  /** Clients by official service type (usually scripted clients); others are "not in the catalog". */
  readonly clients?: Readonly<Record<string, ServiceClient>>;
  /** Overrides of the default config (cloud "fake", region "RegionOne"). */
  readonly config?: Partial<CloudConfig>;
  /** What `connection.services()` answers; default: one entry per client. */
  readonly services?: DiscoveredService[];
  /** Milliseconds between watch polls (default 10). */
  readonly pollIntervalMs?: number;
}

/**
 * A {@link CloudContext} without a cloud, for business-logic tests with scripted clients:
 * `ctx.client(type)` returns the scripted client for `type`, and `normalizeContext()` makes no
 * call (so scripts contain only what the code under test sends).
 */
export function fakeContext(options: FakeContextOptions = {}): CloudContext {
  const clients = options.clients ?? {};
  const config: CloudConfig = {
    name: "fake",
    region: "RegionOne",
    regions: ["RegionOne"],
    source: { fromEnv: false },
    authType: "password",
    auth: { authUrl: "https://fake.example/identity" },
    interface: "public",
    apiVersions: {},
    endpointOverrides: {},
    tls: { verify: true },
    cache: { expirationTime: 0, expiration: {} },
    rateLimits: {},
    extra: {},
    ...options.config,
  };
  const token: TokenInfo = {
    token: "fake-token",
    identityVersion: "3",
    identityEndpoint: "https://fake.example/identity/v3",
    issuedAt: new Date(0),
    project: FAKE_PROJECT,
    user: { id: "u-demo", name: "demo" },
    roles: ["member"],
    catalog: [],
    methods: ["password"],
  };
  const normalize: NormalizeContext = { cloud: config.name, region: "RegionOne", project: FAKE_PROJECT };
  const lookup = async (serviceType: string) => {
    const client = clients[serviceType];
    if (!client) throw new NotSupportedError(`cloud "fake" has no ${serviceType} endpoint in its catalog`);
    return client;
  };
  const connection: CloudConnection = {
    config,
    auth: undefined as unknown as CloudConnection["auth"],
    handler: () => Promise.reject(new Error("fake connection: no raw handler")),
    token: async () => token,
    project: FAKE_PROJECT,
    normalizeContext: () => normalize,
    serviceClient: (type) => lookup(type),
    services: async () =>
      options.services ??
      Object.values(clients).map((client) => ({
        serviceType: client.serviceType,
        endpoint: client.endpoint,
        version: client.version,
        ...(client.microversions && { microversions: client.microversions }),
        ...(client.microversion && { microversion: client.microversion }),
      })),
    close: async () => {},
  };
  const backend = createMemoryBackend();
  const pollIntervalMs = options.pollIntervalMs ?? 10;
  const memos = new Map<string, Promise<unknown>>();
  const ctx: CloudContext = {
    connection,
    backend,
    watches: new WatchRegistry(backend, { intervalMs: pollIntervalMs }),
    cache: new ResourceCache(
      backend.kv,
      "oaktree:cache:fake/RegionOne/",
      (kind) => 1000 * (config.cache.expiration[kind] ?? config.cache.expirationTime),
    ),
    options: { pollIntervalMs, reconcileEveryMs: 60_000 },
    scope: async () => `fake/RegionOne/${FAKE_PROJECT.id}`,
    normalizeContext: async () => normalize,
    client: (type) => lookup(type),
    async optionalClient(type) {
      return clients[type];
    },
    memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
      let value = memos.get(key) as Promise<T> | undefined;
      if (!value) {
        value = compute();
        memos.set(key, value);
        value.catch(() => memos.delete(key));
      }
      return value;
    },
  };
  return ctx;
}

/** Changes to {@link fakeCapabilities}' defaults (a modern neutron cloud). */
export interface CapabilityOverrides {
  readonly floatingIps?: Partial<Capabilities["floatingIps"]>;
  readonly securityGroups?: Partial<Capabilities["securityGroups"]>;
  readonly images?: Partial<Capabilities["images"]>;
  readonly getMeANetwork?: Partial<Capabilities["getMeANetwork"]>;
  readonly networkExtensions?: readonly string[];
}

/**
 * Primes `ctx`'s capability memos (so business-logic scripts need not contain the probes) and
 * returns the capabilities. Defaults: neutron floating IPs from "ext-net", neutron security
 * groups, glance v2 PUT with qcow2/raw, get-me-a-network by building, tags supported.
 */
export function fakeCapabilities(ctx: CloudContext, overrides: CapabilityOverrides = {}): Capabilities {
  const networkExtensions = overrides.networkExtensions ?? ["router", "security-group", "standard-attr-tag"];
  const capabilities: Capabilities = {
    location: { cloud: "fake", region: "RegionOne", project: FAKE_PROJECT },
    floatingIps: {
      model: "neutron",
      externalNetworkIds: ["ext-net"],
      novaPools: [],
      reason: "fake",
      ...overrides.floatingIps,
    },
    securityGroups: { model: "neutron", reason: "fake", ...overrides.securityGroups },
    images: {
      apiVersion: "2",
      diskFormats: ["qcow2", "raw", "vhd", "iso"],
      containerFormats: ["bare", "ovf"],
      uploadMethods: ["v2-put"],
      importMethods: [],
      reason: "fake",
      ...overrides.images,
    },
    getMeANetwork: { method: "build", reason: "fake", ...overrides.getMeANetwork },
    networkExtensions,
    services: [],
  };
  const neutron = {
    present: capabilities.securityGroups.model !== "nova",
    extensions: new Set(networkExtensions),
    externalNetworkIds: capabilities.floatingIps.externalNetworkIds,
  };
  void ctx.memo("capabilities", async () => capabilities);
  void ctx.memo("caps:images", async () => capabilities.images);
  void ctx.memo("caps:get-me-a-network", async () => capabilities.getMeANetwork);
  void ctx.memo("caps:security-groups", async () => capabilities.securityGroups);
  void ctx.memo("caps:neutron", async () => neutron);
  return capabilities;
}
