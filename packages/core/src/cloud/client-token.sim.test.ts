import { afterEach, describe, expect, it } from "vitest";
import { OaktreeError } from "../errors.js";
import { createMemoryBackend } from "../state/memory-backend.js";
import { imageBootDeps } from "../testing/create-server-deps.js";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import { CLIENT_TOKEN_LEASE_TTL_MS } from "./client-token.js";
import type { CloudContext } from "./context.js";
import { type CreateServerResult, createServer, ServerCreateError } from "./create-server.js";
import { addFloatingIpToServer, createFloatingIp, listFloatingIps } from "./floating-ips.js";
import { listServers } from "./servers.js";
import { createVolume } from "./volumes.js";

const noVolumesOrAutoNetwork = imageBootDeps();

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

  it.each([5, 20])(
    "%i calls at once: the same holds with a slow floating-IP listing and no floating IPs in nova's addresses",
    async (n) => {
      cloud = await startSimCloud("modern", {
        simulator: { buildDelayMs: 30, floatingIpsInAddresses: false },
      });
      cloud.sim.admin.addFault({ service: "network", route: "GET /floatingips", latencyMs: 150 });
      const ctx = cloud.ctx;
      const results = await Promise.all(
        Array.from({ length: n }, () => boot(ctx, "slow-list", { clientToken: `tok-slow-${n}` })),
      );
      await expectOneServerOneIp(ctx, results);
    },
    60_000,
  );

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

  it("nova-network: 5 calls at once all return the same server with exactly one floating IP", async () => {
    cloud = await startSimCloud("nova-network", { simulator: { buildDelayMs: 30 } });
    const ctx = cloud.ctx;
    const results = await Promise.all(
      Array.from({ length: 5 }, () => boot(ctx, "nn", { clientToken: "tok-nn" })),
    );
    await expectOneServerOneIp(ctx, results);
  }, 60_000);

  it("errors that are not oaktree's (an abort, a failing dependency) leave as OaktreeErrors", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 30 } });
    const aborted = AbortSignal.abort();
    const abortedError = await boot(cloud.ctx, "aborted", {
      clientToken: "tok-abort",
      signal: aborted,
    }).catch((caught: unknown) => caught);
    expect(abortedError).toBeInstanceOf(OaktreeError);
    expect(abortedError).toHaveProperty("cause", aborted.reason);
    // A dependency (get-me-a-network here) that throws a plain Error.
    const autoError = await boot(cloud.ctx, "auto", { network: "auto" }).catch((caught: unknown) => caught);
    expect(autoError).toBeInstanceOf(OaktreeError);
    expect((autoError as Error).message).toMatch(/unexpected get-me-a-network/);
    expect(await listServers(cloud.ctx)).toEqual([]);
  }, 60_000);

  it("a call that lost the token's lease never deletes the server another call was handed", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 30 } });
    // One backend for both "replicas", on a clock the test moves: the first call's lease
    // expires as if its replica had stalled.
    const skew = { ms: 0 };
    const backend = createMemoryBackend(() => Date.now() + skew.ms);
    const [leaderCtx, followerCtx] = [
      await cloud.context({ cloudOptions: { backend } }),
      await cloud.context({ cloudOptions: { backend } }),
    ];
    await createVolume(cloud.ctx, { name: "extra", size: 1 });
    let enterGate = () => {};
    const entered = new Promise<void>((resolve) => {
      enterGate = resolve;
    });
    let failAttach = () => {};
    const gate = new Promise<void>((resolve) => {
      failAttach = resolve;
    });
    const leader = createServer(
      leaderCtx,
      {
        ...noVolumesOrAutoNetwork,
        attachVolume: async () => {
          enterGate();
          await gate;
          throw new Error("volume attach failed");
        },
      },
      {
        name: "owned",
        image: "cirros-0.6.2-x86_64-disk",
        flavor: "m1.tiny",
        volumes: ["extra"],
        clientToken: "tok-own",
        timeoutMs: 60_000,
      },
    ).catch((caught: unknown) => caught);
    await entered;
    skew.ms += 2 * CLIENT_TOKEN_LEASE_TTL_MS;
    const follower = await boot(followerCtx, "owned", { clientToken: "tok-own" });
    expect(follower.existing).toBe(true);
    failAttach();
    const leaderError = await leader;
    expect(leaderError).toBeInstanceOf(OaktreeError);
    expect((await listServers(cloud.ctx)).map((server) => server.id)).toEqual([follower.server.id]);
    const ips = await listFloatingIps(cloud.ctx);
    expect(ips.map((ip) => ip.id)).toEqual([follower.floatingIp!.id]);
    expect(ips[0]!.attached).toBe(true);
  }, 60_000);
});

describe("a call with a token held by a running create", () => {
  it("gives up at its own timeout with a ServerCreateError saying the token is busy", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 1500 } });
    const ctx = cloud.ctx;
    const leader = boot(ctx, "busy", { clientToken: "tok-busy" });
    while (cloud.sim.admin.count("compute", "POST /servers") === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const started = Date.now();
    // 800 ms: still well inside the leader's 1.5 s build, with room for the follower's own
    // name resolution on a loaded machine (300 ms was sometimes spent before the lease wait).
    const error = await boot(ctx, "busy", { clientToken: "tok-busy", timeoutMs: 800 }).catch(
      (caught: unknown) => caught,
    );
    expect(Date.now() - started).toBeLessThan(1400);
    expect(error).toBeInstanceOf(ServerCreateError);
    expect((error as Error).message).toMatch(
      /client token tok-busy: another create with it was still running/,
    );
    const first = await leader;
    expect(first.existing).toBe(false);
    expect(await listServers(ctx)).toHaveLength(1);
  }, 30_000);
});

describe("addFloatingIpToServer on a server that got one meanwhile", () => {
  it.each([false, true])(
    "concurrent calls (reuse: %s) all return the one IP bound to the server, never a 409",
    async (reuse) => {
      cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20 } });
      const ctx = cloud.ctx;
      const spare = reuse ? await Promise.all([1, 2, 3].map(() => createFloatingIp(ctx))) : [];
      const { server } = await boot(ctx, "bare", { autoIp: false });
      const results = await Promise.all(
        Array.from({ length: 5 }, () => addFloatingIpToServer(ctx, server, { reuse })),
      );
      const bound = (await listFloatingIps(ctx)).filter((ip) => ip.attached);
      expect(bound).toHaveLength(1);
      for (const result of results) expect(result.floatingIp.id).toBe(bound[0]!.id);
      expect(results.filter((result) => result.found)).toHaveLength(4);
      expect(await listFloatingIps(ctx)).toHaveLength(reuse ? spare.length : 1);
    },
    60_000,
  );
});
