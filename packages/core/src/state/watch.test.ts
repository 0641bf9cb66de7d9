import { describe, expect, it } from "vitest";
import { createMemoryBackend } from "./memory-backend.js";
import { type Judge, WatchRegistry, type WatchSource } from "./watch.js";

interface Item {
  id: string;
  status: string;
  updated: string;
}

/** A fake cloud whose state is advanced by the test, counting list calls of each kind. */
function fakeCloud(initial: Item[] = []) {
  const items = new Map(initial.map((item) => [item.id, item]));
  const deleted: Item[] = [];
  let clock = Date.parse("2026-01-01T00:00:00Z");
  const calls = { full: 0, incremental: [] as string[], returned: [] as number[], gets: [] as number[] };
  const tick = () => {
    clock += 1000;
    return new Date(clock).toISOString();
  };
  const cloud = {
    calls,
    onList: (() => {}) as (callNumber: number) => void,
    put(id: string, status: string) {
      items.set(id, { id, status, updated: tick() });
    },
    purge(id: string) {
      items.delete(id);
    },
    remove(id: string) {
      items.delete(id);
      deleted.push({ id, status: "DELETED", updated: tick() });
    },
    onGet: (() => {}) as (callNumber: number) => void,
    source(incremental = true, byId = false): WatchSource<Item> {
      return {
        listAll: async () => {
          calls.full += 1;
          cloud.onList(calls.full + calls.incremental.length);
          return [...items.values()];
        },
        ...(incremental && {
          listChangedSince: async (since: string) => {
            calls.incremental.push(since);
            cloud.onList(calls.full + calls.incremental.length);
            const changed = [...items.values(), ...deleted].filter(
              (item) => Date.parse(item.updated) >= Date.parse(since),
            );
            calls.returned.push(changed.length);
            return changed;
          },
        }),
        ...(byId && {
          get: async (id: string) => {
            calls.gets.push(Date.now());
            cloud.onGet(calls.gets.length);
            return items.get(id);
          },
        }),
        idOf: (item) => item.id,
        changedAtOf: (item) => item.updated,
        isDeleted: (item) => item.status === "DELETED",
      };
    },
  };
  return cloud;
}

const untilActive: Judge<Item> = (item, seen) =>
  item?.status === "ACTIVE" ? "success" : item?.status === "ERROR" || (seen && !item) ? "failure" : "pending";

describe("SharedWatch", () => {
  async function waitersCost(waiters: number) {
    const cloud = fakeCloud();
    cloud.put("s1", "BUILD");
    // The server becomes ACTIVE when the cloud is listed for the third time.
    cloud.onList = (n) => {
      if (n === 3) cloud.put("s1", "ACTIVE");
    };
    const registry = new WatchRegistry(createMemoryBackend(), { intervalMs: 5 });
    const results = await Promise.all(
      Array.from({ length: waiters }, () =>
        registry.watch("c/r/p/server", () => cloud.source()).waitFor("s1", untilActive, { timeoutMs: 5000 }),
      ),
    );
    await registry.close();
    return { results, calls: cloud.calls.full + cloud.calls.incremental.length };
  }

  it("a waiter that arrives while the watch is stopping restarts it and is served", async () => {
    const cloud = fakeCloud([{ id: "s1", status: "ACTIVE", updated: "2026-01-01T00:00:00Z" }]);
    const registry = new WatchRegistry(createMemoryBackend(), { intervalMs: 5 });
    const watch = registry.watch("c/r/p/server", () => cloud.source(false));
    const first = await watch.waitFor("s1", untilActive, { timeoutMs: 2000 });
    // The first waiter's success begins the halt; this waiter comes before it has finished.
    cloud.put("s1", "ERROR");
    const second = await watch.waitFor("s1", untilActive, { timeoutMs: 2000 });
    await registry.close();
    expect(first.state).toBe("success");
    expect(second.state).toBe("failure");
  });

  it("serves 100 concurrent waiters with the list requests of one", async () => {
    const one = await waitersCost(1);
    const hundred = await waitersCost(100);
    expect(one.results[0]?.state).toBe("success");
    expect(
      hundred.results.every((result) => result.state === "success" && result.value?.status === "ACTIVE"),
    ).toBe(true);
    expect(one.calls).toBe(3);
    expect(hundred.calls).toBe(one.calls);
  });

  it("polls incrementally from the newest change time and reports only what changed", async () => {
    const cloud = fakeCloud();
    for (let i = 0; i < 1000; i++) cloud.put(`s${i}`, "ACTIVE");
    const registry = new WatchRegistry(createMemoryBackend(), { intervalMs: 5 });
    const watch = registry.watch("c/r/p/server", () => cloud.source());
    const batches: string[][] = [];
    let polls = 0;
    cloud.onList = (n) => {
      polls = n;
      if (n === 2) {
        for (let i = 0; i < 10; i++) cloud.put(`s${i}`, "SHUTOFF");
        cloud.remove("s999");
      }
    };
    const stop = watch.subscribe((events) =>
      batches.push(events.map((event) => `${event.type} ${event.id}`)),
    );
    await until(() => polls >= 3);
    stop();
    await registry.close();
    expect(cloud.calls.full).toBe(1);
    expect(batches[0]).toHaveLength(1000);
    // The second poll saw the ten changes and the deletion; the third poll saw nothing new.
    expect(batches[1]?.sort()).toEqual(
      ["DELETED s999", ...Array.from({ length: 10 }, (_, i) => `MODIFIED s${i}`)].sort(),
    );
    expect(batches).toHaveLength(2);
    expect(watch.get("s999")).toBeUndefined();
  });

  it("reconciles with a full listing, turning objects gone without a trace into DELETED", async () => {
    const cloud = fakeCloud([{ id: "a", status: "ACTIVE", updated: "2026-01-01T00:00:00Z" }]);
    let polls = 0;
    cloud.onList = (n) => {
      polls = n;
      // Purged: no DELETED record for an incremental listing to report; only a full list can tell.
      if (n === 2) cloud.purge("a");
    };
    const seen: string[] = [];
    for (const reconcileEveryMs of [60_000, 0]) {
      const registry = new WatchRegistry(createMemoryBackend(), { intervalMs: 5, reconcileEveryMs });
      cloud.put("a", "ACTIVE");
      polls = 0;
      cloud.calls.full = 0;
      cloud.calls.incremental.length = 0;
      seen.length = 0;
      const stop = registry
        .watch("k", () => cloud.source())
        .subscribe((events) => seen.push(...events.map((event) => `${event.type} ${event.id}`)));
      await until(() => polls >= 4);
      stop();
      await registry.close();
      if (reconcileEveryMs > 0) {
        expect(seen).toEqual(["ADDED a"]);
        expect(cloud.calls.full).toBe(1);
      } else {
        expect(seen).toEqual(["ADDED a", "DELETED a"]);
        expect(cloud.calls.incremental).toHaveLength(0);
      }
    }
  });

  it("starts on first interest and stops when none is left", async () => {
    const cloud = fakeCloud([{ id: "a", status: "BUILD", updated: "2026-01-01T00:00:00Z" }]);
    const registry = new WatchRegistry(createMemoryBackend(), { intervalMs: 5, keepWarmMs: 0 });
    registry.watch("k", () => cloud.source());
    await sleep(30);
    expect(cloud.calls.full + cloud.calls.incremental.length).toBe(0);
    const result = await registry
      .watch("k", () => cloud.source())
      .waitFor("a", untilActive, { timeoutMs: 30 });
    expect(result).toEqual({
      state: "timeout",
      value: { id: "a", status: "BUILD", updated: "2026-01-01T00:00:00Z" },
    });
    await sleep(10);
    const after = cloud.calls.full + cloud.calls.incremental.length;
    expect(after).toBeGreaterThan(0);
    await sleep(30);
    expect(cloud.calls.full + cloud.calls.incremental.length).toBe(after);
    expect(registry.keys()).toEqual([]);
  });

  it("ends a wait as aborted when the caller's signal aborts", async () => {
    const cloud = fakeCloud([{ id: "a", status: "BUILD", updated: "2026-01-01T00:00:00Z" }]);
    const registry = new WatchRegistry(createMemoryBackend(), { intervalMs: 5 });
    const controller = new AbortController();
    const pending = registry
      .watch("k", () => cloud.source())
      .waitFor("a", untilActive, {
        timeoutMs: 5000,
        signal: controller.signal,
      });
    setTimeout(() => controller.abort(), 20);
    expect((await pending).state).toBe("aborted");
    await registry.close();
  });

  it("judges a vanished object as failure once it had been seen", async () => {
    const cloud = fakeCloud([{ id: "a", status: "BUILD", updated: "2026-01-01T00:00:00Z" }]);
    cloud.onList = (n) => {
      if (n === 2) cloud.remove("a");
    };
    const registry = new WatchRegistry(createMemoryBackend(), { intervalMs: 5 });
    const result = await registry
      .watch("k", () => cloud.source())
      .waitFor("a", untilActive, { timeoutMs: 5000 });
    expect(result.state).toBe("failure");
    await registry.close();
  });

  it("lets replicas sharing a backend poll the cloud once between them", async () => {
    const cloud = fakeCloud([{ id: "a", status: "BUILD", updated: "2026-01-01T00:00:00Z" }]);
    cloud.onList = (n) => {
      if (n === 4) cloud.put("a", "ACTIVE");
    };
    const backend = createMemoryBackend();
    const replicas = [
      new WatchRegistry(backend, { intervalMs: 5 }),
      new WatchRegistry(backend, { intervalMs: 5 }),
    ];
    const results = await Promise.all(
      replicas.map((replica) =>
        replica.watch("k", () => cloud.source()).waitFor("a", untilActive, { timeoutMs: 5000 }),
      ),
    );
    expect(results.map((result) => result.state)).toEqual(["success", "success"]);
    expect(cloud.calls.full + cloud.calls.incremental.length).toBe(4);
    await Promise.all(replicas.map((replica) => replica.close()));
  });
});

describe("SharedWatch: errors, cost and replicas", () => {
  it("waiters fail with the cloud's error when polls fail past the threshold", async () => {
    const cloud = fakeCloud([{ id: "a", status: "BUILD", updated: "2026-01-01T00:00:00Z" }]);
    const failing: WatchSource<Item> = {
      ...cloud.source(),
      listAll: async () => {
        throw new Error("HTTP 500 from GET /servers/detail: database unavailable");
      },
    };
    const errors: unknown[] = [];
    const registry = new WatchRegistry(createMemoryBackend(), {
      intervalMs: 5,
      failAfterErrors: 3,
      onError: (error) => errors.push(error),
    });
    const started = Date.now();
    const result = await registry.watch("k", () => failing).waitFor("a", untilActive, { timeoutMs: 5000 });
    await registry.close();
    expect(result.state).toBe("error");
    expect(result.error?.message).toMatch(/database unavailable/);
    expect(errors).toHaveLength(3);
    // Long before the timeout: the waiter is not left blind until its deadline.
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("one waiter reads only its object by id; from listAtWaiters objects one listing serves all", async () => {
    const cloud = fakeCloud(
      Array.from({ length: 30 }, (_, i) => ({
        id: `s${i}`,
        status: "BUILD",
        updated: "2026-01-01T00:00:00Z",
      })),
    );
    cloud.onGet = (n) => {
      if (n === 2) cloud.put("s0", "ACTIVE");
    };
    const registry = new WatchRegistry(createMemoryBackend(), {
      intervalMs: 5,
      firstPollMs: 5,
      listAtWaiters: 10,
    });
    const watch = registry.watch("k", () => cloud.source(true, true));
    const lone = await watch.waitFor("s0", untilActive, { timeoutMs: 2000 });
    expect(lone.state).toBe("success");
    expect(cloud.calls.gets).toHaveLength(2);
    expect(cloud.calls.full + cloud.calls.incremental.length).toBe(0);

    cloud.calls.gets.length = 0;
    cloud.onList = (n) => {
      if (n === 2) for (let i = 1; i <= 20; i++) cloud.put(`s${i}`, "ACTIVE");
    };
    const many = await Promise.all(
      Array.from({ length: 20 }, (_, i) => watch.waitFor(`s${i + 1}`, untilActive, { timeoutMs: 2000 })),
    );
    await registry.close();
    expect(many.every((result) => result.state === "success")).toBe(true);
    expect(cloud.calls.gets).toHaveLength(0);
    expect(cloud.calls.full).toBe(1);
    expect(cloud.calls.incremental).toHaveLength(1);
  });

  it("a lone waiter polls after firstPollMs, then twice as late each time up to the interval", async () => {
    const cloud = fakeCloud([{ id: "a", status: "BUILD", updated: "2026-01-01T00:00:00Z" }]);
    cloud.onGet = (n) => {
      if (n === 5) cloud.put("a", "ACTIVE");
    };
    const registry = new WatchRegistry(createMemoryBackend(), { intervalMs: 160, firstPollMs: 20 });
    const started = Date.now();
    const result = await registry
      .watch("k", () => cloud.source(true, true))
      .waitFor("a", untilActive, { timeoutMs: 5000 });
    await registry.close();
    expect(result.state).toBe("success");
    const at = cloud.calls.gets.map((time) => time - started);
    // 20, 40, 80, 160, 160 ms apart (timers may fire a little late, never early).
    const gaps = at.map((time, i) => time - (i === 0 ? 0 : at[i - 1]!));
    expect(gaps[0]).toBeGreaterThanOrEqual(19);
    expect(gaps[0]).toBeLessThan(100);
    for (const [i, expected] of [40, 80, 160, 160].entries()) {
      expect(gaps[i + 1]).toBeGreaterThanOrEqual(expected - 2);
      expect(gaps[i + 1]).toBeLessThan(expected + 60);
    }
  });

  it("keeps its listing warm for keepWarmMs after the last interest, and restarts from the stored one", async () => {
    const cloud = fakeCloud([{ id: "a", status: "ACTIVE", updated: "2026-01-01T00:00:00Z" }]);
    for (const keepWarmMs of [60_000, 0]) {
      cloud.calls.full = 0;
      const registry = new WatchRegistry(createMemoryBackend(), { intervalMs: 5, keepWarmMs });
      const running: string[][] = [];
      for (let round = 0; round < 3; round++) {
        const watch = registry.watch("k", () => cloud.source());
        const stop = watch.subscribe(() => {});
        await until(() => watch.items().length === 1);
        stop();
        await sleep(20);
        running.push(registry.keys());
      }
      await registry.close();
      // Warm: still polling after the interest ended; cold: dropped, and restarted from the
      // snapshot it stored: one full listing either way, not one per round.
      expect(running).toEqual(keepWarmMs > 0 ? [["k"], ["k"], ["k"]] : [[], [], []]);
      expect(cloud.calls.full).toBe(1);
    }
  });

  it("moves the changes-since bound past the newest second, so an unchanged project costs nothing", async () => {
    const cloud = fakeCloud();
    for (let i = 0; i < 1000; i++) cloud.put(`s${i}`, "ACTIVE");
    const registry = new WatchRegistry(createMemoryBackend(), {
      intervalMs: 100,
      changesSinceMarginMs: 0,
    });
    const watch = registry.watch("k", () => cloud.source());
    const stop = watch.subscribe(() => {});
    // The cloud's newest change is one second old: within about a second the bound passes it.
    await until(() => cloud.calls.returned.at(-1) === 0, 3000);
    cloud.put("s1", "SHUTOFF");
    const seen: string[] = [];
    const stopSeen = watch.subscribe((events) => seen.push(...events.map((event) => event.id)));
    await until(() => seen.length > 0, 3000);
    stop();
    stopSeen();
    await registry.close();
    expect(cloud.calls.full).toBe(1);
    // Until then, only the objects of the newest second came back (not the thousand).
    expect(Math.max(...cloud.calls.returned)).toBeLessThanOrEqual(1);
    expect(seen).toEqual(["s1"]);
  });

  it("judges a new waiter on a poll that began after it, not on the view the watch already held", async () => {
    const cloud = fakeCloud([{ id: "a", status: "ACTIVE", updated: "2026-01-01T00:00:00Z" }]);
    const registry = new WatchRegistry(createMemoryBackend(), { intervalMs: 5 });
    const watch = registry.watch("k", () => cloud.source());
    const stop = watch.subscribe(() => {});
    await until(() => watch.get("a")?.status === "ACTIVE");
    // An action just sent (say a rebuild that fails): the held view still says ACTIVE.
    cloud.put("a", "ERROR");
    const result = await watch.waitFor("a", untilActive, { timeoutMs: 2000 });
    stop();
    await registry.close();
    expect(result.state).toBe("failure");
    expect(result.value?.status).toBe("ERROR");
  });

  it("a replica that joins after the first has settled sees an unchanging object at once", async () => {
    const cloud = fakeCloud([{ id: "a", status: "ACTIVE", updated: "2026-01-01T00:00:00Z" }]);
    const backend = createMemoryBackend();
    const first = new WatchRegistry(backend, { intervalMs: 20 });
    const stop = first.watch("k", () => cloud.source()).subscribe(() => {});
    await until(() => cloud.calls.incremental.length >= 2);
    const listsBefore = cloud.calls.full + cloud.calls.incremental.length;
    // The late joiner: the lease is held, and "a" never changes again.
    const late = new WatchRegistry(backend, { intervalMs: 20 });
    const result = await late.watch("k", () => cloud.source()).waitFor("a", untilActive, { timeoutMs: 2000 });
    stop();
    await Promise.all([first.close(), late.close()]);
    expect(result.state).toBe("success");
    // Served from the shared snapshot and the holder's next poll, not a listing of its own.
    expect(cloud.calls.full).toBe(1);
    expect(cloud.calls.full + cloud.calls.incremental.length - listsBefore).toBeLessThanOrEqual(3);
  });
});

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(condition: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(2);
  }
}
