import { describe, expect, it } from "vitest";
import { createFakeClock } from "../http/clock.js";
import { type Release, rateLimitFor, rateLimitKey } from "./rate-limit.js";
import { createMemoryRateLimiter } from "./rate-limit-memory.js";

/** Lets queued promise callbacks run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("createMemoryRateLimiter", () => {
  it("admits a burst, then exactly requestsPerSecond (virtual time, no waiting)", async () => {
    const clock = createFakeClock(0);
    const limiter = createMemoryRateLimiter({ clock });
    const limit = { requestsPerSecond: 10, burst: 5 };
    const admitted: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        const release = await limiter.acquire("c/compute", limit);
        admitted.push(clock.now());
        release();
      }),
    );
    expect(admitted).toHaveLength(50);
    expect(admitted.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    // Then one every 100 ms: 45 more take 4.5 s.
    expect(admitted.slice(5)).toEqual(Array.from({ length: 45 }, (_, i) => (i + 1) * 100));
    // No window of one second ever admits more than burst + rate.
    for (const start of admitted) {
      const inWindow = admitted.filter((t) => t >= start && t < start + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(15);
    }
    // Over a long window the rate holds: from t=1 s to t=4 s exactly 30 admissions.
    expect(admitted.filter((t) => t > 1000 && t <= 4000)).toHaveLength(30);
  });

  it("keeps keys independent", async () => {
    const clock = createFakeClock(0);
    const limiter = createMemoryRateLimiter({ clock });
    const limit = { requestsPerSecond: 1, burst: 1 };
    (await limiter.acquire("a/compute", limit))();
    (await limiter.acquire("a/network", limit))();
    expect(clock.now()).toBe(0);
    (await limiter.acquire("a/compute", limit))();
    expect(clock.now()).toBe(1000);
  });

  it("never has more than maxConcurrency in flight, first come first served", async () => {
    const limiter = createMemoryRateLimiter({ clock: createFakeClock(0) });
    const limit = { maxConcurrency: 2 };
    const order: number[] = [];
    const releases: Release[] = [];
    const pending = Array.from({ length: 5 }, (_, i) =>
      limiter.acquire("c/image", limit).then((release) => {
        order.push(i);
        releases.push(release);
      }),
    );
    await settle();
    expect(order).toEqual([0, 1]);
    releases[0]!();
    releases[0]!(); // idempotent: must not free a second slot
    await settle();
    expect(order).toEqual([0, 1, 2]);
    releases[1]!();
    releases[2]!();
    await settle();
    expect(order).toEqual([0, 1, 2, 3, 4]);
    await Promise.all(pending);
  });

  it("drops an aborted waiter and serves the next one", async () => {
    const limiter = createMemoryRateLimiter({ clock: createFakeClock(0) });
    const limit = { maxConcurrency: 1 };
    const first = await limiter.acquire("k", limit);
    const controller = new AbortController();
    const aborted = limiter.acquire("k", limit, controller.signal);
    const next = limiter.acquire("k", limit);
    controller.abort(new Error("gave up"));
    await expect(aborted).rejects.toThrow("gave up");
    first();
    const release = await next;
    expect(typeof release).toBe("function");
  });

  it("holds everything for a key until a penalty's Retry-After has passed", async () => {
    const clock = createFakeClock(0);
    const limiter = createMemoryRateLimiter({ clock });
    const limit = { requestsPerSecond: 100, burst: 100 };
    (await limiter.acquire("c/compute", limit))();
    limiter.penalize("c/compute", 3000);
    (await limiter.acquire("c/compute", limit))();
    expect(clock.now()).toBe(3000);
    // No burst after a penalty: the next one waits for a token at the sustained rate.
    (await limiter.acquire("c/compute", limit))();
    expect(clock.now()).toBe(3010);
  });
});

describe("rateLimitFor", () => {
  it("prefers the service's own entry, then '*'", () => {
    const limits = { compute: { requestsPerSecond: 5 }, "*": { maxConcurrency: 2 } };
    expect(rateLimitFor(limits, "compute")).toEqual({ requestsPerSecond: 5 });
    expect(rateLimitFor(limits, "network")).toEqual({ maxConcurrency: 2 });
    expect(rateLimitFor({}, "network")).toBeUndefined();
    expect(rateLimitKey("prod", "compute")).toBe("prod/compute");
  });
});
