/**
 * One contract, two backends: the memory backend and the Redis backend (a real redis-server
 * started by the test) pass the same tests. Without redis-server the Redis half is skipped
 * with a reason by hand, and fails under CI=true.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisSkipReason, startRedis, type TestRedis } from "../testing/redis.js";
import type { StateBackend } from "./backend.js";
import { createMemoryBackend } from "./memory-backend.js";
import { createRedisBackend } from "./redis/redis-backend.js";

const skip = redisSkipReason();
if (skip) console.warn(`skipping the Redis backend contract: ${skip}`);

interface Subject {
  readonly name: string;
  readonly skip: boolean;
  /** Two backends sharing one state (two replicas). */
  pair(): Promise<[StateBackend, StateBackend]>;
}

let redis: TestRedis | undefined;
let prefixes = 0;
const opened: StateBackend[] = [];

const subjects: Subject[] = [
  {
    name: "memory",
    skip: false,
    async pair() {
      const backend = createMemoryBackend();
      return [backend, backend];
    },
  },
  {
    name: "redis",
    skip: skip !== undefined,
    async pair() {
      // A fresh prefix per test: tests never see each other's keys.
      prefixes += 1;
      const keyPrefix = `t${prefixes}:`;
      const a = await createRedisBackend({ url: redis!.url, keyPrefix });
      const b = await createRedisBackend({ url: redis!.url, keyPrefix });
      opened.push(a, b);
      return [a, b];
    },
  },
];

beforeAll(async () => {
  if (!skip) redis = await startRedis();
}, 20_000);

afterAll(async () => {
  await Promise.all(opened.map((backend) => backend.close()));
  await redis?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` passes (at most 3 s): pub/sub delivery is asynchronous on Redis. */
async function eventually(check: () => void): Promise<void> {
  const deadline = Date.now() + 3000;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(20);
    }
  }
}

describe.each(subjects)("state backend contract: $name", (subject) => {
  it.skipIf(subject.skip)(
    "kv: set, get (JSON values), delete, and a write seen by the other replica",
    async () => {
      const [a, b] = await subject.pair();
      expect(await a.kv.get("oaktree:k")).toBeUndefined();
      await a.kv.set("oaktree:k", { n: 1, list: ["x"], nested: { ok: true } });
      expect(await b.kv.get("oaktree:k")).toEqual({ n: 1, list: ["x"], nested: { ok: true } });
      await b.kv.set("oaktree:k", "second");
      expect(await a.kv.get("oaktree:k")).toBe("second");
      await a.kv.delete("oaktree:k");
      expect(await b.kv.get("oaktree:k")).toBeUndefined();
    },
  );

  it.skipIf(subject.skip)("kv: a value with a TTL expires, one without stays", async () => {
    const [a, b] = await subject.pair();
    await a.kv.set("oaktree:short", 1, 60);
    await a.kv.set("oaktree:long", 2);
    expect(await b.kv.get("oaktree:short")).toBe(1);
    await sleep(150);
    expect(await b.kv.get("oaktree:short")).toBeUndefined();
    expect(await b.kv.get("oaktree:long")).toBe(2);
  });

  it.skipIf(subject.skip)(
    "kv: deletePrefix deletes exactly the keys under the prefix (glob characters literal)",
    async () => {
      const [a, b] = await subject.pair();
      const keys = [
        "oaktree:cache:c/r/p*1/a",
        "oaktree:cache:c/r/p*1/b",
        "oaktree:cache:c/r/p21/a",
        "oaktree:other",
      ];
      for (const key of keys) await a.kv.set(key, key);
      for (let i = 0; i < 600; i += 1) await a.kv.set(`oaktree:cache:c/r/p*1/many-${i}`, i);
      await b.kv.deletePrefix("oaktree:cache:c/r/p*1/");
      expect(await a.kv.get(keys[0]!)).toBeUndefined();
      expect(await a.kv.get(keys[1]!)).toBeUndefined();
      expect(await a.kv.get("oaktree:cache:c/r/p*1/many-599")).toBeUndefined();
      expect(await a.kv.get(keys[2]!)).toBe(keys[2]);
      expect(await a.kv.get(keys[3]!)).toBe(keys[3]);
    },
  );

  it.skipIf(subject.skip)("maps: fields set, read whole, deleted one by one and as a key", async () => {
    const [a, b] = await subject.pair();
    expect(await a.maps.getAll("oaktree:m")).toEqual(new Map());
    await a.maps.setFields(
      "oaktree:m",
      new Map([
        ["s1", { status: "BUILD" }],
        ["s2", { status: "ACTIVE" }],
      ]),
    );
    await b.maps.setFields("oaktree:m", new Map([["s1", { status: "ACTIVE" }]]));
    expect(await a.maps.getAll("oaktree:m")).toEqual(
      new Map([
        ["s1", { status: "ACTIVE" }],
        ["s2", { status: "ACTIVE" }],
      ]),
    );
    await b.maps.deleteFields("oaktree:m", ["s1", "absent"]);
    expect([...(await a.maps.getAll("oaktree:m")).keys()]).toEqual(["s2"]);
    await a.maps.deleteKey("oaktree:m");
    expect((await b.maps.getAll("oaktree:m")).size).toBe(0);
  });

  it.skipIf(subject.skip)(
    "leases: one owner at a time across replicas; renew by the holder; release only by the holder",
    async () => {
      const [a, b] = await subject.pair();
      expect(await a.leases.acquire("oaktree:lease", "alice", 5000)).toBe(true);
      expect(await b.leases.acquire("oaktree:lease", "bob", 5000)).toBe(false);
      expect(await a.leases.acquire("oaktree:lease", "alice", 5000)).toBe(true);
      await b.leases.release("oaktree:lease", "bob");
      expect(await b.leases.acquire("oaktree:lease", "bob", 5000)).toBe(false);
      await a.leases.release("oaktree:lease", "alice");
      expect(await b.leases.acquire("oaktree:lease", "bob", 5000)).toBe(true);
    },
  );

  it.skipIf(subject.skip)("leases: a lease not renewed expires and another owner takes it", async () => {
    const [a, b] = await subject.pair();
    expect(await a.leases.acquire("oaktree:lease", "alice", 80)).toBe(true);
    expect(await b.leases.acquire("oaktree:lease", "bob", 80)).toBe(false);
    await sleep(200);
    expect(await b.leases.acquire("oaktree:lease", "bob", 5000)).toBe(true);
    expect(await a.leases.acquire("oaktree:lease", "alice", 80)).toBe(false);
  });

  it.skipIf(subject.skip)("leases: of 20 concurrent acquirers exactly one wins", async () => {
    const [a, b] = await subject.pair();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).leases.acquire("oaktree:race", `owner-${i}`, 5000),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it.skipIf(subject.skip)(
    "counters: increments add up across replicas; the TTL runs from creation",
    async () => {
      const [a, b] = await subject.pair();
      expect(await a.counters.increment("oaktree:count", 1, 150)).toBe(1);
      expect(await b.counters.increment("oaktree:count", 5, 10_000)).toBe(6);
      expect(await a.counters.increment("oaktree:count")).toBe(7);
      await sleep(250);
      // The later, longer TTL did not extend the window: the counter starts again.
      expect(await b.counters.increment("oaktree:count", 2, 150)).toBe(2);
      const all = await Promise.all(Array.from({ length: 50 }, () => a.counters.increment("oaktree:many")));
      expect(Math.max(...all)).toBe(50);
      expect(new Set(all).size).toBe(50);
    },
  );

  it.skipIf(subject.skip)(
    "pubsub: every subscriber of every replica gets each message, in order, as a copy",
    async () => {
      const [a, b] = await subject.pair();
      const onA: unknown[] = [];
      const onB1: { n: number }[] = [];
      const onB2: { n: number }[] = [];
      await a.pubsub.subscribe("oaktree:ch", (message) => onA.push(message));
      await b.pubsub.subscribe<{ n: number }>("oaktree:ch", (message) => onB1.push(message));
      const stop = await b.pubsub.subscribe<{ n: number }>("oaktree:ch", (message) => onB2.push(message));
      for (let n = 1; n <= 5; n += 1) await a.pubsub.publish("oaktree:ch", { n });
      await a.pubsub.publish("oaktree:other-channel", { n: 99 });
      await eventually(() => expect(onB2).toHaveLength(5));
      await eventually(() => expect(onA).toHaveLength(5));
      expect(onB1.map((message) => message.n)).toEqual([1, 2, 3, 4, 5]);
      onB1[0]!.n = 100;
      expect(onB2[0]!.n).toBe(1);
      await stop();
      await a.pubsub.publish("oaktree:ch", { n: 6 });
      await eventually(() => expect(onB1).toHaveLength(6));
      expect(onB2).toHaveLength(5);
    },
  );

  it.skipIf(subject.skip)(
    "pubsub: a subscriber gets only what was published after it subscribed",
    async () => {
      const [a, b] = await subject.pair();
      await a.pubsub.publish("oaktree:late", { n: 1 });
      const got: unknown[] = [];
      await b.pubsub.subscribe("oaktree:late", (message) => got.push(message));
      await a.pubsub.publish("oaktree:late", { n: 2 });
      await eventually(() => expect(got).toEqual([{ n: 2 }]));
      await sleep(100);
      expect(got).toEqual([{ n: 2 }]);
    },
  );
});
