import { afterEach, describe, expect, it } from "vitest";
import { imageBootDeps } from "../testing/create-server-deps.js";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import { createServer } from "./create-server.js";
import { deleteServer } from "./delete-server.js";
import { listFloatingIps } from "./floating-ips.js";
import { listServers } from "./servers.js";

const deps = imageBootDeps({ kind: "nova-auto" });

let cloud: SimCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

describe("deleteServer", () => {
  it.each(["modern", "nova-network"] as const)(
    "%s: with deleteIps releases the floating IP oaktree created, and waits until the server is gone",
    async (profile) => {
      cloud = await startSimCloud(profile, { simulator: { buildDelayMs: 10 } });
      const { server, floatingIp } = await createServer(cloud.ctx, deps, {
        name: "gone-soon",
        image: "cirros-0.6.2-x86_64-disk",
        flavor: "m1.tiny",
        reuseIps: false,
      });
      expect(floatingIp).toBeDefined();
      const result = await deleteServer(cloud.ctx, "gone-soon", { deleteIps: true });
      expect(result.found).toBe(true);
      expect(result.wait.state).toBe("success");
      expect(result.deletedFloatingIps.map((ip) => ip.id)).toEqual([floatingIp!.id]);
      expect(await listServers(cloud.ctx)).toEqual([]);
      expect(await listFloatingIps(cloud.ctx)).toEqual([]);
      expect((await deleteServer(cloud.ctx, server.id)).found).toBe(false);
    },
  );

  it("keeps a floating IP the user made that oaktree only reused", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 10 } });
    const network = await cloud.ctx.client("network");
    const external = (
      await network.request({ method: "GET", path: "/networks", query: { "router:external": true } })
    ).json<{ networks: { id: string }[] }>().networks[0]!;
    await network.request({
      method: "POST",
      path: "/floatingips",
      json: { floatingip: { floating_network_id: external.id } },
    });
    const { floatingIp } = await createServer(cloud.ctx, deps, {
      name: "reuser",
      image: "cirros-0.6.2-x86_64-disk",
      flavor: "m1.tiny",
    });
    const result = await deleteServer(cloud.ctx, "reuser", { deleteIps: true });
    expect(result.deletedFloatingIps).toEqual([]);
    expect((await listFloatingIps(cloud.ctx)).map((ip) => ip.id)).toEqual([floatingIp!.id]);
  });
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
