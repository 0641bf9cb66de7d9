import { describe, expect, it } from "vitest";
import { ResourceCache } from "./cache.js";
import { createMemoryBackend } from "./memory-backend.js";

/** A cache over a memory backend whose clock the test moves. */
function setup(ttlSeconds: Record<string, number>) {
  let now = 1_000_000;
  const backend = createMemoryBackend(() => now);
  const cache = new ResourceCache(backend.kv, "test:", (kind) => 1000 * (ttlSeconds[kind] ?? 0));
  return { cache, advance: (ms: number) => (now += ms) };
}

/** A loader that counts its calls and answers `values()` after a tick. */
function counting<T>(values: () => T) {
  const loader = async () => {
    loader.calls++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return values();
  };
  loader.calls = 0;
  return loader;
}

describe("ResourceCache", { timeout: 5000 }, () => {
  it("reuses a value for its kind's TTL, then loads again", async () => {
    const { cache, advance } = setup({ flavor: 60 });
    const load = counting(() => ["m1.small"]);
    await cache.getOrLoad("flavor", "list", load);
    await cache.getOrLoad("flavor", "list", load);
    expect(load.calls).toBe(1);
    advance(61_000);
    await cache.getOrLoad("flavor", "list", load);
    expect(load.calls).toBe(2);
  });

  it("concurrent reads of one key share one load, with or without a TTL", async () => {
    for (const ttl of [60, 0]) {
      const { cache } = setup({ image: ttl });
      const load = counting(() => "id-1");
      const values = await Promise.all(Array.from({ length: 20 }, () => cache.getOrLoad("image", "k", load)));
      expect(values).toEqual(Array(20).fill("id-1"));
      expect(load.calls).toBe(1);
    }
  });

  it("a TTL of 0 stores nothing: sequential reads load each time", async () => {
    const { cache } = setup({});
    const load = counting(() => 1);
    await cache.getOrLoad("server", "list", load);
    await cache.getOrLoad("server", "list", load);
    expect(load.calls).toBe(2);
  });

  it("find re-reads once when a stored value lacks the object, and finds one created since", async () => {
    const { cache } = setup({ flavor: 300 });
    let flavors = ["m1.small"];
    const load = counting(() => flavors);
    const pick = (name: string) => (list: string[]) => list.find((flavor) => flavor === name);
    expect(await cache.find("flavor", "list", load, pick("m1.small"))).toBe("m1.small");
    flavors = ["m1.small", "new.flavor"];
    expect(await cache.find("flavor", "list", load, pick("new.flavor"))).toBe("new.flavor");
    expect(load.calls).toBe(2);
    // The fresh list is the cached one now.
    expect(await cache.find("flavor", "list", load, pick("new.flavor"))).toBe("new.flavor");
    expect(load.calls).toBe(2);
    // A name that does not exist costs one re-read, not more.
    expect(await cache.find("flavor", "list", load, pick("nope"))).toBeUndefined();
    expect(load.calls).toBe(3);
  });

  it("concurrent misses on a stored value share one re-read", async () => {
    const { cache } = setup({ flavor: 300 });
    let flavors = ["m1.small"];
    const load = counting(() => flavors);
    await cache.getOrLoad("flavor", "list", load);
    flavors = ["m1.small", "new.flavor"];
    const found = await Promise.all(
      Array.from({ length: 10 }, () =>
        cache.find("flavor", "list", load, (list) => list.find((flavor) => flavor === "new.flavor")),
      ),
    );
    expect(found).toEqual(Array(10).fill("new.flavor"));
    expect(load.calls).toBe(2);
  });

  it("a miss on a freshly loaded value is final (no second load)", async () => {
    const { cache } = setup({ flavor: 300 });
    const load = counting(() => ["m1.small"]);
    expect(
      await cache.find("flavor", "list", load, (list) => list.find((f) => f === "nope")),
    ).toBeUndefined();
    expect(load.calls).toBe(1);
  });

  it("invalidate drops every key of a kind, and a load in flight does not store its stale answer", async () => {
    const { cache } = setup({ network: 60 });
    let networks = ["a"];
    const load = counting(() => networks);
    await cache.getOrLoad("network", "all", load);
    await cache.getOrLoad("network", "external", load);
    await cache.invalidate("network");
    networks = ["a", "b"];
    expect(await cache.getOrLoad("network", "all", load)).toEqual(["a", "b"]);
    expect(await cache.getOrLoad("network", "external", load)).toEqual(["a", "b"]);
    expect(load.calls).toBe(4);

    // A read started before a write, answered after it: the write's invalidate wins.
    let release: () => void = () => {};
    let started: () => void = () => {};
    const running = new Promise<void>((resolve) => (started = resolve));
    const slow = async () => {
      started();
      await new Promise<void>((resolve) => (release = resolve));
      return ["stale"];
    };
    await cache.invalidate("network");
    const before = cache.getOrLoad("network", "all", slow);
    await running;
    await cache.invalidate("network");
    release();
    expect(await before).toEqual(["stale"]);
    networks = ["fresh"];
    expect(await cache.getOrLoad("network", "all", load)).toEqual(["fresh"]);
  });

  it("a caller's signal ends its wait, not the shared load", async () => {
    const { cache } = setup({ image: 60 });
    const load = counting(() => "id-1");
    const controller = new AbortController();
    const aborted = cache.getOrLoad("image", "k", load, { signal: controller.signal });
    const other = cache.getOrLoad("image", "k", load);
    controller.abort(new Error("caller gave up"));
    await expect(aborted).rejects.toThrow("caller gave up");
    expect(await other).toBe("id-1");
    expect(load.calls).toBe(1);
  });

  it("a failed load is not stored and the next read tries again", async () => {
    const { cache } = setup({ image: 60 });
    let fail = true;
    const load = async () => {
      if (fail) throw new Error("503");
      return "ok";
    };
    await expect(cache.getOrLoad("image", "k", load)).rejects.toThrow("503");
    fail = false;
    expect(await cache.getOrLoad("image", "k", load)).toBe("ok");
  });

  it("counts hits, misses and loads per kind, and tells its observer", async () => {
    let now = 1_000_000;
    const told: string[] = [];
    const cache = new ResourceCache(
      createMemoryBackend(() => now).kv,
      "test:",
      (kind) => (kind === "flavor" ? 60_000 : 0),
      (kind, result) => told.push(`${kind}:${result}`),
    );
    const load = counting(() => ["m1.small"]);
    // Three concurrent first reads share one load; a later read is a hit.
    await Promise.all([1, 2, 3].map(() => cache.getOrLoad("flavor", "list", load)));
    await cache.getOrLoad("flavor", "list", load);
    now += 61_000;
    await cache.getOrLoad("flavor", "list", load);
    // A kind without a TTL never hits.
    await cache.getOrLoad("server", "list", load);
    await cache.getOrLoad("server", "list", load);
    expect(cache.counts()).toEqual(
      new Map([
        ["flavor", { hit: 1, miss: 4, load: 2 }],
        ["server", { hit: 0, miss: 2, load: 2 }],
      ]),
    );
    expect(told.filter((event) => event === "flavor:hit")).toHaveLength(1);
    expect(told).toHaveLength(1 + 4 + 2 + 2 + 2);
  });

  it("counts find's re-read of a value that lacks the object as a miss and a load", async () => {
    const { cache } = setup({ image: 60 });
    let names = ["a"];
    const load = counting(() => names);
    await cache.find("image", "list", load, (list) => list.find((name) => name === "a"));
    names = ["a", "b"];
    expect(await cache.find("image", "list", load, (list) => list.find((name) => name === "b"))).toBe("b");
    expect(cache.counts().get("image")).toEqual({ hit: 1, miss: 2, load: 2 });
  });
});
