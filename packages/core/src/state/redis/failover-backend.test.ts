/**
 * Two replicas' watches on one Redis: one poller while shared; each its own poller while Redis
 * is away (degraded, waits still served, exclusive leases refused); one poller again, with
 * the same view on both, once Redis is back (even empty: a restarted Redis lost everything).
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisSkipReason, startRedis, type TestRedis } from "../../testing/redis.js";
import { SharedWatch } from "../watch.js";
import type { WatchSource } from "../watch-types.js";
import { StateUnavailableError } from "./errors.js";
import { createFailoverBackend, type FailoverBackend } from "./failover-backend.js";
import { createRedisBackend } from "./redis-backend.js";

const skip = redisSkipReason();
if (skip) console.warn(`skipping the failover tests: ${skip}`);

interface Item {
  readonly id: string;
  readonly status: string;
}

/** A cloud of items, counting the listings each replica makes. */
function fakeCloud() {
  const items = new Map<string, Item>();
  const lists = new Map<string, number>();
  return {
    items,
    lists,
    put(id: string, status: string) {
      items.set(id, { id, status });
    },
    source(replica: string): WatchSource<Item> {
      return {
        listAll: async () => {
          lists.set(replica, (lists.get(replica) ?? 0) + 1);
          return [...items.values()];
        },
        idOf: (item) => item.id,
      };
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await sleep(20);
  }
}

let redis: TestRedis;
beforeAll(async () => {
  if (!skip) redis = await startRedis();
}, 20_000);
afterAll(async () => {
  await redis?.stop();
});

describe.skipIf(skip !== undefined)("failover backend", () => {
  it("one poller while shared, one per replica while Redis is down, one again after, with one view", async () => {
    const intervalMs = 100;
    const cloud = fakeCloud();
    cloud.put("a", "BUILD");
    const backends: FailoverBackend[] = [];
    for (let i = 0; i < 2; i += 1) {
      backends.push(
        createFailoverBackend(await createRedisBackend({ url: redis.url, commandTimeoutMs: 500 })),
      );
    }
    // r1 polls twice as often: after the outage its count of polls is ahead of r0's, which
    // then takes the lease; r1 must follow r0's numbering anyway.
    const watches = backends.map(
      (backend, i) =>
        new SharedWatch<Item>(
          "c/r/p/items",
          cloud.source(`r${i}`),
          backend,
          { intervalMs: i === 0 ? intervalMs : intervalMs / 2, keepWarmMs: 0 },
          `r${i}`,
        ),
    );
    const stops = watches.map((watch) => watch.subscribe(() => {}));
    const listsOf = (i: number) => cloud.lists.get(`r${i}`) ?? 0;
    try {
      expect(backends.map((backend) => backend.mode)).toEqual(["shared", "shared"]);
      await until(() => watches.every((watch) => watch.get("a")?.status === "BUILD"), 3000, "both see a");
      const before = [listsOf(0), listsOf(1)];
      await sleep(intervalMs * 6);
      const during = [listsOf(0) - before[0]!, listsOf(1) - before[1]!];
      // One replica polls (about 6 times), the other not at all.
      expect(Math.min(...during)).toBe(0);
      expect(Math.max(...during)).toBeGreaterThanOrEqual(3);

      await redis.kill();
      await until(() => backends.every((backend) => backend.mode === "degraded"), 3000, "degraded");
      const atOutage = [listsOf(0), listsOf(1)];
      cloud.put("a", "ACTIVE");
      // Each replica polls for itself: both see the change, and waits are served.
      const waited = await Promise.all(
        watches.map((watch) =>
          watch.waitFor("a", (item) => (item?.status === "ACTIVE" ? "success" : "pending"), {
            timeoutMs: 3000,
          }),
        ),
      );
      expect(waited.map((result) => result.state)).toEqual(["success", "success"]);
      expect(listsOf(0)).toBeGreaterThan(atOutage[0]!);
      expect(listsOf(1)).toBeGreaterThan(atOutage[1]!);
      // A client token's lease is not granted from memory: two replicas could create twice.
      await expect(
        backends[0]!.leases.acquire("oaktree:client-token:c/r/p:tok", "me", 1000),
      ).rejects.toBeInstanceOf(StateUnavailableError);
      expect(await backends[0]!.kv.get("oaktree:anything")).toBeUndefined();

      await redis.restart();
      const raw = new Redis(redis.url);
      await raw.set("oaktree:watch-lease:c/r/p/items", "r0", "PX", intervalMs * 1.5);
      raw.disconnect();
      await until(() => backends.every((backend) => backend.mode === "shared"), 8000, "shared again");
      expect(backends.map((backend) => backend.failovers)).toEqual([1, 1]);
      cloud.put("b", "BUILD");
      cloud.put("a", "SHUTOFF");
      await until(
        () =>
          watches.every(
            (watch) => watch.get("b")?.status === "BUILD" && watch.get("a")?.status === "SHUTOFF",
          ),
        3000,
        "both see the changes made after the rejoin",
      );
      await sleep(intervalMs * 2);
      const rejoined = [listsOf(0), listsOf(1)];
      await sleep(intervalMs * 6);
      const after = [listsOf(0) - rejoined[0]!, listsOf(1) - rejoined[1]!];
      expect(Math.min(...after)).toBe(0);
      expect(Math.max(...after)).toBeGreaterThanOrEqual(3);
      cloud.items.delete("b");
      await until(() => watches.every((watch) => watch.get("b") === undefined), 3000, "both see b deleted");
      expect(watches[0]!.items()).toEqual(watches[1]!.items());
    } finally {
      for (const stop of stops) stop();
      await Promise.all(watches.map((watch) => watch.stop()));
      await Promise.all(backends.map((backend) => backend.close()));
    }
  }, 30_000);
});

describe.skipIf(skip !== undefined)("failover backend, stalled link", () => {
  it("a command timing out on a link that stays open degrades, and a PING that answers rejoins", async () => {
    const { startTcpProxy } = await import("../../testing/tcp-proxy.js");
    const proxy = await startTcpProxy(redis.port);
    const backend = createFailoverBackend(
      await createRedisBackend({ url: `redis://127.0.0.1:${proxy.port}`, commandTimeoutMs: 300 }),
      { probeEveryMs: 100 },
    );
    try {
      await backend.kv.set("oaktree:stall", 1);
      proxy.set("stall");
      // The link is still up (no close), but the command times out: degraded, served locally.
      expect(await backend.kv.get("oaktree:stall")).toBeUndefined();
      expect(backend.mode).toBe("degraded");
      expect(backend.shared.link).toBe("up");
      proxy.set("open");
      await until(() => backend.mode === "shared", 5000, "rejoined by the probe");
      expect(await backend.kv.get("oaktree:stall")).toBe(1);
    } finally {
      await backend.close();
      await proxy.close();
    }
  });
});
