import { afterEach, describe, expect, it } from "vitest";
import { OaktreeError } from "../errors.js";
import { createMemoryBackend } from "../state/memory-backend.js";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import type { CloudContext } from "./context.js";
import { type CreateServerDeps, type CreateServerResult, createServer } from "./create-server.js";
import { listFloatingIps } from "./floating-ips.js";
import { listServers } from "./servers.js";

/** Steps not exercised by these flows fail loudly if a flow reaches them by mistake. */
const noVolumesOrAutoNetwork: CreateServerDeps = {
  chooseAutoNetwork: async () => {
    throw new Error("unexpected get-me-a-network");
  },
  createBootVolume: async () => {
    throw new Error("unexpected boot volume");
  },
  deleteVolume: async () => {
    throw new Error("unexpected volume delete");
  },
  attachVolume: async () => {
    throw new Error("unexpected volume attach");
  },
};

let cloud: SimCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

function boot(ctx: CloudContext, name: string, extra: Partial<Parameters<typeof createServer>[2]> = {}) {
  return createServer(ctx, noVolumesOrAutoNetwork, {
    name,
    image: "cirros-0.6.2-x86_64-disk",
    flavor: "m1.tiny",
    timeoutMs: 60_000,
    ...extra,
  });
}

/** Every call got the one server the cloud holds, with the one floating IP the cloud holds. */
async function expectOneServerOneIp(ctx: CloudContext, results: readonly CreateServerResult[]) {
  const servers = await listServers(ctx);
  const ips = await listFloatingIps(ctx);
  expect(servers).toHaveLength(1);
  expect(ips).toHaveLength(1);
  expect(ips[0]!.attached).toBe(true);
  for (const result of results) {
    expect(result.server.id).toBe(servers[0]!.id);
    expect(result.floatingIp?.id).toBe(ips[0]!.id);
    expect(result.server.publicV4).toBe(ips[0]!.floatingIpAddress);
  }
  expect(results.filter((result) => !result.existing)).toHaveLength(1);
}

describe("concurrent createServer calls with one client token", () => {
  it.each([5, 20])(
    "%i calls at once all return the same server with exactly one floating IP",
    async (n) => {
      cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 50 } });
      const ctx = cloud.ctx;
      const results = await Promise.all(
        Array.from({ length: n }, () => boot(ctx, "same", { clientToken: `tok-${n}` })),
      );
      await expectOneServerOneIp(ctx, results);
      expect(cloud.sim.admin.count("compute", "POST /servers")).toBe(1);
    },
    60_000,
  );

  it("holds with a slow floating-IP listing and without floating IPs in nova's addresses", async () => {
    cloud = await startSimCloud("modern", {
      simulator: { buildDelayMs: 30, floatingIpsInAddresses: false },
    });
    cloud.sim.admin.addFault({ service: "network", route: "GET /floatingips", latencyMs: 150 });
    const ctx = cloud.ctx;
    const results = await Promise.all(
      Array.from({ length: 5 }, () => boot(ctx, "slow-list", { clientToken: "tok-slow" })),
    );
    await expectOneServerOneIp(ctx, results);
  }, 60_000);

  it("calls that start while the first is already binding its IP get the same IP", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 30 } });
    // The first call's floating-IP create is slow: the others arrive in the middle of it.
    cloud.sim.admin.addFault({ service: "network", route: "POST /floatingips", latencyMs: 300, times: 1 });
    const ctx = cloud.ctx;
    const first = boot(ctx, "late", { clientToken: "tok-late" });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const results = await Promise.all([
      first,
      ...Array.from({ length: 4 }, () => boot(ctx, "late", { clientToken: "tok-late" })),
    ]);
    await expectOneServerOneIp(ctx, results);
  }, 60_000);

  it("replicas sharing one state backend with one token share one server and one IP", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 30 } });
    const backend = createMemoryBackend();
    const contexts = await Promise.all([1, 2, 3].map(() => cloud!.context({ cloudOptions: { backend } })));
    const results = await Promise.all(
      contexts.flatMap((ctx) => [1, 2].map(() => boot(ctx, "replicated", { clientToken: "tok-rep" }))),
    );
    await expectOneServerOneIp(cloud.ctx, results);
  }, 60_000);

  it("a failing first call leaves every error typed", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 30 } });
    cloud.sim.admin.addFault({ service: "network", route: "POST /floatingips", status: 500 });
    const ctx = cloud.ctx;
    const settled = await Promise.allSettled(
      Array.from({ length: 5 }, () => boot(ctx, "broken", { clientToken: "tok-broken" })),
    );
    for (const outcome of settled) {
      expect(outcome.status).toBe("rejected");
      if (outcome.status === "rejected") expect(outcome.reason).toBeInstanceOf(OaktreeError);
    }
    expect(await listServers(ctx)).toEqual([]);
    expect(await listFloatingIps(ctx)).toEqual([]);
  }, 60_000);
});
