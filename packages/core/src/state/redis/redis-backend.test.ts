/** What only the Redis backend promises: key layout, fast typed failures, catching up after a cut. */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisSkipReason, startRedis, type TestRedis } from "../../testing/redis.js";
import { startTcpProxy } from "../../testing/tcp-proxy.js";
import { replicaOwnerId } from "../lease.js";
import { StateUnavailableError } from "./errors.js";
import { createRedisBackend } from "./redis-backend.js";

const skip = redisSkipReason();
if (skip) console.warn(`skipping the Redis backend tests: ${skip}`);

let redis: TestRedis;
beforeAll(async () => {
  if (!skip) redis = await startRedis();
}, 20_000);
afterAll(async () => {
  await redis?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(20);
  }
}

describe.skipIf(skip !== undefined)("RedisBackend", () => {
  it("stores core's oaktree: keys under the configured prefix, as JSON, leases naming their owner", async () => {
    const backend = await createRedisBackend({ url: redis.url, keyPrefix: "blue:" });
    const raw = new Redis(redis.url);
    try {
      await backend.kv.set("oaktree:cache:c/r/p/flavors", [{ id: "f1" }], 10_000);
      expect(await raw.get("blue:cache:c/r/p/flavors")).toBe('[{"id":"f1"}]');
      const ttl = await raw.pttl("blue:cache:c/r/p/flavors");
      expect(ttl).toBeGreaterThan(5000);
      expect(ttl).toBeLessThanOrEqual(10_000);
      const owner = replicaOwnerId();
      expect(owner).toMatch(/^[^:]+:\d+:[0-9a-f]{8}$/);
      await backend.leases.acquire("oaktree:watch-lease:c/r/p/servers", owner, 10_000);
      expect(await raw.get("blue:watch-lease:c/r/p/servers")).toBe(owner);
      expect(await backend.leaseHolder("oaktree:watch-lease:c/r/p/servers")).toBe(owner);
      await backend.pubsub.publish("oaktree:watch:c/r/p/servers", { seq: 1 });
      expect(await raw.type("blue:watch:c/r/p/servers")).toBe("stream");
    } finally {
      raw.disconnect();
      await backend.close();
    }
  });

  it("fails fast with StateUnavailableError when Redis does not answer, and works again when it does", async () => {
    const proxy = await startTcpProxy(redis.port);
    const backend = await createRedisBackend({
      url: `redis://127.0.0.1:${proxy.port}`,
      commandTimeoutMs: 500,
    });
    try {
      await backend.kv.set("oaktree:x", 1);
      expect(backend.link).toBe("up");
      proxy.set("blackhole");
      await until(() => backend.link === "down", 2000);
      const started = Date.now();
      const failure = await backend.kv.get("oaktree:x").catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StateUnavailableError);
      expect((failure as Error).message).toMatch(/GET oaktree:x/);
      await expect(backend.leases.acquire("oaktree:l", "me", 1000)).rejects.toBeInstanceOf(
        StateUnavailableError,
      );
      expect(Date.now() - started).toBeLessThan(1500);
      proxy.set("open");
      await until(() => backend.link === "up", 5000);
      expect(await backend.kv.get("oaktree:x")).toBe(1);
    } finally {
      await backend.close();
      await proxy.close();
    }
  });

  it("a subscriber cut off from Redis reads, once back, what was published meanwhile", async () => {
    const proxy = await startTcpProxy(redis.port);
    const publisher = await createRedisBackend({ url: redis.url, keyPrefix: "cut:" });
    const subscriber = await createRedisBackend({
      url: `redis://127.0.0.1:${proxy.port}`,
      keyPrefix: "cut:",
    });
    try {
      const got: number[] = [];
      await subscriber.pubsub.subscribe<{ n: number }>("oaktree:ch", (message) => got.push(message.n));
      await publisher.pubsub.publish("oaktree:ch", { n: 1 });
      await until(() => got.length === 1, 3000);
      proxy.set("cut");
      await until(() => subscriber.link === "down", 2000);
      for (let n = 2; n <= 4; n += 1) await publisher.pubsub.publish("oaktree:ch", { n });
      await sleep(300);
      expect(got).toEqual([1]);
      proxy.set("open");
      await until(() => got.length === 4, 8000);
      expect(got).toEqual([1, 2, 3, 4]);
    } finally {
      await Promise.all([publisher.close(), subscriber.close()]);
      await proxy.close();
    }
  });
});

describe.skipIf(skip !== undefined)("RedisBackend errors", () => {
  it("a value that is not JSON is an error of its own, not 'Redis unavailable' (no failover for bad data)", async () => {
    const { createFailoverBackend } = await import("./failover-backend.js");
    const backend = createFailoverBackend(await createRedisBackend({ url: redis.url, keyPrefix: "bad:" }));
    const raw = new Redis(redis.url);
    try {
      await raw.set("bad:garbage", "{not json");
      await expect(backend.kv.get("oaktree:garbage")).rejects.toBeInstanceOf(SyntaxError);
      expect(backend.mode).toBe("shared");
    } finally {
      raw.disconnect();
      await backend.close();
    }
  });
});
