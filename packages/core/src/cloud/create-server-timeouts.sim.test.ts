import { afterEach, describe, expect, it } from "vitest";
import { imageBootDeps } from "../testing/create-server-deps.js";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import { createServer, ServerCreateError } from "./create-server.js";

/** Steps not exercised by these flows fail loudly if a flow reaches them by mistake. */
const deps = imageBootDeps();

const IMAGE = "cirros-0.6.2-x86_64-disk";

let cloud: SimCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

describe("createServer's timeouts (simulator)", () => {
  it("with every server read failing, returns well within its timeout with the cloud's error, and names the server it could not confirm gone", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20, deleteDelayMs: 20 } });
    await cloud.ctx.normalizeContext();
    for (const route of ["GET /servers/detail", "GET /servers/{server_id}"]) {
      cloud.sim.admin.addFault({
        service: "compute",
        route,
        status: 500,
        message: "nova-api database is down",
      });
    }
    const started = Date.now();
    const failure = await createServer(cloud.ctx, deps, {
      name: "blind",
      image: IMAGE,
      flavor: "m1.tiny",
      timeoutMs: 3000,
    }).catch((error: unknown) => error);
    const elapsed = Date.now() - started;

    expect(failure).toBeInstanceOf(ServerCreateError);
    const error = failure as ServerCreateError;
    expect(error.message).toMatch(/could not be read while building: .*nova-api database is down/);
    // The delete was sent, but nobody could see it finish: the server may still exist.
    const [server] = cloud.sim.admin.state.world.servers.all();
    expect(error.leftBehind.map((item) => item.what)).toEqual([`server ${server!.id}`]);
    expect(String(error.leftBehind[0]!.error)).toMatch(/not confirmed gone.*nova-api database is down/);
    expect(cloud.sim.admin.count("compute", "DELETE /servers/{server_id}")).toBe(1);
    expect(elapsed).toBeLessThan(3000);
  });

  it("with the server list failing, a lone boot still succeeds: its wait reads the server by id", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20 } });
    cloud.sim.admin.addFault({ service: "compute", route: "GET /servers/detail", status: 500 });
    const result = await createServer(cloud.ctx, deps, {
      name: "by-id",
      image: IMAGE,
      flavor: "m1.tiny",
      timeoutMs: 3000,
    });
    expect(result.server.status).toBe("ACTIVE");
    expect(cloud.sim.admin.count("compute", "GET /servers/detail")).toBe(0);
  });

  it("a boot that never becomes ACTIVE throws at its timeout, and what it deleted is gone", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 60_000, deleteDelayMs: 20 } });
    await cloud.ctx.normalizeContext();
    const started = Date.now();
    const failure = await createServer(cloud.ctx, deps, {
      name: "slow",
      image: IMAGE,
      flavor: "m1.tiny",
      timeoutMs: 500,
    }).catch((error: unknown) => error);
    const elapsed = Date.now() - started;
    expect(failure).toBeInstanceOf(ServerCreateError);
    expect(String(failure)).toMatch(/was not ACTIVE in time \(last status BUILD\)/);
    expect((failure as ServerCreateError).leftBehind).toEqual([]);
    expect(elapsed).toBeGreaterThanOrEqual(500);
    // The grace here is one delete: well under a second on the simulator.
    expect(elapsed).toBeLessThan(1500);
  });
});
