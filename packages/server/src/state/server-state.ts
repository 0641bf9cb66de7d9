import {
  createFailoverBackend,
  createRedisBackend,
  createRedisRateLimiter,
  type FailoverBackend,
  type RateLimiter,
  type StateBackend,
} from "@oaktree/core";
import type { Logger } from "pino";
import { Counter, Gauge, type Registry } from "prom-client";
import type { StateSettings } from "./settings.js";

/** What `/healthz` and the gRPC health service say about shared state. */
export interface StateHealth {
  readonly backend: "memory" | "redis";
  /** `shared`: on Redis; `degraded`: Redis unreachable, serving from this replica's memory. */
  readonly mode: "local" | "shared" | "degraded";
  /** Times this replica fell back to memory since it started. */
  readonly failovers: number;
}

/** The gRPC health service name that is SERVING while shared state is reachable (Redis only). */
export const STATE_HEALTH_SERVICE = "oaktree.state";

/** The shared state of one server process, with its health. */
export interface ServerState {
  /** Undefined with `state: memory`: each Cloud keeps its own memory backend, as before. */
  readonly backend?: StateBackend;
  /** The rate limiter shared by replicas (Redis only). */
  readonly rateLimiter?: RateLimiter;
  health(): StateHealth;
  /** Calls `listener` with the new health on each change of mode; returns the function that stops it. */
  onChange(listener: (health: StateHealth) => void): () => void;
  close(): Promise<void>;
}

/**
 * Opens the state the settings name. Redis: the failover backend over ioredis (a replica whose
 * Redis is down at start still starts, degraded), the Redis rate limiter on the same
 * connection, and the metrics `oaktree_state_backend_up{backend="redis"}` (1 shared, 0
 * degraded) and `oaktree_state_failovers_total{backend="redis"}`; each change of mode is
 * logged once (warn going degraded, info coming back).
 */
export async function openServerState(
  settings: StateSettings,
  options: { readonly logger: Logger; readonly registry: Registry },
): Promise<ServerState> {
  if (settings.backend === "memory") {
    return {
      health: () => ({ backend: "memory", mode: "local", failovers: 0 }),
      onChange: () => () => {},
      close: async () => {},
    };
  }
  const { logger, registry } = options;
  const log = logger.child({ component: "state" });
  let lastError = "";
  const redis = await createRedisBackend({
    url: settings.url,
    ...(settings.keyPrefix !== undefined && { keyPrefix: settings.keyPrefix }),
    onError: (error) => {
      // ioredis repeats the same error on every reconnection attempt: log each kind once.
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastError) log.debug({ err: message }, "redis connection error");
      lastError = message;
    },
  });
  const backend: FailoverBackend = createFailoverBackend(redis);
  const up = new Gauge({
    name: "oaktree_state_backend_up",
    help: "1 while shared state (Redis) is reachable, 0 while this replica serves from its own memory (degraded).",
    labelNames: ["backend"] as const,
    registers: [registry],
  });
  const failovers = new Counter({
    name: "oaktree_state_failovers_total",
    help: "Times this replica fell back from shared state (Redis) to its own memory.",
    labelNames: ["backend"] as const,
    registers: [registry],
  });
  const health = (): StateHealth => ({ backend: "redis", mode: backend.mode, failovers: backend.failovers });
  up.set({ backend: "redis" }, backend.mode === "shared" ? 1 : 0);
  failovers.inc({ backend: "redis" }, backend.failovers);
  const where = redactUrl(settings.url);
  if (backend.mode === "degraded")
    log.warn({ redis: where }, "shared state unreachable at start: serving degraded");
  else log.info({ redis: where }, "shared state on redis");
  backend.onModeChange((mode) => {
    up.set({ backend: "redis" }, mode === "shared" ? 1 : 0);
    if (mode === "degraded") {
      failovers.inc({ backend: "redis" });
      log.warn({ redis: where }, "shared state unreachable: serving degraded from this replica's memory");
    } else {
      lastError = "";
      log.info({ redis: where }, "shared state reachable again: rejoined");
    }
  });
  const rateLimiter = createRedisRateLimiter({
    redis: redis.client,
    ...(settings.keyPrefix !== undefined && { keyPrefix: settings.keyPrefix }),
  });
  return {
    backend,
    rateLimiter,
    health,
    onChange(listener) {
      return backend.onModeChange(() => listener(health()));
    },
    close: () => backend.close(),
  };
}

/** The URL without its password (logs never carry secrets). */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable url)";
  }
}
