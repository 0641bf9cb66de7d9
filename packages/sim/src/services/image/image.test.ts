import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCloud, type TestCloud } from "../object-store/test-client.js";

const PATCH = { "content-type": "application/openstack-images-v2.1-json-patch" };
type Json = Record<string, unknown>;

describe("image (glance v2, modern)", () => {
  let cloud: TestCloud;
  beforeAll(async () => {
    cloud = await startTestCloud({ profile: "modern" });
  });
  afterAll(() => cloud.sim.stop());

  const create = async (body: Json) => {
    const res = await cloud.callJson("POST", "/image/v2/images", body);
    expect(res.status).toBe(201);
    return (await res.json()) as Json;
  };

  it("answers its root with 300 and a version list", async () => {
    const res = await fetch(`${cloud.sim.url}/image/`);
    expect(res.status).toBe(300);
    const { versions } = (await res.json()) as { versions: { id: string; status: string }[] };
    expect(versions[0]).toMatchObject({ id: "v2.16", status: "CURRENT" });
  });

  it("lists the seeded public cirros image that nova boots", async () => {
    const res = await cloud.call("GET", "/image/v2/images?visibility=public");
    const body = (await res.json()) as { images: Json[]; first: string; schema: string };
    expect(body.first).toBe("/v2/images?visibility=public");
    expect(body.schema).toBe("/v2/schemas/images");
    const cirros = body.images.find((i) => String(i.name).startsWith("cirros"));
    expect(cirros).toMatchObject({ status: "active", visibility: "public", disk_format: "qcow2" });
    expect(cloud.sim.admin.state.world.images.has(String(cirros?.id))).toBe(true);
  });

  it("creates, uploads (checksum, sha512, size), downloads and deletes an image", async () => {
    const img = await create({
      name: "up",
      disk_format: "raw",
      container_format: "bare",
      os_distro: "debian",
    });
    expect(img).toMatchObject({ status: "queued", visibility: "shared", os_distro: "debian", size: null });
    const put = await cloud.call("PUT", `/image/v2/images/${img.id}/file`, {
      body: "hello world",
      headers: { "content-type": "application/octet-stream" },
    });
    expect(put.status).toBe(204);
    const got = (await (await cloud.call("GET", `/image/v2/images/${img.id}`)).json()) as Json;
    expect(got).toMatchObject({
      status: "active",
      size: 11,
      checksum: "5eb63bbbe01eeed093cb22bb8f5acdc3",
      os_hash_algo: "sha512",
    });
    expect(String(got.os_hash_value)).toMatch(/^309ecc489c12d6eb/);
    expect(await (await cloud.call("GET", `/image/v2/images/${img.id}/file`)).text()).toBe("hello world");
    const again = await cloud.call("PUT", `/image/v2/images/${img.id}/file`, {
      body: "x",
      headers: { "content-type": "application/octet-stream" },
    });
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toContain("text/html");
    expect((await cloud.call("DELETE", `/image/v2/images/${img.id}`)).status).toBe(204);
    expect((await cloud.call("GET", `/image/v2/images/${img.id}`)).status).toBe(404);
  });

  it("refuses data before the formats are set, and bodies over the cap", async () => {
    const img = await create({ name: "noformat" });
    const res = await cloud.call("PUT", `/image/v2/images/${img.id}/file`, {
      body: "x",
      headers: { "content-type": "application/octet-stream" },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("disk_format, container_format");
    const state = cloud.sim.admin.state.world.state<{ maxUploadBytes: number }>("image", () => {
      throw new Error("image state missing");
    });
    state.maxUploadBytes = 3;
    const big = await create({ name: "big", disk_format: "raw", container_format: "bare" });
    const over = await cloud.call("PUT", `/image/v2/images/${big.id}/file`, {
      body: "four",
      headers: { "content-type": "application/octet-stream" },
    });
    state.maxUploadBytes = 1024 ** 3;
    expect(over.status).toBe(413);
    expect(((await (await cloud.call("GET", `/image/v2/images/${big.id}`)).json()) as Json).status).toBe(
      "queued",
    );
  });

  it("applies JSON patches (add/replace/remove), 415 on a plain JSON content type", async () => {
    const img = await create({ name: "p", disk_format: "qcow2", container_format: "bare" });
    const wrong = await cloud.callJson("PATCH", `/image/v2/images/${img.id}`, []);
    expect(wrong.status).toBe(415);
    const ok = await cloud.call("PATCH", `/image/v2/images/${img.id}`, {
      headers: PATCH,
      body: JSON.stringify([
        { op: "replace", path: "/name", value: "renamed" },
        { op: "add", path: "/hw_disk_bus", value: "scsi" },
        { op: "add", path: "/tags", value: ["a", "b"] },
      ]),
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ name: "renamed", hw_disk_bus: "scsi", tags: ["a", "b"] });
    const rm = await cloud.call("PATCH", `/image/v2/images/${img.id}`, {
      headers: PATCH,
      body: JSON.stringify([{ op: "remove", path: "/hw_disk_bus" }]),
    });
    expect((await rm.json()) as Json).not.toHaveProperty("hw_disk_bus");
    const missing = await cloud.call("PATCH", `/image/v2/images/${img.id}`, {
      headers: PATCH,
      body: JSON.stringify([{ op: "remove", path: "/nope" }]),
    });
    expect(missing.status).toBe(409);
    const ro = await cloud.call("PATCH", `/image/v2/images/${img.id}`, {
      headers: PATCH,
      body: JSON.stringify([{ op: "replace", path: "/status", value: "active" }]),
    });
    expect(ro.status).toBe(403);
    const pub = await cloud.call("PATCH", `/image/v2/images/${img.id}`, {
      headers: PATCH,
      body: JSON.stringify([{ op: "replace", path: "/visibility", value: "public" }]),
    });
    expect(pub.status).toBe(403);
  });

  it("protects protected images from deletion (403)", async () => {
    const img = await create({ name: "prot", protected: true });
    expect((await cloud.call("DELETE", `/image/v2/images/${img.id}`)).status).toBe(403);
  });

  it("filters and pages with limit/marker and next links", async () => {
    for (let i = 0; i < 3; i++) await create({ name: `page-${i}`, tags: ["paged"] });
    const first = (await (await cloud.call("GET", "/image/v2/images?tag=paged&limit=2")).json()) as {
      images: Json[];
      next: string;
    };
    expect(first.images.map((i) => i.name)).toEqual(["page-2", "page-1"]);
    expect(first.next).toMatch(/^\/v2\/images\?tag=paged&limit=2&marker=/);
    const second = (await (await cloud.call("GET", `/image${first.next}`)).json()) as {
      images: Json[];
      next?: string;
    };
    expect(second.images.map((i) => i.name)).toEqual(["page-0"]);
    expect(second.next).toBeUndefined();
    expect((await cloud.call("GET", "/image/v2/images?marker=nope")).status).toBe(400);
    const byName = (await (await cloud.call("GET", "/image/v2/images?name=in:page-0,page-1")).json()) as {
      images: Json[];
    };
    expect(byName.images).toHaveLength(2);
  });

  it("imports with glance-direct: stage (uploading), import (importing), then active", async () => {
    const info = (await (await cloud.call("GET", "/image/v2/info/import")).json()) as Json;
    expect((info["import-methods"] as { value: string[] }).value).toContain("glance-direct");
    const img = await create({ name: "gd", disk_format: "raw", container_format: "bare" });
    const stage = await cloud.call("PUT", `/image/v2/images/${img.id}/stage`, {
      body: "staged bytes",
      headers: { "content-type": "application/octet-stream" },
    });
    expect(stage.status).toBe(204);
    const world = cloud.sim.admin.state.world;
    expect(world.images.get(String(img.id))?.status).toBe("uploading");
    world.state<{ importDelayMs: number }>("image", () => ({ importDelayMs: 0 })).importDelayMs = 50;
    const imp = await cloud.callJson("POST", `/image/v2/images/${img.id}/import`, {
      method: { name: "glance-direct" },
    });
    expect(imp.status).toBe(202);
    expect(world.images.get(String(img.id))?.status).toBe("importing");
    world.finish("image");
    const done = (await (await cloud.call("GET", `/image/v2/images/${img.id}`)).json()) as Json;
    expect(done).toMatchObject({ status: "active", size: 12 });
    const twice = await cloud.callJson("POST", `/image/v2/images/${img.id}/import`, {
      method: { name: "glance-direct" },
    });
    expect(twice.status).toBe(409);
  });

  it("imports with web-download from loopback only", async () => {
    const server = createServer((_req, res) => res.end("downloaded"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const port = (server.address() as AddressInfo).port;
      const img = await create({ name: "wd", disk_format: "raw", container_format: "bare" });
      const far = await cloud.callJson("POST", `/image/v2/images/${img.id}/import`, {
        method: { name: "web-download", uri: "http://example.com/x.img" },
      });
      expect(far.status).toBe(403);
      const imp = await cloud.callJson("POST", `/image/v2/images/${img.id}/import`, {
        method: { name: "web-download", uri: `http://127.0.0.1:${port}/x.img` },
      });
      expect(imp.status).toBe(202);
      let status = "";
      for (let i = 0; i < 50 && status !== "active"; i++) {
        await new Promise((r) => setTimeout(r, 20));
        status = String(
          ((await (await cloud.call("GET", `/image/v2/images/${img.id}`)).json()) as Json).status,
        );
      }
      expect(status).toBe("active");
    } finally {
      server.close();
    }
  });

  it("serves schemas with the format enums", async () => {
    const schema = (await (await cloud.call("GET", "/image/v2/schemas/image")).json()) as {
      properties: { disk_format: { enum: unknown[] } };
    };
    expect(schema.properties.disk_format.enum).toContain("qcow2");
  });
});

describe("image (rackspace: task import only)", () => {
  let cloud: TestCloud;
  beforeAll(async () => {
    cloud = await startTestCloud({ profile: "rackspace" });
  });
  afterAll(() => cloud.sim.stop());

  it("forbids direct upload (403)", async () => {
    const img = (await (
      await cloud.callJson("POST", "/image/v2/images", {
        name: "x",
        disk_format: "vhd",
        container_format: "bare",
      })
    ).json()) as Json;
    const res = await cloud.call("PUT", `/image/v2/images/${img.id}/file`, {
      body: "x",
      headers: { "content-type": "application/octet-stream" },
    });
    expect(res.status).toBe(403);
  });

  it("imports an object through a task: pending -> processing -> success, or failure", async () => {
    const acct = `/object-store/v1/AUTH_${cloud.projectId}`;
    await cloud.call("PUT", `${acct}/exports`);
    await cloud.call("PUT", `${acct}/exports/disk.vhd`, { body: "vhd data" });
    const world = cloud.sim.admin.state.world;
    world.state<{ importDelayMs: number }>("image", () => ({ importDelayMs: 0 })).importDelayMs = 100;
    const res = await cloud.callJson("POST", "/image/v2/tasks", {
      type: "import",
      input: {
        import_from: "exports/disk.vhd",
        import_from_format: "vhd",
        image_properties: { name: "imported" },
      },
    });
    expect(res.status).toBe(201);
    const task = (await res.json()) as Json;
    expect(task.status).toBe("pending");
    world.finish("image");
    const done = (await (await cloud.call("GET", `/image/v2/tasks/${task.id}`)).json()) as {
      status: string;
      result: { image_id: string };
    };
    expect(done.status).toBe("success");
    const img = (await (await cloud.call("GET", `/image/v2/images/${done.result.image_id}`)).json()) as Json;
    expect(img).toMatchObject({ name: "imported", status: "active", size: 8, disk_format: "vhd" });

    const bad = (await (
      await cloud.callJson("POST", "/image/v2/tasks", {
        type: "import",
        input: {
          import_from: "exports/missing.vhd",
          import_from_format: "vhd",
          image_properties: { name: "m" },
        },
      })
    ).json()) as Json;
    world.finish("image");
    const failed = (await (await cloud.call("GET", `/image/v2/tasks/${bad.id}`)).json()) as Json;
    expect(failed.status).toBe("failure");
    expect(String(failed.message)).toContain("exports/missing.vhd");
  });
});

describe("image (kilo: glance v1)", () => {
  let cloud: TestCloud;
  beforeAll(async () => {
    cloud = await startTestCloud({ profile: "kilo" });
  });
  afterAll(() => cloud.sim.stop());

  it("creates with x-image-meta headers and data, HEADs, lists and deletes", async () => {
    const res = await cloud.call("POST", "/image/v1/images", {
      body: "v1 data",
      headers: {
        "content-type": "application/octet-stream",
        "x-image-meta-name": "v1img",
        "x-image-meta-disk_format": "qcow2",
        "x-image-meta-container_format": "bare",
        "x-image-meta-property-os_distro": "cirros",
      },
    });
    expect(res.status).toBe(201);
    const { image } = (await res.json()) as { image: Json };
    expect(image).toMatchObject({
      name: "v1img",
      status: "active",
      size: 7,
      is_public: false,
      properties: { os_distro: "cirros" },
    });
    const head = await cloud.call("HEAD", `/image/v1/images/${image.id}`);
    expect(head.status).toBe(200);
    expect(head.headers.get("x-image-meta-status")).toBe("active");
    expect(head.headers.get("x-image-meta-property-os_distro")).toBe("cirros");
    const list = (await (await cloud.call("GET", "/image/v1/images/detail")).json()) as { images: Json[] };
    expect(list.images.map((i) => i.name)).toContain("v1img");
    expect((await cloud.call("DELETE", `/image/v1/images/${image.id}`)).status).toBe(200);
    expect((await cloud.call("HEAD", `/image/v1/images/${image.id}`)).status).toBe(404);
  });
});
