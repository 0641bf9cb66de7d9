import { PROFILE_NAMES, type ProfileName } from "@oaktree/sim";
import { afterEach, describe, expect, it } from "vitest";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import { addedSince, simInventory } from "../testing/sim-inventory.js";
import { Cloud } from "./cloud.js";
import { waitForVolume } from "./volumes.js";

// The whole life of a server through the Cloud facade, as a user writes it, on every profile:
// image -> server with a keypair and a security group -> a new volume attached -> delete
// everything; then the simulator's world holds nothing more than before.

let cloud: SimCloud | undefined;
let opened: Cloud | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
  await cloud?.close();
  cloud = undefined;
});

describe.each(PROFILE_NAMES.map((profile) => [profile] as [ProfileName]))(
  "the Cloud facade on %s",
  (profile) => {
    it.each(["Cloud.open({ config })", "new Cloud(ctx)"] as const)(
      "%s: image, server with keypair and security group, volume, then all deleted",
      async (how) => {
        cloud = await startSimCloud(profile, { simulator: { buildDelayMs: 20, deleteDelayMs: 20 } });
        if (how === "Cloud.open({ config })") {
          opened = await Cloud.open({
            config: cloud.config,
            connect: { retry: false },
            state: { pollIntervalMs: 50 },
          });
        }
        const facade = opened ?? new Cloud(cloud.ctx);
        await facade.capabilities();
        const before = simInventory(cloud.sim);
        const diskFormat = profile === "rackspace" ? "vhd" : "qcow2";

        const { image, method } = await facade.createImage({
          name: `facade-${profile}`,
          data: new TextEncoder().encode(`facade disk on ${profile}`),
          diskFormat,
          timeoutMs: 10_000,
        });
        expect(image.status).toBe("active");
        expect(method).toBe(profile === "rackspace" ? "task-import" : "v2-put");
        const keypair = await facade.createKeypair({ name: `kp-${profile}` });
        const group = await facade.createSecurityGroup({ name: `sg-${profile}`, description: "ssh" });
        await facade.addSecurityGroupRule({ securityGroup: group.id, protocol: "tcp", portRangeMin: 22 });

        const { server, floatingIp, reachability } = await facade.createServer({
          name: `web-${profile}`,
          image: image.name,
          flavor: "m1.tiny",
          keyName: keypair.name,
          securityGroups: [group.name],
          timeoutMs: 20_000,
        });
        expect(server).toMatchObject({ status: "ACTIVE", image: { id: image.id }, keyName: keypair.name });
        expect(server.securityGroups).toContain(group.name);
        expect(server.publicV4).toBeDefined();
        expect(reachability.address).toBe(server.publicV4);
        if (profile === "rackspace") expect(floatingIp).toBeUndefined();
        else expect(floatingIp?.floatingIpAddress).toBe(server.publicV4);

        const volume = await facade.createVolume({ size: 1, name: `data-${profile}`, timeoutMs: 10_000 });
        const attached = await facade.attachVolume(server.id, volume.id, { timeoutMs: 10_000 });
        expect(attached).toMatchObject({ status: "in-use", attachments: [{ serverId: server.id }] });

        const deleted = await facade.deleteServer(server.id, { deleteIps: true, timeoutMs: 10_000 });
        expect(deleted).toMatchObject({ found: true, wait: { state: "success" } });
        expect(deleted.deletedFloatingIps.map((ip) => ip.floatingIpAddress)).toEqual(
          floatingIp ? [floatingIp.floatingIpAddress] : [],
        );
        // nova detached the volume when it deleted the server.
        expect(await facade.getVolume(volume.id)).toMatchObject({ status: "available", attachments: [] });
        expect(await facade.deleteVolume(volume.id, { timeoutMs: 10_000 })).toBe(true);
        expect(await facade.deleteImage(image.id, { wait: true, timeoutMs: 10_000 })).toBe(true);
        expect(await facade.deleteKeypair(keypair.name)).toBe(true);
        expect(await facade.deleteSecurityGroup(group.id)).toBe(true);

        expect(addedSince(before, simInventory(cloud.sim))).toEqual({});
        expect(await facade.listServers()).toEqual([]);
        expect(await facade.listFloatingIps()).toEqual([]);
      },
    );
  },
);

describe("boot from a new volume through the facade", () => {
  it.each([
    [true, "deleted with the server"],
    [false, "kept, available, for the caller to delete"],
  ] as const)("modern: terminateVolume %s: the boot volume is %s", async (terminateVolume, _what) => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20, deleteDelayMs: 20 } });
    const facade = new Cloud(cloud.ctx);
    await facade.capabilities();
    const before = simInventory(cloud.sim);
    const { server } = await facade.createServer({
      name: "bfv",
      image: "cirros-0.6.2-x86_64-disk",
      flavor: "m1.tiny",
      bootFromVolume: true,
      volumeSize: 1,
      terminateVolume,
      timeoutMs: 20_000,
    });
    expect(server.image?.id).toBeUndefined();
    const [boot] = await facade.listVolumes({ filters: { name: "bfv-boot" } });
    expect(boot).toMatchObject({
      status: "in-use",
      isBootable: true,
      attachments: [{ serverId: server.id }],
    });
    await facade.deleteServer(server.id, { deleteIps: true, timeoutMs: 10_000 });
    if (terminateVolume) {
      // nova deleted it with the server: nothing is left for the caller to delete.
      const record = cloud.sim.admin.state.world.volumes.get(boot!.id);
      expect(record === undefined || record.status === "deleting").toBe(true);
      await waitForVolume(cloud.ctx, boot!.id, "gone", { timeoutMs: 10_000 });
    } else {
      expect(await facade.getVolume(boot!.id)).toMatchObject({ status: "available" });
      expect(await facade.deleteVolume(boot!.id, { timeoutMs: 10_000 })).toBe(true);
    }
    expect(addedSince(before, simInventory(cloud.sim))).toEqual({});
  });
});
