import { afterEach, describe, expect, it } from "vitest";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import { type CreateServerDeps, createServer } from "./create-server.js";
import { deleteServer } from "./delete-server.js";
import { listFloatingIps } from "./floating-ips.js";

const deps: CreateServerDeps = {
  chooseAutoNetwork: async () => ({ kind: "nova-auto" }),
  createBootVolume: async () => {
    throw new Error("unexpected boot volume");
  },
  deleteVolume: async () => {},
  attachVolume: async () => {},
};

let cloud: SimCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

// Found by the chaos soak (test/soak): a server deleted with deleteIps right after its boot left its
// floating IP behind when neutron did not list the new association yet.
describe("deleteServer with deleteIps while neutron lags behind an association", () => {
  it("releases the IP made for the server's client token even though neutron lists it unattached", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 10 } });
    const { floatingIp } = await createServer(cloud.ctx, deps, {
      name: "lagging",
      image: "cirros-0.6.2-x86_64-disk",
      flavor: "m1.tiny",
      reuseIps: false,
      clientToken: "lag-1",
    });
    expect(floatingIp).toBeDefined();
    // From now on neutron shows that association only a minute late (the write itself was answered).
    const fip = cloud.sim.admin.state.world.floatingIps.get(floatingIp!.id)!;
    fip.assoc_visible_at = cloud.sim.admin.state.world.clock.now() + 60_000;
    expect((await listFloatingIps(cloud.ctx)).map((ip) => ip.portId)).toEqual([undefined]);
    const result = await deleteServer(cloud.ctx, "lagging", { deleteIps: true });
    expect(result.deletedFloatingIps.map((ip) => ip.id)).toEqual([floatingIp!.id]);
    expect(await listFloatingIps(cloud.ctx)).toEqual([]);
  });

  it("leaves an unattached oaktree IP made for another token alone", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 10 } });
    const other = await createServer(cloud.ctx, deps, {
      name: "other",
      image: "cirros-0.6.2-x86_64-disk",
      flavor: "m1.tiny",
      reuseIps: false,
      clientToken: "other-token",
    });
    await deleteServer(cloud.ctx, "other"); // its IP stays, unattached, marked for "other-token"
    await createServer(cloud.ctx, deps, {
      name: "mine",
      image: "cirros-0.6.2-x86_64-disk",
      flavor: "m1.tiny",
      reuseIps: false,
      clientToken: "my-token",
    });
    await deleteServer(cloud.ctx, "mine", { deleteIps: true });
    expect((await listFloatingIps(cloud.ctx)).map((ip) => ip.id)).toEqual([other.floatingIp!.id]);
  });
});
