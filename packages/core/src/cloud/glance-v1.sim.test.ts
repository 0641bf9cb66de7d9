import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import { addedSince, type SimInventory, simInventory } from "../testing/sim-inventory.js";
import { getCapabilities } from "./capabilities.js";
import { Cloud } from "./cloud.js";
import { createImage } from "./image-upload.js";

// Glance v1 is what a cloud speaks when clouds.yaml says `image_api_version: 1` (kilo and
// nova-network serve both v1 and v2; discovery would pick v2 otherwise).

const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");

describe.each(["kilo", "nova-network"] as const)("glance v1 uploads on the %s simulator", (profile) => {
  let cloud: SimCloud;
  let facade: Cloud;
  let dir: string;
  let start: SimInventory;
  beforeAll(async () => {
    cloud = await startSimCloud(profile, {
      overrides: { image_api_version: "1" },
      simulator: { buildDelayMs: 20, deleteDelayMs: 20 },
    });
    facade = new Cloud(cloud.ctx);
    dir = mkdtempSync(join(tmpdir(), "oaktree-glance-v1-"));
    await cloud.ctx.normalizeContext();
    start = simInventory(cloud.sim);
  });
  afterAll(async () => {
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the capabilities say v1-post, with v1's formats", async () => {
    const caps = await getCapabilities(cloud.ctx);
    expect(caps.images).toMatchObject({ apiVersion: "1", uploadMethods: ["v1-post"], importMethods: [] });
    expect(caps.images.diskFormats).toEqual(expect.arrayContaining(["qcow2", "raw", "vhd"]));
  });

  it("bytes: POST the metadata, PUT the data; active, checksum and properties kept; a second call dedupes", async () => {
    const data = new TextEncoder().encode(`v1 disk of ${profile}`);
    cloud.sim.admin.reset();
    const first = await facade.createImage({
      name: "v1-bytes",
      data,
      diskFormat: "qcow2",
      properties: { os_distro: "cirros" },
      minDisk: 1,
      timeoutMs: 10_000,
    });
    expect(first).toMatchObject({
      reused: false,
      method: "v1-post",
      image: {
        name: "v1-bytes",
        status: "active",
        checksum: md5(data),
        size: data.length,
        diskFormat: "qcow2",
        containerFormat: "bare",
        minDisk: 1,
      },
    });
    expect(first.image.properties.os_distro).toBe("cirros");
    const posts = cloud.sim.admin
      .log()
      .filter((entry) => entry.service === "image" && entry.method !== "GET");
    expect(posts.map((entry) => `${entry.method} ${new URL(entry.path, "http://x").pathname}`)).toEqual([
      "POST /image/v1/images",
      `PUT /image/v1/images/${first.image.id}`,
    ]);
    const again = await facade.createImage({
      name: "v1-bytes",
      data,
      diskFormat: "qcow2",
      timeoutMs: 10_000,
    });
    expect(again).toMatchObject({ reused: true, image: { id: first.image.id } });
    expect(cloud.sim.admin.count("image", "POST /images")).toBe(1);
    expect(cloud.sim.admin.count("image", "PUT /images/{image_id}")).toBe(1);
    // The bytes glance keeps are the ones sent.
    const stored = cloud.sim.admin.state.world.images.get(first.image.id);
    expect(stored?.data && md5(stored.data)).toBe(md5(data));
  });

  it("a file and a stream go up the same way", async () => {
    const fileBytes = new Uint8Array(256 * 1024).map((_, i) => (i * 7) % 251);
    const path = join(dir, "disk.raw");
    writeFileSync(path, fileBytes);
    const fromFile = await facade.createImage({ name: "v1-file", data: path, timeoutMs: 10_000 });
    expect(fromFile.image).toMatchObject({ diskFormat: "raw", status: "active", checksum: md5(fileBytes) });

    const chunks = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5, 6, 7])];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    const fromStream = await facade.createImage({
      name: "v1-stream",
      data: stream,
      diskFormat: "raw",
      timeoutMs: 10_000,
    });
    expect(fromStream.image).toMatchObject({
      status: "active",
      size: 7,
      checksum: md5(new Uint8Array([1, 2, 3, 4, 5, 6, 7])),
    });
  });

  it("nova boots from a v1-uploaded image; updates and deletes go through v1", async () => {
    const image = (await facade.getImage("v1-file")).id;
    const { server } = await facade.createServer({
      name: "from-v1",
      image,
      flavor: "m1.tiny",
      autoIp: false,
      timeoutMs: 10_000,
    });
    expect(server).toMatchObject({ status: "ACTIVE", image: { id: image } });
    await facade.deleteServer(server.id, { timeoutMs: 10_000 });

    cloud.sim.admin.reset();
    const updated = await facade.updateImageProperties("v1-file", { set: { hw_disk_bus: "virtio" } });
    expect(updated.properties).toMatchObject({ hw_disk_bus: "virtio" });
    expect(cloud.sim.admin.count("image", "PUT /images/{image_id}")).toBe(1);

    for (const name of ["v1-bytes", "v1-file", "v1-stream"]) {
      expect(await facade.deleteImage(name, { wait: true, timeoutMs: 10_000 })).toBe(true);
    }
    expect(cloud.sim.admin.log().some((entry) => entry.path.includes("/image/v2/"))).toBe(false);
    expect(addedSince(start, simInventory(cloud.sim))).toEqual({});
  });
});

describe("forcing an upload method the image client cannot speak", () => {
  it("v1-post on a v2 client fails before any upload, naming the field", async () => {
    const cloud = await startSimCloud("kilo");
    try {
      await cloud.ctx.normalizeContext();
      const error = await createImage(cloud.ctx, {
        name: "forced",
        data: new Uint8Array([1]),
        diskFormat: "raw",
        method: "v1-post",
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(/method.*image_api_version: 1/);
      expect(
        cloud.sim.admin.log().filter((entry) => entry.method === "POST" && entry.service === "image"),
      ).toEqual([]);
    } finally {
      await cloud.close();
    }
  });

  it("v2-put on a v1 client fails before any upload", async () => {
    const cloud = await startSimCloud("nova-network", { overrides: { image_api_version: "1" } });
    try {
      await expect(
        createImage(cloud.ctx, {
          name: "forced",
          data: new Uint8Array([1]),
          diskFormat: "raw",
          method: "v2-put",
        }),
      ).rejects.toThrow(ValidationError);
      expect(cloud.sim.admin.count("image", "POST /images")).toBe(0);
    } finally {
      await cloud.close();
    }
  });
});
