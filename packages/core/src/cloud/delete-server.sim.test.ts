import { afterEach, describe, expect, it } from "vitest";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import { type CreateServerDeps, createServer } from "./create-server.js";
import { deleteServer } from "./delete-server.js";
import { listFloatingIps } from "./floating-ips.js";
import { listServers } from "./servers.js";

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
