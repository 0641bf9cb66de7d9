import { type Clock, systemClock } from "./clock.js";
import type { RateLimit, RateLimiter, Release } from "./rate-limit.js";

interface Waiter {
  readonly limit: RateLimit;
  readonly resolve: (release: Release) => void;
  readonly reject: (reason: unknown) => void;
  readonly signal?: AbortSignal;
  readonly onAbort?: () => void;
}

interface Bucket {
  tokens: number;
  /** When `tokens` was last refilled. */
  refilledAt: number;
  inFlight: number;
  blockedUntil: number;
  readonly queue: Waiter[];
  /** True while a pump loop is running for this key (at most one per key). */
  pumping: boolean;
  /** Wakes the pump when a slot is released. */
  wake?: () => void;
}

/** Options of {@link createMemoryRateLimiter}. */
export interface MemoryRateLimiterOptions {
  /** Injectable time; tests use a fake clock and never wait. */
  readonly clock?: Clock;
}

/**
 * The in-process {@link RateLimiter}: per key a token bucket (refilled at requestsPerSecond,
 * holding `burst`) and an in-flight counter, served first come first served by one pump per
 * key that sleeps through the clock until the head of the queue may start.
 */
export function createMemoryRateLimiter(options: MemoryRateLimiterOptions = {}): RateLimiter {
  const clock = options.clock ?? systemClock;
  const buckets = new Map<string, Bucket>();

  const bucketOf = (key: string, limit: RateLimit): Bucket => {
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = {
        tokens: burstOf(limit),
        refilledAt: clock.now(),
        inFlight: 0,
        blockedUntil: 0,
        queue: [],
        pumping: false,
      };
      buckets.set(key, bucket);
    }
    return bucket;
  };

  const refill = (bucket: Bucket, limit: RateLimit, now: number) => {
    const rate = limit.requestsPerSecond;
    if (rate === undefined || rate <= 0) return;
    const elapsed = Math.max(0, now - Math.max(bucket.refilledAt, bucket.blockedUntil));
    bucket.tokens = Math.min(burstOf(limit), bucket.tokens + (elapsed * rate) / 1000);
    bucket.refilledAt = now;
  };

  /** Admits queued requests while the bucket and the concurrency cap allow; sleeps otherwise. */
  const pump = async (bucket: Bucket) => {
    if (bucket.pumping) return;
    bucket.pumping = true;
    try {
      while (bucket.queue.length > 0) {
        const head = bucket.queue[0]!;
        if (head.signal?.aborted) {
          bucket.queue.shift();
          continue;
        }
        const limit = head.limit;
        const now = clock.now();
        if (now < bucket.blockedUntil) {
          await clock.sleep(bucket.blockedUntil - now);
          continue;
        }
        if (limit.maxConcurrency !== undefined && bucket.inFlight >= limit.maxConcurrency) {
          await new Promise<void>((resolve) => {
            bucket.wake = resolve;
          });
          continue;
        }
        refill(bucket, limit, now);
        const rate = limit.requestsPerSecond;
        if (rate !== undefined && rate > 0) {
          if (bucket.tokens < 1) {
            await clock.sleep(Math.ceil(((1 - bucket.tokens) * 1000) / rate));
            continue;
          }
          bucket.tokens -= 1;
        }
        bucket.queue.shift();
        head.signal?.removeEventListener("abort", head.onAbort!);
        bucket.inFlight++;
        head.resolve(once(() => release(bucket)));
      }
    } finally {
      bucket.pumping = false;
    }
  };

  const release = (bucket: Bucket) => {
    bucket.inFlight--;
    const wake = bucket.wake;
    bucket.wake = undefined;
    wake?.();
  };

  return {
    acquire(key, limit, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      const bucket = bucketOf(key, limit);
      return new Promise<Release>((resolve, reject) => {
        const waiter: Waiter = {
          limit,
          resolve,
          reject,
          ...(signal && {
            signal,
            onAbort: () => {
              const index = bucket.queue.indexOf(waiter);
              if (index >= 0) bucket.queue.splice(index, 1);
              reject(signal.reason);
            },
          }),
        };
        if (waiter.onAbort) signal?.addEventListener("abort", waiter.onAbort, { once: true });
        bucket.queue.push(waiter);
        void pump(bucket);
      });
    },
    penalize(key, retryAfterMs) {
      const bucket = buckets.get(key);
      if (!bucket || retryAfterMs <= 0) return;
      bucket.blockedUntil = Math.max(bucket.blockedUntil, clock.now() + retryAfterMs);
      // One request may go when the penalty ends; the rest follow at the sustained rate.
      bucket.tokens = Math.min(bucket.tokens, 1);
    },
  };
}

function burstOf(limit: RateLimit): number {
  return Math.max(1, limit.burst ?? Math.ceil(limit.requestsPerSecond ?? 1));
}

function once(fn: () => void): Release {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
