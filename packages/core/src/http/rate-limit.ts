import type { RateLimitSettings } from "../config/types.js";

/** Gives back the in-flight slot taken by {@link RateLimiter.acquire}. Idempotent. */
export type Release = () => void;

/** The limits of one key: clouds.yaml's settings plus an optional burst. */
export interface RateLimit extends RateLimitSettings {
  /** Bucket size: requests allowed at once after a quiet period. Default max(1, requestsPerSecond). */
  readonly burst?: number;
}

/**
 * Admission control per key (`<cloud>/<service type>`): a token bucket for the rate and a
 * cap on requests in flight. The memory implementation (rate-limit-memory.ts) serves one
 * process; the Redis one (rate-limit-redis.ts: GCRA and the in-flight cap in a Lua script) shares
 * the limits between replicas, which is why the limits travel with each call instead of being
 * configured into the limiter. The contract lives here, beside the interceptor that uses it,
 * so that http/ does not depend on state/ (docs/decisions/0009-layering.md).
 */
export interface RateLimiter {
  /**
   * Waits until a request for `key` may start (FIFO per key), then returns its release.
   * Rejects with the signal's reason if it aborts while waiting.
   */
  acquire(key: string, limit: RateLimit, signal?: AbortSignal): Promise<Release>;
  /**
   * The service answered 429/413 with Retry-After: admit nothing more for `key` until that
   * time has passed; then requests resume at the sustained rate, without a burst.
   */
  penalize(key: string, retryAfterMs: number): void;
}

/** The key of a cloud's service. */
export function rateLimitKey(cloud: string, serviceType: string): string {
  return `${cloud}/${serviceType}`;
}

/**
 * The limit for a service from CloudConfig.rateLimits: its own entry, else "*", else none.
 */
export function rateLimitFor(
  limits: Readonly<Record<string, RateLimitSettings>> | undefined,
  serviceType: string,
): RateLimit | undefined {
  return limits?.[serviceType] ?? limits?.["*"];
}
