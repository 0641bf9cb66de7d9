import { afterEach, describe, expect, it, vi } from "vitest";
import type { StateBackend } from "../state/backend.js";
import { createMemoryBackend } from "../state/index.js";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import { addedSince, simInventory } from "../testing/sim-inventory.js";
import type { CloudContext } from "./context.js";
import { serverWatch, waitForServer } from "./servers.js";

// Two oaktree replicas are two processes: each has its own module state (get-me-a-network keeps
// the builds in flight per process) and they share only the state backend. A fresh module graph
// per replica (vi.resetModules) gives each its own process-level state here.

type GetMeANetwork = typeof import("./get-me-a-network.js");

let cloud: SimCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

/** The get-me-a-network module as a separate process would load it. */
async function replicaModule(): Promise<GetMeANetwork> {
  vi.resetModules();
  return import("./get-me-a-network.js");
}

/** Kilo (no auto-allocated topology: oaktree must build) and a project with no network. */
async function kiloWithEmptyProject(): Promise<{ sim: SimCloud; project: { name: string; user: string } }> {
  cloud = await startSimCloud("kilo", { simulator: { buildDelayMs: 20, deleteDelayMs: 20 } });
  const [project] = cloud.sim.admin.seed({ projects: 1 }).projects;
  return { sim: cloud, project: project! };
}

function replicaContext(
  sim: SimCloud,
  project: { name: string; user: string },
  backend: StateBackend,
): Promise<CloudContext> {
  return sim.context({
    overrides: { auth: { username: project.user, password: "secret", project_name: project.name } },
    cloudOptions: { backend },
  });
}

function networkWrites(sim: SimCloud): string[] {
  return sim.sim.admin
    .log()
    .filter((entry) => entry.service === "network" && entry.method !== "GET")
    .map((entry) => entry.route);
}

describe("get-me-a-network across replicas", () => {
  it("two replicas sharing one backend build one network/subnet/router and get its id", async () => {
    const { sim, project } = await kiloWithEmptyProject();
    const backend = createMemoryBackend();
    const [a, b] = [await replicaModule(), await replicaModule()];
    expect(a.ensureNetwork).not.toBe(b.ensureNetwork);
    const [ctxA, ctxB] = [
      await replicaContext(sim, project, backend),
      await replicaContext(sim, project, backend),
    ];
    // Discovery and capabilities first, so that both replicas reach the build at the same moment.
    await Promise.all([ctxA.normalizeContext(), ctxB.normalizeContext()]);
    const before = simInventory(sim.sim);
    sim.sim.admin.reset();

    const [first, second] = await Promise.all([a.ensureNetwork(ctxA), b.ensureNetwork(ctxB)]);

    expect(first.kind).toBe("network");
    expect(second.kind).toBe("network");
    const ids = [first, second].map((verdict) => (verdict.kind === "network" ? verdict.networkId : ""));
    expect(ids[0]).toBe(ids[1]);
    const sources = [first, second].map((verdict) => (verdict.kind === "network" ? verdict.source : ""));
    expect(sources.sort()).toEqual(["built", "reused"]);
    expect(networkWrites(sim).sort()).toEqual([
      "POST /networks",
      "POST /routers",
      "POST /subnets",
      "PUT /routers/{id}/add_router_interface",
    ]);
    const added = addedSince(before, simInventory(sim.sim));
    expect(added.networks).toHaveLength(1);
    expect(added.subnets).toHaveLength(1);
    expect(added.routers).toHaveLength(1);
    // The lease is released: nobody holds the build's lease any more.
    const scope = await ctxA.scope();
    expect(await backend.leases.acquire(`oaktree:get-me-a-network:${scope}`, "probe", 1000)).toBe(true);

    // A third call on either replica finds the network (no build, no lease wait).
    sim.sim.admin.reset();
    const third = await b.ensureNetwork(ctxB);
    expect(third).toMatchObject({ kind: "network", networkId: ids[0], source: "reused" });
    expect(networkWrites(sim)).toEqual([]);
  });

  it("a replica that finds the lease held waits for it, then reuses what the holder built", async () => {
    const { sim, project } = await kiloWithEmptyProject();
    const backend = createMemoryBackend();
    const replica = await replicaModule();
    const ctx = await replicaContext(sim, project, backend);
    await ctx.normalizeContext();
    // Another replica holds the lease (it is building): this one must not build meanwhile.
    const lease = `oaktree:get-me-a-network:${await ctx.scope()}`;
    expect(await backend.leases.acquire(lease, "other-replica", 60_000)).toBe(true);
    sim.sim.admin.reset();
    const pending = replica.ensureNetwork(ctx, { timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(networkWrites(sim)).toEqual([]);
    // The holder finishes (here: the test builds through a second replica) and lets go.
    const holder = await replicaModule();
    const holderCtx = await replicaContext(sim, project, backend);
    await backend.leases.release(lease, "other-replica");
    const [waited, built] = await Promise.all([pending, holder.ensureNetwork(holderCtx)]);
    expect(waited.kind === "network" && built.kind === "network").toBe(true);
    expect(waited.kind === "network" && waited.networkId).toBe(built.kind === "network" && built.networkId);
    expect(networkWrites(sim).filter((write) => write.startsWith("POST"))).toHaveLength(3);
  });

  it("a replica times out waiting for a lease that is never released, creating nothing", async () => {
    const { sim, project } = await kiloWithEmptyProject();
    const backend = createMemoryBackend();
    const replica = await replicaModule();
    const ctx = await replicaContext(sim, project, backend);
    await ctx.normalizeContext();
    await backend.leases.acquire(`oaktree:get-me-a-network:${await ctx.scope()}`, "stuck", 60_000);
    sim.sim.admin.reset();
    await expect(replica.ensureNetwork(ctx, { timeoutMs: 300 })).rejects.toThrow(/another replica/);
    expect(networkWrites(sim)).toEqual([]);
  });

  it('two replicas\' Cloud.createServer({ network: "auto" }) at once: one network built, both servers on it', async () => {
    const { sim, project } = await kiloWithEmptyProject();
    const backend = createMemoryBackend();
    const clouds = [];
    for (let i = 0; i < 2; i++) {
      vi.resetModules();
      const { Cloud } = await import("./cloud.js");
      clouds.push(new Cloud(await replicaContext(sim, project, backend)));
    }
    await Promise.all(clouds.map((replica) => replica.context.normalizeContext()));
    sim.sim.admin.reset();
    const results = await Promise.all(
      clouds.map((replica, i) =>
        replica.createServer({
          name: `auto-${i}`,
          image: "cirros-0.6.2-x86_64-disk",
          flavor: "m1.tiny",
          network: "auto",
          timeoutMs: 20_000,
        }),
      ),
    );
    expect(networkWrites(sim).filter((write) => write === "POST /networks")).toHaveLength(1);
    const world = sim.sim.admin.state.world;
    const built = world.networks.find((net) => net.name === "oaktree-auto-network");
    expect(built).toBeDefined();
    for (const { server, floatingIp } of results) {
      const record = world.servers.get(server.id);
      const networks = [...(world.portsByDevice.get(server.id) ?? [])].map(
        (port) => world.ports.get(port)?.network_id,
      );
      expect(record?.status).toBe("ACTIVE");
      expect(networks).toEqual([built?.id]);
      // Routed to the external network: reachable through a floating IP.
      expect(floatingIp?.floatingIpAddress).toBe(server.publicV4);
    }
  });
});

describe("shared watches across replicas", () => {
  it("a replica that starts after another has settled sees already-ACTIVE servers, without listing them itself", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 0 } });
    const sim = cloud;
    const backend = createMemoryBackend();
    sim.sim.admin.seed({ servers: [{ project: "demo", count: 12, namePrefix: "still" }] });
    // Replica A watches the servers (a subscriber: it lists, holds the lease) and settles.
    const ctxA = await sim.context({ cloudOptions: { backend } });
    const watchA = await serverWatch(ctxA);
    const stop = watchA.subscribe(() => {});
    await until(() => watchA.items().length === 12 && watchA.pollCount >= 3);
    const ids = watchA.items().map((server) => server.id);

    // Replica B starts now; nothing changes any more, so A publishes no change about them.
    const ctxB = await sim.context({ cloudOptions: { backend } });
    await ctxB.normalizeContext();
    sim.sim.admin.reset();
    const results = await Promise.all(ids.map((id) => waitForServer(ctxB, id, { timeoutMs: 3000 })));
    stop();

    expect(results.map((result) => result.state)).toEqual(ids.map(() => "success"));
    // Served by the shared snapshot and A's polls: no listing or per-server read of B's own.
    const reads = sim.sim.admin.log().filter((entry) => entry.service === "compute");
    expect(reads.filter((entry) => entry.route === "GET /servers/{server_id}")).toEqual([]);
    expect(
      reads.filter(
        (entry) => entry.route === "GET /servers/detail" && !entry.query.includes("changes-since"),
      ),
    ).toEqual([]);
  });
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
