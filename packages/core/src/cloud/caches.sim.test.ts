import { afterEach, describe, expect, it } from "vitest";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import { Cloud } from "./cloud.js";
import { findKeypair } from "./keypairs.js";
import { findSecurityGroupId } from "./security-groups.js";

// The porcelain's caches as the cloud sees them: fresh enough (a new flavor, image or network
// is found), cheap (concurrent lookups share one request), invalidated by oaktree's writes.

const IMAGE = "cirros-0.6.2-x86_64-disk";

let cloud: SimCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

/** Every request the simulator answered since the last reset, by `service METHOD /route`. */
function requests(sim: SimCloud): { total: number; counters: Record<string, number> } {
  const counters = sim.sim.admin.counters();
  return { total: Object.values(counters).reduce((sum, n) => sum + n, 0), counters };
}

describe("caches (simulator)", { timeout: 60_000 }, () => {
  it("a flavor created after the cache filled is found", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20 } });
    const facade = new Cloud(cloud.ctx);
    // Fill the flavor cache (resolution and listing share it).
    await facade.createServer({ name: "before", image: IMAGE, flavor: "m1.nano", autoIp: false });
    const admin = await cloud.context({ cloud: "sim-admin" });
    const compute = await admin.client("compute");
    const created = await compute.request({
      method: "POST",
      path: "/flavors",
      json: {
        flavor: { name: "new.flavor", ram: 256, vcpus: 1, disk: 1, "os-flavor-access:is_public": true },
      },
    });
    const { server } = await facade.createServer({
      name: "after",
      image: IMAGE,
      flavor: "new.flavor",
      autoIp: false,
    });
    const flavorId = created.json<{ flavor: { id: string } }>().flavor.id;
    // Modern compute copies the flavor into the server (2.47): its name; older ones its id.
    expect(server.flavor.id ?? server.flavor.name).toBe(
      server.flavor.id !== undefined ? flavorId : "new.flavor",
    );
    expect((await facade.getFlavor("new.flavor")).name).toBe("new.flavor");
    // A name that exists nowhere is still not found, after one re-read.
    cloud.sim.admin.reset();
    await expect(facade.getFlavor("no.such.flavor")).rejects.toThrow('flavor "no.such.flavor" not found');
    expect(cloud.sim.admin.count("compute", "GET /flavors/detail")).toBe(1);
  });

  it("concurrent lookups share one request", async () => {
    cloud = await startSimCloud("modern");
    const facade = new Cloud(cloud.ctx);
    await facade.capabilities();
    const network = await facade.createNetwork({ name: "lookup-net" });
    const keypair = await facade.createKeypair({ name: "lookup-key" });
    const group = await facade.createSecurityGroup({ name: "lookup-sg" });
    cloud.sim.admin.reset();
    const { resolveFlavorId, resolveImageId, resolveNetworkIds } = await import("./server-refs.js");
    const ctx = cloud.ctx;
    const [flavors, images, networks, keypairs, groups] = await Promise.all([
      Promise.all(Array.from({ length: 20 }, () => resolveFlavorId(ctx, "m1.nano"))),
      Promise.all(Array.from({ length: 20 }, () => resolveImageId(ctx, IMAGE))),
      Promise.all(Array.from({ length: 20 }, () => resolveNetworkIds(ctx, ["lookup-net"]))),
      Promise.all(Array.from({ length: 20 }, () => findKeypair(ctx, "lookup-key"))),
      Promise.all(Array.from({ length: 20 }, () => findSecurityGroupId(ctx, "lookup-sg"))),
    ]);
    expect(new Set(flavors).size).toBe(1);
    expect(new Set(images).size).toBe(1);
    expect(networks.every(([id]) => id === network.id)).toBe(true);
    expect(keypairs.every((found) => found?.name === keypair.name)).toBe(true);
    expect(groups.every((id) => id === group.id)).toBe(true);
    expect(cloud.sim.admin.count("compute", "GET /flavors/detail")).toBe(1);
    expect(cloud.sim.admin.count("image", "GET /images")).toBe(1);
    expect(cloud.sim.admin.count("network", "GET /networks")).toBe(1);
    expect(cloud.sim.admin.count("compute", "GET /os-keypairs/{name}")).toBe(1);
    expect(cloud.sim.admin.count("network", "GET /security-groups")).toBe(1);
  });

  it("writes through oaktree invalidate what they change", async () => {
    cloud = await startSimCloud("modern");
    const facade = new Cloud(cloud.ctx);
    const { resolveNetworkIds } = await import("./server-refs.js");
    const first = await facade.createNetwork({ name: "app-net" });
    expect(await resolveNetworkIds(cloud.ctx, ["app-net"])).toEqual([first.id]);
    // Deleted and made again under the same name: the cached id must not outlive the delete.
    await facade.deleteNetwork(first.id);
    const second = await facade.createNetwork({ name: "app-net" });
    expect(await resolveNetworkIds(cloud.ctx, ["app-net"])).toEqual([second.id]);
  });

  it("capabilities are probed again after their TTL: an external network added later is seen", async () => {
    cloud = await startSimCloud("modern");
    const ctx = await cloud.context({
      overrides: { cache: { expiration: { capabilities: 0.3, network: 0.3 } } },
    });
    const facade = new Cloud(ctx);
    const before = (await facade.capabilities()).floatingIps.externalNetworkIds;
    const admin = new Cloud(await cloud.context({ cloud: "sim-admin" }));
    const added = await admin.createNetwork({ name: "ext-2", routerExternal: true, managed: false });
    // Within the TTL the probe is reused; after it, probed again.
    expect((await facade.capabilities()).floatingIps.externalNetworkIds).toEqual(before);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await facade.capabilities()).floatingIps.externalNetworkIds).toEqual([...before, added.id]);
  });

  it("30 boots at once cost at most 5 cloud requests per server", async () => {
    // Servers take a while to build, as on a real cloud, and the watch polls a few times
    // meanwhile (a real cloud: ~5 s builds, 5 s interval): the 30 are waited for at once.
    cloud = await startSimCloud("modern", {
      simulator: { buildDelayMs: 1000 },
      cloudOptions: { pollIntervalMs: 250 },
    });
    cloud.sim.admin.setQuota("compute", "demo", { instances: 40, cores: 80, ram: 512_000 });
    cloud.sim.admin.setQuota("network", "demo", { floatingip: 40 });
    await new Cloud(await cloud.context()).createKeypair({ name: "boot-key" });
    cloud.sim.admin.reset();
    // A fresh Cloud: its probes and first listings count too.
    const facade = new Cloud(cloud.ctx);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        facade.createServer({
          name: `boot-${i}`,
          image: IMAGE,
          flavor: "m1.nano",
          keyName: "boot-key",
          timeoutMs: 30_000,
        }),
      ),
    );
    expect(results.every((result) => result.floatingIp !== undefined)).toBe(true);
    const { total, counters } = requests(cloud);
    // Values that do not change are read once for all 30 boots.
    expect(counters["image GET /images"]).toBe(1);
    expect(counters["compute GET /flavors/detail"]).toBe(1);
    expect(total / 30, JSON.stringify(counters)).toBeLessThanOrEqual(5);
  });
});
