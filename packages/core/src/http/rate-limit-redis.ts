import type { Redis } from "ioredis";
import type { RedisClient } from "../state/redis/client.js";
import { systemClock } from "./clock.js";
import type { RateLimit, RateLimiter, Release } from "./rate-limit.js";
import { createMemoryRateLimiter } from "./rate-limit-memory.js";

/**
 * GCRA (the token bucket as one timestamp) and the in-flight cap, atomic in Redis with Redis's
 * own clock (replicas' clocks may differ). KEYS: bucket hash {tat, tau}, in-flight sorted set,
 * penalty key. ARGV: rate/s (0 = none), burst, max in flight (0 = none), slot id, slot TTL ms.
 * Returns 0 when admitted, the ms to wait for the rate or a penalty, or -1 at the in-flight cap.
 */
const ADMIT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local blocked = tonumber(redis.call('GET', KEYS[3]) or '0')
if now < blocked then return blocked - now end
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cap = tonumber(ARGV[3])
local slotTtl = tonumber(ARGV[5])
local tat = now
local interval = 0
local tau = 0
if rate > 0 then
  interval = 1000 / rate
  tau = (burst - 1) * interval
  tat = tonumber(redis.call('HGET', KEYS[1], 'tat') or '0')
  if tat < now then tat = now end
  if now < tat - tau then return math.ceil(tat - tau - now) end
end
if cap > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) >= cap then return -1 end
  redis.call('ZADD', KEYS[2], now + slotTtl, ARGV[4])
  redis.call('PEXPIRE', KEYS[2], slotTtl)
end
if rate > 0 then
  redis.call('HSET', KEYS[1], 'tat', tostring(tat + interval), 'tau', tostring(tau))
  redis.call('PEXPIRE', KEYS[1], math.ceil(tat + interval - now + tau + 60000))
end
return 0`;

/**
 * Retry-After: nothing until now + ARGV[1] ms; then one request, the rest at the sustained
 * rate (the bucket's theoretical arrival time moved so that no burst is left).
 */
const PENALIZE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local blocked = tonumber(redis.call('GET', KEYS[2]) or '0')
if untilMs <= blocked then return 0 end
redis.call('SET', KEYS[2], tostring(untilMs), 'PX', ARGV[1])
local tau = tonumber(redis.call('HGET', KEYS[1], 'tau') or '0')
local tat = tonumber(redis.call('HGET', KEYS[1], 'tat') or '0')
if tat < untilMs + tau then
  redis.call('HSET', KEYS[1], 'tat', tostring(untilMs + tau))
  redis.call('PEXPIRE', KEYS[1], math.ceil(untilMs + tau - now + 60000))
end
return 1`;

/** Options of {@link createRedisRateLimiter}. */
export interface RedisRateLimiterOptions {
  /** A fail-fast connection (no offline queue, bounded commands), e.g. RedisBackend.client. */
  readonly redis: RedisClient;
  /** Prefix of the limiter's keys (default `oaktree:`): `<prefix>rate:<key>:bucket|inflight|blocked`. */
  readonly keyPrefix?: string;
  /** Names this process in its in-flight slots (default random). */
  readonly owner?: string;
  /**
   * How long an in-flight slot lives if its replica dies before releasing it (ms, default
   * 120000: longer than a request may run).
   */
  readonly slotTtlMs?: number;
  /** How often to ask again at the in-flight cap (ms, default 25). */
  readonly capPollMs?: number;
  /** Told when Redis fails and this process falls back to its own limits. */
  readonly onError?: (error: unknown) => void;
}

interface Waiter {
  readonly limit: RateLimit;
  readonly resolve: (release: Release) => void;
  readonly reject: (reason: unknown) => void;
  readonly signal?: AbortSignal;
}

/**
 * A {@link RateLimiter} shared by every replica on one Redis: one GCRA bucket and one
 * in-flight cap per key, checked and updated in one Lua script; a Retry-After penalty
 * from any replica holds all of them. Within a process each key is served first come first
 * served by one pump (one script call at a time per key). While Redis is unreachable each
 * replica falls back to its own memory limiter with the same limits (N replicas may then send
 * N times the rate: documented in docs/deployment.md).
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const redis = options.redis as unknown as Redis;
  const prefix = options.keyPrefix ?? "oaktree:";
  const owner = options.owner ?? Math.random().toString(36).slice(2);
  const slotTtlMs = options.slotTtlMs ?? 120_000;
  const capPollMs = options.capPollMs ?? 25;
  const fallback = createMemoryRateLimiter();
  const queues = new Map<string, Waiter[]>();
  let slots = 0;

  const keysOf = (key: string) => [
    `${prefix}rate:${key}:bucket`,
    `${prefix}rate:${key}:inflight`,
    `${prefix}rate:${key}:blocked`,
  ];

  /** Admits the head of `key`'s queue whenever Redis says it may go. */
  const pump = async (key: string, queue: Waiter[]) => {
    while (queue.length > 0) {
      const head = queue[0]!;
      if (head.signal?.aborted) {
        queue.shift();
        head.reject(head.signal.reason);
        continue;
      }
      const limit = head.limit;
      slots += 1;
      const slot = `${owner}:${slots}`;
      let wait: number;
      try {
        wait = Number(
          await redis.eval(
            ADMIT,
            3,
            ...keysOf(key),
            limit.requestsPerSecond ?? 0,
            Math.max(1, limit.burst ?? Math.ceil(limit.requestsPerSecond ?? 1)),
            limit.maxConcurrency ?? 0,
            slot,
            slotTtlMs,
          ),
        );
      } catch (error) {
        // Redis is away: this replica keeps its own limits meanwhile.
        options.onError?.(error);
        queue.shift();
        fallback.acquire(key, limit, head.signal).then(head.resolve, head.reject);
        continue;
      }
      if (wait === 0) {
        queue.shift();
        const [, inflight] = keysOf(key);
        head.resolve(
          once(() => {
            if (limit.maxConcurrency !== undefined) redis.zrem(inflight!, slot).catch(() => {});
          }),
        );
        continue;
      }
      await systemClock.sleep(wait < 0 ? capPollMs : wait, head.signal).catch(() => {});
    }
    queues.delete(key);
  };

  return {
    acquire(key, limit, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (limit.requestsPerSecond === undefined && limit.maxConcurrency === undefined) {
        return Promise.resolve(() => {});
      }
      return new Promise<Release>((resolve, reject) => {
        let queue = queues.get(key);
        const start = !queue;
        if (!queue) {
          queue = [];
          queues.set(key, queue);
        }
        const waiter: Waiter = { limit, resolve, reject, ...(signal && { signal }) };
        queue.push(waiter);
        // An aborted waiter behind the head leaves the queue now (the head's sleep ends on its own).
        signal?.addEventListener(
          "abort",
          () => {
            const index = queue.indexOf(waiter);
            if (index > 0) {
              queue.splice(index, 1);
              reject(signal.reason);
            }
          },
          { once: true },
        );
        if (start) void pump(key, queue);
      });
    },
    penalize(key, retryAfterMs) {
      if (retryAfterMs <= 0) return;
      fallback.penalize(key, retryAfterMs);
      const [bucket, , blocked] = keysOf(key);
      redis.eval(PENALIZE, 2, bucket!, blocked!, Math.ceil(retryAfterMs)).catch((error: unknown) => {
        options.onError?.(error);
      });
    },
  };
}

function once(fn: () => void): Release {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
