import { describe, expect, it } from "vitest";
import { fakeContext } from "../testing/fake-context.js";
import { fixture } from "../testing/fixtures.js";
import { scriptedClient } from "../testing/scripted-client.js";
import { AmbiguousNameError } from "./find.js";
import { findFlavor, getFlavor, listFlavors, selectSmallestFlavor } from "./flavors.js";

const FLAVORS = fixture<{ flavors: Record<string, unknown>[] }>("compute/flavors/flavors-detail-resp.json");
const listCall = (flavors = FLAVORS) => ({
  method: "GET" as const,
  path: "/flavors/detail",
  response: flavors,
});

describe("flavors", () => {
  it("lists once while the cache is fresh", async () => {
    const compute = scriptedClient([listCall()]);
    const ctx = fakeContext({
      clients: { compute },
      config: { cache: { expirationTime: 60, expiration: {} } },
    });
    const first = await listFlavors(ctx);
    const second = await listFlavors(ctx, { filters: { vcpus: 2 } });
    expect(first.map((flavor) => flavor.name)).toContain("m1.small");
    expect(second.map((flavor) => flavor.name)).toEqual(["m1.medium"]);
    compute.assertDone();
  });

  it("refresh lists again", async () => {
    const compute = scriptedClient([listCall(), listCall({ flavors: [] })]);
    const ctx = fakeContext({
      clients: { compute },
      config: { cache: { expirationTime: 60, expiration: {} } },
    });
    expect(await listFlavors(ctx)).toHaveLength(6);
    expect(await listFlavors(ctx, { refresh: true })).toHaveLength(0);
    compute.assertDone();
  });

  it("finds by id or name, not found is undefined for find and an error for get", async () => {
    const ctx = fakeContext({ clients: { compute: scriptedClient([listCall(), listCall(), listCall()]) } });
    expect((await findFlavor(ctx, "3"))?.name).toBe("m1.medium");
    expect((await findFlavor(ctx, "m1.large"))?.id).toBe("4");
    await expect(getFlavor(ctx, "m9.huge")).rejects.toThrow('flavor "m9.huge" not found');
  });

  it("a name shared by two flavors is ambiguous", async () => {
    const twins = { flavors: [...FLAVORS.flavors, { ...FLAVORS.flavors[1], id: "22" }] };
    const ctx = fakeContext({ clients: { compute: scriptedClient([listCall(twins)]) } });
    await expect(findFlavor(ctx, "m1.small")).rejects.toBeInstanceOf(AmbiguousNameError);
  });

  it("the smallest flavor with enough RAM, then vcpus, then disk; include and exclude by name", async () => {
    const ctx = fakeContext({ clients: { compute: scriptedClient([listCall(), listCall(), listCall()]) } });
    expect((await findFlavor(ctx, { minRamMb: 1000 }))?.name).toBe("m1.small");
    expect((await findFlavor(ctx, { minRamMb: 512, exclude: "specs" }))?.name).toBe("m1.tiny");
    expect((await findFlavor(ctx, { minRamMb: 512, include: /specs$/ }))?.name).toBe("m1.tiny.specs");
  });

  it("ties go to fewer vcpus, then less disk; disabled flavors never", () => {
    const flavor = (name: string, ram: number, vcpus: number, disk: number, isDisabled = false) =>
      ({ name, ram, vcpus, disk, isDisabled }) as Parameters<typeof selectSmallestFlavor>[0][number];
    const flavors = [
      flavor("a", 2048, 4, 10),
      flavor("b", 2048, 2, 40),
      flavor("c", 2048, 2, 20),
      flavor("d", 1024, 1, 1, true),
    ];
    expect(selectSmallestFlavor(flavors, { minRamMb: 1024 })?.name).toBe("c");
    expect(selectSmallestFlavor(flavors, { minVcpus: 3 })?.name).toBe("a");
    expect(selectSmallestFlavor(flavors, { minRamMb: 4096 })).toBeUndefined();
  });

  it("validates constraints before any I/O", async () => {
    const ctx = fakeContext({ clients: { compute: scriptedClient([]) } });
    await expect(findFlavor(ctx, { minRamMb: -1 })).rejects.toThrow(
      "minRamMb: must be a number of 0 or more",
    );
    await expect(findFlavor(ctx, "")).rejects.toThrow("nameOrId");
  });
});
