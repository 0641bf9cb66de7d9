/**
 * A connection to one cloud (one CloudConfig = one cloud and region): the http stack, the
 * keystone session, and discovered, cached service clients. This is what the porcelain
 * (cloud/), the CLI and the gRPC server build on. It holds no global state: create one per
 * (cloud, region), close it when done.
 */
import type { Logger } from "pino";
import { abortable, createKeystoneAuth, type KeystoneAuth } from "../auth/keystone.js";
import type { TokenInfo } from "../auth/types.js";
import { hasProjectTemplate, selectEndpoint, substituteProjectId } from "../catalog/catalog.js";
import {
  createDocumentCache,
  type DiscoveredVersion,
  type DiscoverySource,
  discoverVersion,
} from "../catalog/discovery.js";
import { microversionHeaders, negotiateMicroversion } from "../catalog/microversions.js";
import { aliasMajorVersion, officialType } from "../catalog/service-types.js";
import { parseVersionId } from "../catalog/version-document.js";
import type { CloudConfig } from "../config/types.js";
import { NotSupportedError } from "../errors.js";
import type { HttpObserver } from "../http/interceptors/observe.js";
import type { RetryOptions } from "../http/interceptors/retry.js";
import type { RateLimiter } from "../http/rate-limit.js";
import { createServiceClient } from "../http/service-client.js";
import { createHttpStack, createHttpStackFromConfig } from "../http/stack.js";
import { createTransport } from "../http/transport.js";
import type { Handler, ServiceClient } from "../http/types.js";
import type { NormalizeContext, ProjectRef } from "../models/location.js";

/**
 * How long a service's fallback endpoint, guessed while its version documents could not be read
 * for a passing reason (a 5xx, a timeout, an outage), is used before discovery is tried again.
 */
export const REDISCOVER_GUESS_AFTER_MS = 30_000;

/** Options of {@link connect}. All optional. */
export interface ConnectOptions {
  /** pino logger: requests at debug (redacted), and auth/discovery decisions and fallbacks. */
  readonly logger?: Logger;
  /** Aborts the initial authentication. */
  readonly signal?: AbortSignal;
  /** Do not authenticate in connect(); the first call that needs a token does. Default false. */
  readonly lazy?: boolean;
  /** The innermost handler instead of a new keep-alive transport (tests, or a shared pool: then close() leaves it open). */
  readonly transport?: Handler;
  /** Admission control shared with other connections (deployer mode); default: one per connection. */
  readonly rateLimiter?: RateLimiter;
  /** Retry settings of the http stack; `false` never retries. */
  readonly retry?: RetryOptions | false;
  /** Milliseconds since the epoch, for token expiry (tests). */
  readonly now?: () => number;
  /** Renew tokens this long before they expire (default 3 minutes; see createKeystoneAuth). */
  readonly expiryMarginMs?: number;
  /** Told of every cloud request (keystone's too) once it finished: the server's metrics. */
  readonly observer?: HttpObserver;
  /**
   * Where tokens come from instead of the config's credentials: deployer mode lends its
   * callers' tokens (createDelegatedAuth), and the config may then carry none.
   */
  readonly auth?: KeystoneAuth;
  /**
   * Appended to the keys this connection's requests take in a shared `rateLimiter` (deployer
   * mode: `region/project`, so that projects sharing one limiter keep their own buckets).
   */
  readonly rateLimitScope?: string;
}

/** One service of the catalog as oaktree would use it, or why it cannot. */
export interface DiscoveredService {
  /** Official type (`block-storage`). */
  readonly serviceType: string;
  /** The type the catalog entry used (`volumev3`); undefined for an endpoint override. */
  readonly catalogType?: string;
  /** The catalog entry's name (`cinderv3`). */
  readonly name?: string;
  /** The URL the catalog (or `<service>_endpoint_override`) gave, project id substituted. */
  readonly catalogUrl?: string;
  /** The versioned endpoint requests go to. */
  readonly endpoint?: string;
  /** The API version chosen (`2.1`, `2`, `3`, `2.0`). */
  readonly version?: string;
  /** The negotiated microversion range: [server min, min(oaktree max, server max)]. */
  readonly microversions?: { readonly min: string; readonly max: string };
  /** The server's own microversion range. */
  readonly serverMicroversions?: { readonly min: string; readonly max: string };
  /** The microversion sent by default (top of `microversions`). */
  readonly microversion?: string;
  /** How the endpoint was found; `override` when clouds.yaml set `<service>_endpoint_override`. */
  readonly source?: DiscoverySource;
  readonly override?: boolean;
  /** Why discovery fell back, when it did. */
  readonly note?: string;
  /** Why the service cannot be used (no endpoint for the interface/region, unsupported microversions). */
  readonly error?: string;
}

/** Options of {@link CloudConnection.serviceClient}. */
export interface ServiceClientRequest {
  readonly signal?: AbortSignal;
}

/** A connection to one cloud and region. */
export interface CloudConnection {
  readonly config: CloudConfig;
  /** The keystone session (AuthProvider + token details). */
  readonly auth: KeystoneAuth;
  /** The authenticated http stack (auth, retry, rate limits, logging): for callers with absolute URLs. */
  readonly handler: Handler;
  /** The current token's details, authenticating first when needed. */
  token(signal?: AbortSignal): Promise<TokenInfo>;
  /** The project the last token is scoped to (undefined before the first authentication or when unscoped). */
  readonly project: ProjectRef | undefined;
  /** What normalizers need: cloud, region and project of this connection. */
  normalizeContext(): NormalizeContext;
  /**
   * The client for a service (official type or any alias: `block-storage`, `volumev3`,
   * `volume`), discovered once and cached: endpoint from the catalog (or the override) for the
   * config's interface and region, version chosen from the version document, microversions
   * negotiated. Rejects with NotSupportedError when the cloud has no such service here.
   */
  serviceClient(serviceType: string, options?: ServiceClientRequest): Promise<ServiceClient>;
  /**
   * Every service in the catalog (plus endpoint overrides) with its endpoint, version and
   * microversion range. Never rejects for one service's trouble: that service carries `error`.
   */
  services(options?: ServiceClientRequest): Promise<DiscoveredService[]>;
  /** Closes the keep-alive sockets (when connect() created the transport). */
  close(): Promise<void>;
}

/**
 * `limiter` with `scope` appended to every key: connections to one cloud that must not share
 * buckets (deployer mode's projects) can still share one limiter (a Redis one, across replicas).
 */
export function scopedRateLimiter(limiter: RateLimiter, scope: string): RateLimiter {
  return {
    acquire: (key, limit, signal) => limiter.acquire(`${key}@${scope}`, limit, signal),
    penalize: (key, retryAfterMs) => limiter.penalize(`${key}@${scope}`, retryAfterMs),
  };
}

/**
 * Connects to a cloud: builds the http stack from the config (TLS, timeout, rate limits),
 * and authenticates (unless `lazy`).
 *
 * @example
 * const config = await loadCloudConfigFromDisk({ cloud: "mycloud" });
 * const conn = await connect(config, { logger });
 * try {
 *   const compute = await conn.serviceClient("compute");
 *   const { servers } = (await compute.request({ method: "GET", path: "/servers" })).json<{ servers: unknown[] }>();
 * } finally {
 *   await conn.close();
 * }
 */
export async function connect(config: CloudConfig, options: ConnectOptions = {}): Promise<CloudConnection> {
  const owned = options.transport ? undefined : createTransport({ tls: config.tls });
  const transport = options.transport ?? owned!.handle;
  const { logger } = options;
  const common = {
    transport,
    ...(logger && { logger }),
    ...(options.retry !== undefined && { retry: options.retry }),
    ...(options.observer && { observer: options.observer }),
  };
  // keystone's own calls go through a stack without the auth interceptor (they carry no token).
  const keystone = createHttpStack({
    ...common,
    cloud: config.name,
    tls: config.tls,
    ...(config.apiTimeoutMs !== undefined && { timeoutMs: config.apiTimeoutMs }),
  });
  const documents = createDocumentCache();
  const auth =
    options.auth ??
    createKeystoneAuth(config, {
      send: keystone,
      documents,
      ...(logger && { logger }),
      ...(options.now && { now: options.now }),
      ...(options.expiryMarginMs !== undefined && { expiryMarginMs: options.expiryMarginMs }),
    });
  const handler = createHttpStackFromConfig(config, {
    ...common,
    auth,
    ...(options.rateLimiter && {
      rateLimiter:
        options.rateLimitScope !== undefined
          ? scopedRateLimiter(options.rateLimiter, options.rateLimitScope)
          : options.rateLimiter,
    }),
  });
  const ctx = { send: handler, documents, ...(logger && { logger }) };

  const clients = new Map<string, Promise<{ client: ServiceClient; service: DiscoveredService }>>();
  /** When a service's discovery fell back after a failure that may pass (see `passing`). */
  const guessedAt = new Map<string, number>();

  /** Resolves one service; `requested` is what the caller asked for (an official type or alias). */
  const resolve = async (requested: string) => {
    const serviceType = officialType(requested);
    const configured = config.apiVersions[serviceType];
    const major = aliasMajorVersion(requested.toLowerCase()) ?? parseVersionId(configured ?? "")?.[0];
    const info = await auth.authenticate();
    const projectId = info.project?.id;
    const override = config.endpointOverrides[serviceType];
    let catalogUrl: string;
    let base: Omit<DiscoveredService, "serviceType">;
    if (override) {
      catalogUrl = substituteProjectId(override, projectId);
      base = { catalogUrl, override: true };
    } else {
      const selected = selectEndpoint(info.catalog, {
        serviceType: requested,
        interface: config.interface,
        ...(config.region !== undefined && { region: config.region }),
        ...(major !== undefined && { major }),
      });
      if (!selected) {
        throw new NotSupportedError(
          `cloud "${config.name}"${config.region ? ` region ${config.region}` : ""} has no ${config.interface} ${serviceType} endpoint in its catalog`,
        );
      }
      catalogUrl = substituteProjectId(selected.endpoint.url, projectId);
      base = {
        catalogType: selected.entry.type,
        ...(selected.entry.name !== undefined && { name: selected.entry.name }),
        catalogUrl,
      };
    }
    if (hasProjectTemplate(catalogUrl)) {
      throw new NotSupportedError(
        `cloud "${config.name}": the ${serviceType} endpoint ${catalogUrl} needs a project, and the token has none (set project_name or project_id)`,
      );
    }
    const found: DiscoveredVersion = await discoverVersion(ctx, {
      serviceType,
      url: catalogUrl,
      ...(projectId !== undefined && { projectId }),
      ...(major !== undefined && { apiVersion: String(major) }),
    });
    if (found.passing) guessedAt.set(requested.toLowerCase(), Date.now());
    const negotiated = negotiateMicroversion(serviceType, found.microversions);
    const service: DiscoveredService = {
      serviceType,
      ...base,
      endpoint: found.endpoint,
      version: found.version,
      ...(negotiated && { microversions: negotiated.range, microversion: negotiated.default }),
      ...(found.microversions && { serverMicroversions: found.microversions }),
      source: found.source,
      ...(found.note !== undefined && { note: found.note }),
    };
    const client = createServiceClient({
      handler,
      serviceType,
      endpoint: found.endpoint,
      version: found.version,
      ...(negotiated && { microversions: negotiated.range, microversion: negotiated.default }),
      microversionHeaders: (microversion) => microversionHeaders(serviceType, microversion),
    });
    return { client, service };
  };

  const cached = (requested: string, signal?: AbortSignal) => {
    signal?.throwIfAborted();
    const key = requested.toLowerCase();
    // A guess made while the service's documents could not be read is kept only a while.
    const guessed = guessedAt.get(key);
    if (guessed !== undefined && Date.now() - guessed > REDISCOVER_GUESS_AFTER_MS) {
      guessedAt.delete(key);
      clients.delete(key);
    }
    let pending = clients.get(key);
    if (!pending) {
      // Not tied to this caller's signal: other callers may be waiting for the same discovery.
      pending = resolve(requested);
      clients.set(key, pending);
      // A failure is not kept: the next call tries again (the cloud may come back).
      pending.catch(() => clients.delete(key));
    }
    return abortable(pending, signal);
  };

  if (!options.lazy) await auth.authenticate(options.signal);

  return {
    config,
    auth,
    handler,
    token: (signal) => auth.authenticate(signal),
    get project() {
      return auth.current?.project;
    },
    normalizeContext() {
      return {
        cloud: config.name,
        ...(config.region !== undefined && { region: config.region }),
        project: auth.current?.project ?? {},
      };
    },
    async serviceClient(serviceType, request = {}) {
      return (await cached(serviceType, request.signal)).client;
    },
    async services(request = {}) {
      const info = await auth.authenticate(request.signal);
      const types = [
        ...new Set([
          ...info.catalog.map((entry) => entry.serviceType),
          ...Object.keys(config.endpointOverrides),
        ]),
      ];
      return Promise.all(
        types.map(async (serviceType): Promise<DiscoveredService> => {
          try {
            return (await cached(serviceType, request.signal)).service;
          } catch (error) {
            if (request.signal?.aborted) throw error;
            const entry = info.catalog.find((e) => e.serviceType === serviceType);
            return {
              serviceType,
              ...(entry && { catalogType: entry.type }),
              ...(entry?.name !== undefined && { name: entry.name }),
              error: error instanceof Error ? error.message : String(error),
            };
          }
        }),
      );
    },
    async close() {
      await owned?.close();
    },
  };
}
