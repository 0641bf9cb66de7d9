import { readFile } from "node:fs/promises";
import type { DescFile } from "@bufbuild/protobuf";
import { ServerCredentials } from "@grpc/grpc-js";
import { Cloud, type CloudConfig, type CloudOptions, type ConnectOptions } from "@oaktree/core";
import type { Logger } from "pino";
import { createDeployerAuth } from "./auth/index.js";
import { CloudRegistry } from "./clouds.js";
import { formatHostPort, ServerConfigError, type ServerSettings } from "./config.js";
import { type GrpcListener, HealthImplementation, listenGrpc } from "./grpc/listener.js";
import { createHandlers, type HandlerDeps, type ServiceHandlers } from "./handlers/index.js";
import { watchHubsOf } from "./handlers/watch.js";
import { loadConsoleAssets } from "./http/console-assets.js";
import { type HttpListener, listenHttp, type TlsMaterial } from "./http/listener.js";
import { instrument } from "./instrument.js";
import { createLogger } from "./logging.js";
import { ServerMetrics } from "./metrics.js";
import { DEFAULT_RECOVERY, type Reclaimer, startReclaimer } from "./recovery/reclaimer.js";
import { CallTracker } from "./shutdown.js";
import { openServerState, STATE_HEALTH_SERVICE } from "./state/server-state.js";

/** Options of {@link serve}. */
export interface ServeOptions {
  readonly settings: ServerSettings;
  /** Every configured cloud x region (listCloudConfigsFromDisk), before the server config's overrides. */
  readonly configs: readonly CloudConfig[];
  /** The default cloud when the settings name none (OS_CLOUD). */
  readonly defaultCloud?: string;
  readonly logger?: Logger;
  /** oaktree.v1's handlers (default: createHandlers). */
  readonly handlers?: (deps: HandlerDeps) => ServiceHandlers[];
  /** More services on both listeners, e.g. the 2017 `oaktree.Oaktree` API. */
  readonly extraServices?: (deps: HandlerDeps) => ServiceHandlers[];
  /** More descriptor files for reflection (the served services' own files are found already). */
  readonly reflectionFiles?: readonly DescFile[];
  /** Porcelain options over the settings' (tests: a short poll interval). */
  readonly cloudOptions?: CloudOptions;
  /** Connection options of every cloud (tests: a recording transport). */
  readonly connect?: ConnectOptions;
}

/** A running oaktree server. */
export interface RunningServer {
  /** `HOST:PORT` of the gRPC listener, as bound. */
  readonly grpcAddress: string;
  /** `http://HOST:PORT` of the HTTP listener, when there is one. */
  readonly httpUrl?: string;
  /** The web console's URL (`<httpUrl>/`), when it is served (settings.console). */
  readonly consoleUrl?: string;
  readonly clouds: CloudRegistry;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  /** In-flight calls (graceful shutdown). */
  readonly calls: CallTracker;
  /** Restart recovery's reclaimer (`recovery:` settings; its timer is off at interval 0). */
  readonly reclaimer: Reclaimer;
  /**
   * Graceful shutdown: NOT_SERVING, stop accepting, end streams with UNAVAILABLE, let unary
   * calls finish within the grace, then close the clouds. Idempotent.
   */
  stop(): Promise<void>;
}

/**
 * Starts oaktree's listeners on the configured clouds: native gRPC (with health checking and
 * reflection) and the HTTP listener (Connect JSON, gRPC-Web, /metrics, /healthz), one set of
 * handlers behind both. Opens no connection to any cloud: each is opened by its first call, so
 * the server starts with no network.
 */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const { settings } = options;
  const logger = options.logger ?? createLogger(settings.logLevel);
  const metrics = new ServerMetrics();
  const defaultCloud = settings.defaultCloud ?? options.defaultCloud;
  const configs = options.configs.map((config) => withServerOverrides(config, settings));
  if (defaultCloud !== undefined && !configs.some((config) => config.name === defaultCloud)) {
    throw new ServerConfigError(
      `clouds.default: no cloud "${defaultCloud}" is configured (configured: ${[...new Set(configs.map((c) => c.name))].join(", ") || "none"})`,
    );
  }
  // Redis (state: redis): caches, watch leases, client tokens and rate limits shared by replicas.
  const state = await openServerState(settings.state, { logger, registry: metrics.registry });
  const stateConnect = state.rateLimiter && { rateLimiter: state.rateLimiter };
  const clouds = new CloudRegistry({
    configs,
    ...(defaultCloud !== undefined && { defaultCloud }),
    cloudOptions: {
      ...settings.watch,
      ...(state.backend && { backend: state.backend }),
      ...options.cloudOptions,
    },
    auth: settings.auth.mode,
    onEvicted: (cloud) => metrics.removeCloud(cloud),
    logger,
    async open(config, state, cloudLogger, connect) {
      const cloud = await Cloud.open({
        config,
        state: { ...state, cacheObserver: metrics.cacheObserverFor(config.name) },
        ...(cloudLogger && { logger: cloudLogger.child({ cloud: config.name, region: config.region }) }),
        connect: { ...options.connect, ...stateConnect, ...connect, observer: metrics.observeCloudRequest },
      });
      metrics.addCloud(cloud);
      return cloud;
    },
  });
  // Deployer mode: every call is checked against its cloud's keystone and runs as its caller.
  const deployer =
    settings.auth.mode === "deployer"
      ? createDeployerAuth({
          clouds,
          validationTtlMs: settings.auth.validationTtlMs,
          logger,
          connect: { ...options.connect, observer: metrics.observeCloudRequest },
        })
      : undefined;
  const authorize = deployer && { authorize: deployer.authorize };
  const deps: HandlerDeps = { clouds };
  metrics.addWatchHubs(watchHubsOf(deps));
  const services = [...(options.handlers ?? createHandlers)(deps), ...(options.extraServices?.(deps) ?? [])];
  const calls = new CallTracker();
  const health = new HealthImplementation({ "": "NOT_SERVING" });
  let serving = false;
  const credentials = settings.tls ? await grpcCredentials(settings.tls) : ServerCredentials.createInsecure();

  let grpc: GrpcListener | undefined;
  let http: HttpListener | undefined;
  try {
    grpc = await listenGrpc({
      address: formatHostPort(settings.grpc),
      credentials,
      services: instrument(services, { listener: "grpc", logger, metrics, calls, ...authorize }),
      health,
      ...(options.reflectionFiles && { reflectionFiles: options.reflectionFiles }),
      ...(settings.limits && { limits: settings.limits }),
    });
    if (settings.http) {
      http = await listenHttp({
        ...settings.http,
        services: instrument(services, { listener: "http", logger, metrics, calls, ...authorize }),
        metrics,
        serving: () => serving,
        healthDetail: () => ({ state: state.health() }),
        ...(settings.limits && { limits: settings.limits }),
        ...(settings.tls && { tls: await tlsMaterial(settings.tls) }),
        ...(settings.console && { console: await loadConsoleAssets() }),
      });
    }
  } catch (error) {
    grpc?.server.forceShutdown();
    await clouds.close();
    await state.close();
    await deployer?.close();
    throw listenError(error, settings);
  }

  // The clouds are loaded (configs read and checked); connections open on first use.
  const setHealth = (status: "SERVING" | "NOT_SERVING") => {
    health.setStatus("", status);
    for (const { service } of services) health.setStatus(service.typeName, status);
  };
  setHealth("SERVING");
  serving = true;
  // Shared state has a health entry of its own: NOT_SERVING while degraded (the replica serves on).
  if (settings.state.backend === "redis") {
    const stateHealth = () =>
      health.setStatus(STATE_HEALTH_SERVICE, state.health().mode === "degraded" ? "NOT_SERVING" : "SERVING");
    stateHealth();
    state.onChange(stateHealth);
  }
  logger.info(
    {
      grpc: grpc.address,
      http: http?.url,
      tls: settings.tls ? (settings.tls.clientCa ? "mtls" : "tls") : "off",
      clouds: clouds.cloudNames(),
      defaultCloud: clouds.defaultCloud,
      state: settings.state.backend,
      auth: settings.auth.mode,
    },
    "oaktree serving",
  );

  const reclaimer = startReclaimer({
    clouds,
    settings: settings.recovery ?? DEFAULT_RECOVERY,
    logger,
    metrics,
    deployer: settings.auth.mode === "deployer",
  });
  let stopping: Promise<void> | undefined;
  const grpcListener = grpc;
  const stop = () => {
    stopping ??= (async () => {
      serving = false;
      setHealth("NOT_SERVING");
      logger.info(
        { graceMs: settings.shutdownGraceMs },
        "shutting down: streams end now, unary calls may finish",
      );
      const grace = settings.shutdownGraceMs;
      const closed = Promise.all([grpcListener.close(grace + 1000), http?.close(grace + 1000)]);
      await calls.drain(grace);
      await closed;
      await reclaimer.stop();
      await clouds.close();
      await state.close();
      await deployer?.close();
      logger.info("stopped");
    })();
    return stopping;
  };

  return {
    grpcAddress: grpc.address,
    ...(http && { httpUrl: http.url }),
    ...(http && settings.console && { consoleUrl: `${http.url}/` }),
    clouds,
    metrics,
    logger,
    calls,
    reclaimer,
    stop,
  };
}

/**
 * Stops `server` gracefully on the first SIGTERM or SIGINT; a second one exits at once.
 * Resolves once the server has stopped.
 */
export function stopOnSignals(server: RunningServer): Promise<void> {
  return new Promise((resolve, reject) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      process.once(signal, () => process.exit(130));
      server.stop().then(resolve, reject);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

/** A cloud's config with the server config's cache TTLs and rate limits laid over it. */
function withServerOverrides(config: CloudConfig, settings: ServerSettings): CloudConfig {
  if (!settings.cache && !settings.rateLimits) return config;
  return {
    ...config,
    cache: {
      expirationTime: settings.cache?.expirationTime ?? config.cache.expirationTime,
      expiration: { ...config.cache.expiration, ...settings.cache?.expiration },
    },
    rateLimits: { ...config.rateLimits, ...settings.rateLimits },
  };
}

async function tlsMaterial(tls: NonNullable<ServerSettings["tls"]>): Promise<TlsMaterial> {
  const read = async (key: string, path: string) => {
    try {
      return await readFile(path);
    } catch (error) {
      throw new ServerConfigError(
        `${key}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      );
    }
  };
  return {
    cert: await read("tls.cert", tls.cert),
    key: await read("tls.key", tls.key),
    ...(tls.clientCa !== undefined && { clientCa: await read("tls.client_ca", tls.clientCa) }),
  };
}

async function grpcCredentials(tls: NonNullable<ServerSettings["tls"]>): Promise<ServerCredentials> {
  const material = await tlsMaterial(tls);
  return ServerCredentials.createSsl(
    material.clientCa ?? null,
    [{ cert_chain: material.cert, private_key: material.key }],
    material.clientCa !== undefined,
  );
}

/** A listen failure as one line naming the listener (a port in use is the usual one). */
function listenError(error: unknown, settings: ServerSettings): unknown {
  if (error instanceof ServerConfigError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/EADDRINUSE|address already in use|No address added out of total/i.test(message)) {
    const addresses = [settings.grpc, settings.http].filter(Boolean).map((a) => formatHostPort(a!));
    return new ServerConfigError(`cannot listen on ${addresses.join(" or ")}: ${message}`);
  }
  return error;
}
