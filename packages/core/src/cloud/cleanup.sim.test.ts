import type { ProfileName } from "@oaktree/sim";
import { volumeState } from "@oaktree/sim/services/block-storage/state.js";
import { imageState } from "@oaktree/sim/services/image/state.js";
import { afterEach, describe, expect, it } from "vitest";
import { OpenStackError } from "../http/errors.js";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import { addedSince, simInventory } from "../testing/sim-inventory.js";
import { Cloud } from "./cloud.js";
import type { CloudContext } from "./context.js";
import { ServerCreateError } from "./create-server.js";
import { ensureNetwork, GetMeANetworkError } from "./get-me-a-network.js";
import { createImage, ImageCreateError } from "./image-upload.js";
import { createBootVolume, createVolume, getVolume, VolumeCreateError } from "./volumes.js";

// Failed creates must leave nothing oaktree made: each case compares the simulator's whole world
// (read from the simulator, not through oaktree) before and after.

const CIRROS = "cirros-0.6.2-x86_64-disk";

let cloud: SimCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

async function start(profile: ProfileName, overrides?: Record<string, unknown>): Promise<SimCloud> {
  cloud = await startSimCloud(profile, {
    simulator: { buildDelayMs: 20, deleteDelayMs: 20 },
    ...(overrides && { overrides }),
  });
  return cloud;
}

/** A context of a new project (seeded, with a member user) that has no network of its own. */
async function emptyProject(sim: SimCloud): Promise<CloudContext> {
  const [project] = sim.sim.admin.seed({ projects: 1 }).projects;
  return sim.context({
    overrides: { auth: { username: project!.user, password: "secret", project_name: project!.name } },
  });
}

function cirrosId(sim: SimCloud): string {
  const image = sim.sim.admin.state.world.images.find((candidate) => candidate.name === CIRROS);
  if (!image) throw new Error("the simulator has no cirros image");
  return image.id;
}

describe("a failed image upload leaves no image behind", () => {
  it.each([
    ["modern", "v2-put", "PUT /images/{image_id}/file", 503],
    ["modern", "v2-put", "PUT /images/{image_id}/file", 500],
    ["modern", "v2-import", "PUT /images/{image_id}/stage", 503],
    ["modern", "v2-import", "POST /images/{image_id}/import", 500],
    ["kilo", "v2-put", "PUT /images/{image_id}/file", 503],
    ["rackspace", "task-import", "POST /tasks", 500],
  ] as const)("%s, %s: %s answers %i", async (profile, method, route, status) => {
    const sim = await start(profile);
    // Capabilities first, so that the world is compared around the upload alone.
    await sim.ctx.normalizeContext();
    const before = simInventory(sim.sim);
    sim.sim.admin.addFault({ service: "image", route, status, times: 1 });
    const error = await createImage(sim.ctx, {
      name: `broken-${method}`,
      data: new TextEncoder().encode(`data for ${method}`),
      diskFormat: profile === "rackspace" ? "vhd" : "qcow2",
      method,
      timeoutMs: 10_000,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenStackError);
    expect((error as OpenStackError).status).toBe(status);
    const log = sim.sim.admin.log();
    expect(log.some((entry) => entry.route === route && entry.status === status)).toBe(true);
    expect(addedSince(before, simInventory(sim.sim))).toEqual({});
    if (method === "task-import") {
      // The staged object and the container oaktree made for it went too.
      const swift = log.filter((entry) => entry.service === "object-store").map((e) => e.method);
      expect(swift.filter((verb) => verb === "PUT")).toHaveLength(2);
      expect(swift.filter((verb) => verb === "DELETE")).toHaveLength(2);
    } else {
      // The queued image was created, then deleted by oaktree.
      expect(sim.sim.admin.count("image", "POST /images")).toBe(1);
      expect(sim.sim.admin.count("image", "DELETE /images/{image_id}")).toBe(1);
    }
  });

  it("kilo on glance v1, v1-post: a 500 on the one POST leaves nothing; a later upload works", async () => {
    const sim = await start("kilo", { image_api_version: "1" });
    await sim.ctx.normalizeContext();
    const before = simInventory(sim.sim);
    sim.sim.admin.addFault({ service: "image", route: "POST /images", status: 500, times: 1 });
    const options = {
      name: "v1-after-failure",
      data: new TextEncoder().encode("v1 bytes"),
      diskFormat: "qcow2",
      method: "v1-post",
      timeoutMs: 10_000,
    } as const;
    await expect(createImage(sim.ctx, options)).rejects.toThrow(OpenStackError);
    expect(addedSince(before, simInventory(sim.sim))).toEqual({});
    const { image, method } = await createImage(sim.ctx, options);
    expect({ method, status: image.status }).toEqual({ method: "v1-post", status: "active" });
  });

  it("modern: an upload that glance kills mid-way is a typed error and leaves nothing", async () => {
    const sim = await start("modern");
    await sim.ctx.normalizeContext();
    const before = simInventory(sim.sim);
    // A connection dropped in the middle of the PUT: glance never saw the end of the data.
    sim.sim.admin.addFault({
      service: "image",
      route: "PUT /images/{image_id}/file",
      resetConnection: true,
      times: 1,
    });
    const error = await createImage(sim.ctx, {
      name: "reset",
      data: new Uint8Array(64 * 1024).fill(7),
      diskFormat: "raw",
      timeoutMs: 10_000,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ImageCreateError);
    expect(addedSince(before, simInventory(sim.sim))).toEqual({});
  });
});

describe("a volume that cinder cannot make from an image", () => {
  it("createVolume and createBootVolume raise VolumeCreateError and delete the volume", async () => {
    const sim = await start("modern");
    await sim.ctx.normalizeContext();
    sim.sim.admin.markFailing({ image: CIRROS });
    const before = simInventory(sim.sim);

    const plain = await createVolume(sim.ctx, {
      size: 1,
      name: "from-failing-image",
      imageId: cirrosId(sim),
      timeoutMs: 10_000,
    }).catch((caught: unknown) => caught);
    expect(plain).toBeInstanceOf(VolumeCreateError);
    expect(plain).toMatchObject({ leftover: false });
    expect((plain as VolumeCreateError).reason).toMatch(/status error creating it from image/);

    const boot = await createBootVolume(sim.ctx, {
      imageId: cirrosId(sim),
      sizeGb: 1,
      name: "boot-from-failing-image",
    }).catch((caught: unknown) => caught);
    expect(boot).toBeInstanceOf(VolumeCreateError);
    expect(addedSince(before, simInventory(sim.sim))).toEqual({});
    expect(sim.sim.admin.count("block-storage", "POST /volumes")).toBe(2);
    expect(sim.sim.admin.count("block-storage", "DELETE /volumes/{volume_id}")).toBe(2);
  });

  it.each(["modern", "kilo"] as const)(
    "%s: Cloud.createServer with bootFromVolume raises ServerCreateError; no server, no volume",
    async (profile) => {
      const sim = await start(profile);
      await sim.ctx.normalizeContext();
      sim.sim.admin.markFailing({ image: CIRROS });
      const before = simInventory(sim.sim);
      const facade = new Cloud(sim.ctx);
      const error = await facade
        .createServer({
          name: "bfv",
          image: CIRROS,
          flavor: "m1.tiny",
          bootFromVolume: true,
          volumeSize: 1,
          timeoutMs: 20_000,
        })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ServerCreateError);
      expect((error as ServerCreateError).leftBehind).toEqual([]);
      expect((error as Error).message).toMatch(/status error/);
      expect((error as ServerCreateError).cause).toBeInstanceOf(VolumeCreateError);
      expect(sim.sim.admin.count("compute", "POST /servers")).toBe(0);
      expect(addedSince(before, simInventory(sim.sim))).toEqual({});
    },
  );
});

describe("get-me-a-network: a build that fails half-way deletes what it built", () => {
  it.each([
    ["POST /networks", 0],
    ["POST /subnets", 1],
    ["POST /routers", 2],
    ["PUT /routers/{id}/add_router_interface", 3],
  ] as const)("kilo: %s answers 500", async (route, createdBefore) => {
    const sim = await start("kilo");
    const ctx = await emptyProject(sim);
    await ctx.normalizeContext();
    const before = simInventory(sim.sim);
    sim.sim.admin.addFault({ service: "network", route, status: 500, times: 1 });
    const error = await ensureNetwork(ctx).catch((caught: unknown) => caught);
    // Everything was deleted: the cloud's own error, not a GetMeANetworkError with leftovers.
    expect(error).toBeInstanceOf(OpenStackError);
    expect((error as OpenStackError).status).toBe(500);
    expect(addedSince(before, simInventory(sim.sim))).toEqual({});
    const log = sim.sim.admin.log().filter((entry) => entry.service === "network");
    const deletes = log.filter((entry) => entry.method === "DELETE").map((entry) => entry.route);
    expect(deletes).toEqual(
      ["DELETE /routers/{id}", "DELETE /subnets/{id}", "DELETE /networks/{id}"].slice(3 - createdBefore),
    );
    // The fault is gone: the next call builds the whole topology.
    const verdict = await ensureNetwork(ctx);
    expect(verdict).toMatchObject({ kind: "network", source: "built" });
    const added = addedSince(before, simInventory(sim.sim));
    expect(added.networks).toHaveLength(1);
    expect(added.subnets).toHaveLength(1);
    expect(added.routers).toHaveLength(1);
  });
});

describe("createServer with extra volumes whose attach fails", () => {
  it.each(["modern", "kilo"] as const)(
    "%s: the server is deleted and the user's volume stays available",
    async (profile) => {
      const sim = await start(profile);
      const facade = new Cloud(sim.ctx);
      const volume = await facade.createVolume({ size: 1, name: "data", timeoutMs: 10_000 });
      const before = simInventory(sim.sim);
      sim.sim.admin.addFault({
        service: "compute",
        route: "POST /servers/{server_id}/os-volume_attachments",
        status: 500,
        times: 1,
      });
      const error = await facade
        .createServer({
          name: "with-data",
          image: CIRROS,
          flavor: "m1.tiny",
          volumes: ["data"],
          timeoutMs: 20_000,
        })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ServerCreateError);
      expect((error as ServerCreateError).leftBehind).toEqual([]);
      expect(sim.sim.admin.count("compute", "POST /servers")).toBe(1);
      expect(sim.sim.admin.count("compute", "DELETE /servers/{server_id}")).toBe(1);
      expect(addedSince(before, simInventory(sim.sim))).toEqual({});
      expect(await getVolume(sim.ctx, volume.id)).toMatchObject({ status: "available", attachments: [] });
    },
  );
});

describe("more failures half-way through a create", () => {
  it("modern: an upload over glance's size cap (413) deletes the queued image", async () => {
    const sim = await start("modern");
    await sim.ctx.normalizeContext();
    const before = simInventory(sim.sim);
    imageState(sim.sim.admin.state.world).maxUploadBytes = 1024;
    const error = await createImage(sim.ctx, {
      name: "too-big",
      data: new Uint8Array(4096),
      diskFormat: "raw",
      timeoutMs: 10_000,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenStackError);
    expect((error as OpenStackError).status).toBe(413);
    expect(addedSince(before, simInventory(sim.sim))).toEqual({});
  });

  it("modern: an import that is not active by the timeout is deleted", async () => {
    const sim = await start("modern");
    await sim.ctx.normalizeContext();
    const before = simInventory(sim.sim);
    imageState(sim.sim.admin.state.world).importDelayMs = 60_000;
    const error = await createImage(sim.ctx, {
      name: "slow-import",
      data: new Uint8Array([1, 2, 3]),
      diskFormat: "raw",
      method: "v2-import",
      timeoutMs: 400,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImageCreateError);
    expect((error as Error).message).toMatch(/timeout instead of active/);
    expect(sim.sim.admin.count("image", "DELETE /images/{image_id}")).toBe(1);
    expect(addedSince(before, simInventory(sim.sim))).toEqual({});
  });

  it("kilo on glance v1: an upload over the size cap leaves no killed image (glance v1 keeps it)", async () => {
    const sim = await start("kilo", { image_api_version: "1" });
    await sim.ctx.normalizeContext();
    const before = simInventory(sim.sim);
    imageState(sim.sim.admin.state.world).maxUploadBytes = 1024;
    const error = await createImage(sim.ctx, {
      name: "too-big-v1",
      data: new Uint8Array(4096),
      diskFormat: "raw",
      timeoutMs: 10_000,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenStackError);
    expect((error as OpenStackError).status).toBe(413);
    expect(addedSince(before, simInventory(sim.sim))).toEqual({});
  });

  it("modern: boot from a new volume whose server goes to ERROR deletes the server, then the volume", async () => {
    const sim = await start("modern");
    await sim.ctx.normalizeContext();
    sim.sim.admin.markFailing({ flavor: "m1.tiny" });
    const before = simInventory(sim.sim);
    const error = await new Cloud(sim.ctx)
      .createServer({
        name: "bfv-error",
        image: CIRROS,
        flavor: "m1.tiny",
        bootFromVolume: true,
        volumeSize: 1,
        timeoutMs: 20_000,
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServerCreateError);
    expect((error as Error).message).toMatch(/went to ERROR: No valid host/);
    expect((error as ServerCreateError).leftBehind).toEqual([]);
    expect(sim.sim.admin.count("block-storage", "POST /volumes")).toBe(1);
    expect(addedSince(before, simInventory(sim.sim))).toEqual({});
  });

  it("modern: a boot volume still creating at the create's timeout is named in leftBehind (cinder refuses to delete it)", async () => {
    const sim = await start("modern");
    await sim.ctx.normalizeContext();
    volumeState(sim.sim.admin.state.world).delayMs = 60_000;
    const started = Date.now();
    const error = await new Cloud(sim.ctx)
      .createServer({
        name: "slow-volume",
        image: CIRROS,
        flavor: "m1.tiny",
        bootFromVolume: true,
        volumeSize: 1,
        timeoutMs: 500,
      })
      .catch((caught: unknown) => caught);
    // The create's timeout bounds the wait for the boot volume too.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(ServerCreateError);
    const volume = sim.sim.admin.state.world.volumes.find(
      (candidate) => candidate.name === "slow-volume-boot",
    );
    expect(volume?.status).toBe("creating");
    // NOTE: cinder answers 400 to deleting a volume that is still creating: it is left, and said so.
    expect((error as ServerCreateError).leftBehind.map((item) => item.what)).toEqual([
      `boot volume ${volume?.id}`,
    ]);
    expect((error as Error).message).toMatch(/could not clean up: boot volume/);
    expect(sim.sim.admin.count("compute", "POST /servers")).toBe(0);
  });

  it("modern: the second of two extra volumes failing to attach leaves both user volumes available", async () => {
    const sim = await start("modern");
    const facade = new Cloud(sim.ctx);
    const volumes = await Promise.all(
      ["first", "second"].map((name) => facade.createVolume({ size: 1, name, timeoutMs: 10_000 })),
    );
    const before = simInventory(sim.sim);
    sim.sim.admin.addFault({
      service: "compute",
      route: "POST /servers/{server_id}/os-volume_attachments",
      statuses: [0, 503],
    });
    const error = await facade
      .createServer({
        name: "two-volumes",
        image: CIRROS,
        flavor: "m1.tiny",
        volumes: ["first", "second"],
        timeoutMs: 20_000,
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServerCreateError);
    expect(sim.sim.admin.count("compute", "POST /servers/{server_id}/os-volume_attachments")).toBe(2);
    expect(addedSince(before, simInventory(sim.sim))).toEqual({});
    for (const volume of volumes) {
      expect(await getVolume(sim.ctx, volume.id)).toMatchObject({ status: "available", attachments: [] });
    }
  });

  it("modern: the floating IP quota (neutron 409 OverQuota) fails the create and deletes the server", async () => {
    const sim = await start("modern");
    await sim.ctx.normalizeContext();
    sim.sim.admin.setQuota("network", "demo", { floatingip: 0 });
    const before = simInventory(sim.sim);
    const error = await new Cloud(sim.ctx)
      .createServer({ name: "no-fip", image: CIRROS, flavor: "m1.tiny", reuseIps: false, timeoutMs: 20_000 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServerCreateError);
    expect((error as Error).message).toMatch(/[Qq]uota/);
    expect(addedSince(before, simInventory(sim.sim))).toEqual({});
  });

  it.each([
    ["POST /os-floating-ips", "allocating"],
    ["POST /servers/{server_id}/action", "attaching (addFloatingIp)"],
  ] as const)(
    "nova-network: a 503 on %s (%s) a floating IP deletes the IP and the server",
    async (route, _step) => {
      const sim = await start("nova-network");
      await sim.ctx.normalizeContext();
      const before = simInventory(sim.sim);
      sim.sim.admin.addFault({ service: "compute", route, status: 503, times: 1 });
      const error = await new Cloud(sim.ctx)
        .createServer({ name: "nova-fip", image: CIRROS, flavor: "m1.tiny", timeoutMs: 20_000 })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ServerCreateError);
      expect((error as ServerCreateError).leftBehind).toEqual([]);
      expect(sim.sim.admin.log().some((entry) => entry.route === route && entry.status === 503)).toBe(true);
      expect(addedSince(before, simInventory(sim.sim))).toEqual({});
    },
  );

  it("kilo: when the undo fails too, the error names what is left behind", async () => {
    const sim = await start("kilo");
    const ctx = await emptyProject(sim);
    await ctx.normalizeContext();
    sim.sim.admin.addFault({
      service: "network",
      route: "PUT /routers/{id}/add_router_interface",
      status: 500,
      times: 1,
    });
    sim.sim.admin.addFault({ service: "network", route: "DELETE /routers/{id}", status: 500, times: 1 });
    const error = await ensureNetwork(ctx).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GetMeANetworkError);
    expect((error as GetMeANetworkError).leftovers).toEqual([expect.stringMatching(/^router /)]);
    expect((error as Error).message).toMatch(/could not clean up: router/);
    // The subnet and network went (the router's gateway holds neither), the router is left.
    const world = sim.sim.admin.state.world;
    expect(world.networks.find((net) => net.name === "oaktree-auto-network")).toBeUndefined();
    expect(world.routers.find((router) => router.name === "oaktree-auto-router")).toBeDefined();
  });
});
