import type { RateLimitSettings } from "../../config/types.js";
import { OverLimitError } from "../errors.js";
import { type RateLimiter, rateLimitFor, rateLimitKey } from "../rate-limit.js";
import type { Interceptor } from "../types.js";

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  readonly limiter: RateLimiter;
  /** The cloud's name: keys are `<cloud>/<service type>`. */
  readonly cloud: string;
  /** CloudConfig.rateLimits: per official service type, "*" for the rest. */
  readonly limits: Readonly<Record<string, RateLimitSettings>>;
}

/**
 * Holds each attempt until the limiter admits it (token bucket + max in flight per cloud and
 * service), keeps the slot until the response is read, and tells the limiter about a
 * 429/413 Retry-After so that every caller of that service slows down, not only the retried one.
 * Requests of services without a configured limit (and without "*") pass straight through.
 */
export function rateLimit(options: RateLimitOptions): Interceptor {
  return (next) => async (request) => {
    const service = request.serviceType ?? "unknown";
    const limit = rateLimitFor(options.limits, service);
    if (!limit) return next(request);
    const key = rateLimitKey(options.cloud, service);
    const release = await options.limiter.acquire(key, limit, request.signal);
    try {
      return await next(request);
    } catch (error) {
      if (error instanceof OverLimitError && error.retryAfterMs !== undefined) {
        options.limiter.penalize(key, error.retryAfterMs);
      }
      throw error;
    } finally {
      release();
    }
  };
}
