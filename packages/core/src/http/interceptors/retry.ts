import { type Clock, systemClock } from "../clock.js";
import { ConnectionError, OpenStackError, OverLimitError } from "../errors.js";
import type { HttpRequest, Interceptor } from "../types.js";

/**
 * Why an error may be worth another attempt, as aws-sdk-js-v3 classifies them:
 * - `throttling`: the service asked us to slow down (429, or 413 with Retry-After)
 * - `transient`: the connection failed or broke before a response
 * - `server`: a gateway or the service is briefly unavailable (502, 503, 504)
 * - `client`: anything else; retrying would give the same answer
 */
export type ErrorClass = "throttling" | "transient" | "server" | "client";

/** Classifies an error thrown by the layers below retry. */
export function classifyError(error: unknown): ErrorClass {
  if (error instanceof ConnectionError) return "transient";
  if (!(error instanceof OpenStackError) || error.status === undefined) return "client";
  if (error.status === 429) return "throttling";
  // NOTE: a 413 without Retry-After is a quota or size refusal (cinder overLimit on volume
  // size, swift object too large): repeating it cannot help. With Retry-After it is nova's
  // old rate limiting (pre-Newton "Rate limit exceeded"), which asks for a retry.
  if (error.status === 413 && error instanceof OverLimitError && error.retryAfterMs !== undefined) {
    return "throttling";
  }
  if (error.status === 502 || error.status === 503 || error.status === 504) return "server";
  return "client";
}

/** What the retry interceptor passes to `onRetry` before it sleeps. */
export interface RetryEvent {
  readonly request: HttpRequest;
  readonly error: unknown;
  readonly errorClass: ErrorClass;
  /** The attempt that just failed, from 1. */
  readonly attempt: number;
  readonly delayMs: number;
}

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Attempts in total, first included. Default 4 (three retries). 1 disables retrying. */
  readonly maxAttempts?: number;
  /** First backoff ceiling; doubled per attempt ("full jitter" picks in [0, ceiling]). Default 500 ms. */
  readonly baseDelayMs?: number;
  /** Largest backoff ceiling. Default 30 s. */
  readonly maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the error surfaces. Default 60 s. */
  readonly maxRetryAfterMs?: number;
  readonly clock?: Clock;
  /** In [0, 1); injectable for deterministic tests. */
  readonly random?: () => number;
  readonly onRetry?: (event: RetryEvent) => void;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "PUT", "DELETE"]);

/** True when sending `request` twice is harmless and possible. */
export function isRetryable(request: HttpRequest): boolean {
  if (request.body?.kind === "stream") return false;
  return SAFE_METHODS.has(request.method) || (request.method === "POST" && request.idempotent === true);
}

/**
 * Retries idempotent requests on transient, server and throttling errors with exponential
 * backoff and full jitter (delay = random * min(maxDelay, base * 2^attempt)); a Retry-After
 * from the service replaces the computed delay. The backoff sleep ends early when the
 * request's AbortSignal aborts. Each attempt passes through every interceptor below.
 */
export function retry(options: RetryOptions = {}): Interceptor {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 30_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  return (next) => async (request) => {
    if (!isRetryable(request)) return next(request);
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(request);
      } catch (error) {
        if (request.signal?.aborted || attempt >= maxAttempts) throw error;
        const errorClass = classifyError(error);
        if (errorClass === "client") throw error;
        const retryAfter = error instanceof OpenStackError ? error.retryAfterMs : undefined;
        if (retryAfter !== undefined && retryAfter > maxRetryAfter) throw error;
        const delayMs = retryAfter ?? Math.floor(random() * Math.min(cap, base * 2 ** (attempt - 1)));
        options.onRetry?.({ request, error, errorClass, attempt, delayMs });
        await clock.sleep(delayMs, request.signal);
      }
    }
  };
}
