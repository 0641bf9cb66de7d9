/** Two limiters (two replicas) on one Redis share one rate, one in-flight cap and one penalty. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisBackend, type RedisBackend } from "../state/redis/redis-backend.js";
import { redisSkipReason, startRedis, type TestRedis } from "../testing/redis.js";
import type { RateLimiter } from "./rate-limit.js";
import { createRedisRateLimiter } from "./rate-limit-redis.js";

const skip = redisSkipReason();
if (skip) console.warn(`skipping the Redis rate limiter tests: ${skip}`);

let redis: TestRedis;
let backends: RedisBackend[] = [];
beforeAll(async () => {
  if (skip) return;
  redis = await startRedis();
  backends = await Promise.all([0, 1].map(() => createRedisBackend({ url: redis.url })));
}, 20_000);
afterAll(async () => {
  await Promise.all(backends.map((backend) => backend.close()));
  await redis?.stop();
});

let keys = 0;
/** Two replicas' limiters and a key of their own for this test. */
function pair(): { limiters: RateLimiter[]; key: string } {
  keys += 1;
  return {
    limiters: backends.map((backend, i) =>
      createRedisRateLimiter({ redis: backend.client, owner: `replica-${i}` }),
    ),
    key: `cloud/compute-${keys}`,
  };
}

describe.skipIf(skip !== undefined)("Redis rate limiter", () => {
  it("two replicas together never exceed the rate (GCRA in one Lua script)", async () => {
    const { limiters, key } = pair();
    const limit = { requestsPerSecond: 20, burst: 2 };
    const admitted: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const release = await limiters[i % 2]!.acquire(key, limit);
        admitted.push(Date.now() - started);
        release();
      }),
    );
    admitted.sort((a, b) => a - b);
    // 30 requests at 20/s with a burst of 2: the last one no earlier than (30 - 2) / 20 s.
    expect(admitted.at(-1)!).toBeGreaterThanOrEqual(1400 - 60);
    // In any 500 ms window, at most burst + 10 (+1 for timer rounding).
    for (let i = 0; i < admitted.length; i += 1) {
      const inWindow = admitted.filter((at) => at >= admitted[i]! && at < admitted[i]! + 500).length;
      expect(inWindow).toBeLessThanOrEqual(2 + 10 + 1);
    }
  }, 15_000);

  it("the in-flight cap holds across replicas", async () => {
    const { limiters, key } = pair();
    const limit = { maxConcurrency: 3 };
    let inFlight = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const release = await limiters[i % 2]!.acquire(key, limit);
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight -= 1;
        release();
      }),
    );
    expect(most).toBe(3);
  }, 15_000);

  it("a Retry-After seen by one replica holds the other, then one request, then the sustained rate", async () => {
    const { limiters, key } = pair();
    const limit = { requestsPerSecond: 10, burst: 5 };
    (await limiters[1]!.acquire(key, limit))();
    limiters[0]!.penalize(key, 400);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    const times: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      (await limiters[1]!.acquire(key, limit))();
      times.push(Date.now() - started);
    }
    expect(times[0]!).toBeGreaterThanOrEqual(330);
    // No burst after the penalty: 100 ms apart (10/s), though the bucket holds 5.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(80);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(80);
  }, 15_000);

  it("a waiter whose signal aborts is rejected with the reason", async () => {
    const { limiters, key } = pair();
    const limit = { requestsPerSecond: 1, burst: 1 };
    (await limiters[0]!.acquire(key, limit))();
    const controller = new AbortController();
    const waiting = limiters[0]!.acquire(key, limit, controller.signal);
    setTimeout(() => controller.abort(new Error("caller gave up")), 50);
    await expect(waiting).rejects.toThrow("caller gave up");
  });
});
