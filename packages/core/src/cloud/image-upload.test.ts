import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { FAKE_PROJECT, fakeCapabilities, fakeContext } from "../testing/fake-context.js";
import { type ScriptedCall, scriptedClient } from "../testing/scripted-client.js";
import { createImage } from "./image-upload.js";

const DATA = new TextEncoder().encode("not really a disk");
const MD5 = createHash("md5").update(DATA).digest("hex");
const ID = "11111111-2222-3333-4444-555555555555";
const v2image = (status: string, extra: Record<string, unknown> = {}) => ({
  id: ID,
  name: "img",
  status,
  owner: FAKE_PROJECT.id,
  disk_format: "qcow2",
  container_format: "bare",
  visibility: "private",
  tags: [],
  ...extra,
});
const glance = (script: ScriptedCall[], version = "2") =>
  scriptedClient(script, { serviceType: "image", endpoint: "https://image.example/v2", version });
const byName: ScriptedCall = {
  method: "GET",
  path: "/images",
  query: { name: "img" },
  response: { images: [] },
};
const create: ScriptedCall = {
  method: "POST",
  path: "/images",
  json: { name: "img", disk_format: "qcow2", container_format: "bare" },
  status: 201,
  response: v2image("queued"),
};
const active: ScriptedCall = {
  method: "GET",
  path: "/images",
  query: { owner: FAKE_PROJECT.id },
  response: { images: [v2image("active", { checksum: MD5 })] },
};

describe("createImage", () => {
  it("v2 PUT: create, upload, wait for active through the shared watch", async () => {
    const image = glance([
      byName,
      create,
      { method: "PUT", path: `/images/${ID}/file`, status: 204 },
      active,
    ]);
    const ctx = fakeContext({ clients: { image } });
    fakeCapabilities(ctx);
    const result = await createImage(ctx, { name: "img", data: DATA });
    expect(result).toMatchObject({ reused: false, method: "v2-put", image: { id: ID, status: "active" } });
    image.assertDone();
  });

  it("skips the upload when an active image of that name has the same checksum", async () => {
    const image = glance([{ ...byName, response: { images: [v2image("active", { checksum: MD5 })] } }]);
    const ctx = fakeContext({ clients: { image } });
    fakeCapabilities(ctx);
    expect(await createImage(ctx, { name: "img", data: DATA })).toMatchObject({
      reused: true,
      image: { id: ID },
    });
    image.assertDone();
  });

  it("v2 import: stage, then glance-direct import", async () => {
    const image = glance([
      byName,
      create,
      { method: "PUT", path: `/images/${ID}/stage`, status: 204 },
      {
        method: "POST",
        path: `/images/${ID}/import`,
        json: { method: { name: "glance-direct" } },
        status: 202,
      },
      active,
    ]);
    const ctx = fakeContext({ clients: { image } });
    fakeCapabilities(ctx, { images: { uploadMethods: ["v2-import"], importMethods: ["glance-direct"] } });
    expect((await createImage(ctx, { name: "img", data: DATA })).method).toBe("v2-import");
    image.assertDone();
  });

  it("glance v1: POST the metadata, PUT the data, then the wait lists /images/detail", async () => {
    const v1 = {
      id: ID,
      name: "img",
      status: "active",
      owner: FAKE_PROJECT.id,
      is_public: false,
      disk_format: "qcow2",
      checksum: MD5,
      properties: {},
    };
    const image = glance(
      [
        {
          method: "GET",
          path: "/images/detail",
          query: { name: "img", limit: 100 },
          response: { images: [] },
        },
        { method: "POST", path: "/images", status: 201, response: { image: { ...v1, status: "queued" } } },
        { method: "PUT", path: `/images/${ID}`, response: { image: v1 } },
        { method: "GET", path: "/images/detail", query: { limit: 100 }, response: { images: [v1] } },
      ],
      "1",
    );
    const ctx = fakeContext({ clients: { image } });
    fakeCapabilities(ctx, { images: { apiVersion: "1", uploadMethods: ["v1-post"] } });
    expect(await createImage(ctx, { name: "img", data: DATA })).toMatchObject({
      method: "v1-post",
      image: { id: ID },
    });
    const post = image.calls[1];
    expect(post?.headers?.["x-image-meta-disk_format"]).toBe("qcow2");
    // The record exists before any data is sent (glance v1 keeps a killed one otherwise).
    expect(post?.body).toBeUndefined();
    expect(image.calls[2]?.body?.kind).toBe("bytes");
    image.assertDone();
  });

  const swiftScript = (): ScriptedCall[] => [
    { method: "HEAD", path: "/oaktree-image-uploads", status: 404 },
    { method: "PUT", path: "/oaktree-image-uploads", status: 201 },
    { method: "PUT", path: "/oaktree-image-uploads/img-UUID", status: 201 },
    { method: "DELETE", path: "/oaktree-image-uploads/img-UUID", status: 204 },
    { method: "DELETE", path: "/oaktree-image-uploads", status: 204 },
  ];
  const taskScript: ScriptedCall[] = [
    {
      method: "POST",
      path: "/tasks",
      status: 201,
      response: { id: "t-1", status: "pending", result: null, message: "" },
    },
    {
      method: "GET",
      path: "/tasks/t-1",
      response: { id: "t-1", status: "success", result: { image_id: ID }, message: "" },
    },
  ];

  it("task import: stage in swift, import task, wait, delete the object and the container oaktree made", async () => {
    const image = glance([byName, ...taskScript, active]);
    const swift = uuidTolerant(swiftScript());
    const ctx = fakeContext({ clients: { image, "object-store": swift } });
    fakeCapabilities(ctx, { images: { uploadMethods: ["task-import"] } });
    expect((await createImage(ctx, { name: "img", data: DATA })).method).toBe("task-import");
    const task = image.calls[1]?.json as {
      input: { import_from: string; image_properties: Record<string, unknown> };
    };
    expect(task.input.import_from).toMatch(/^oaktree-image-uploads\/img-[0-9a-f-]{36}$/);
    expect(task.input.image_properties).toEqual({
      name: "img",
      disk_format: "qcow2",
      container_format: "bare",
    });
    image.assertDone();
    swift.assertDone();
  });

  it("a PUT refused with 403 deletes the queued image and falls back to task import", async () => {
    const image = glance([
      byName,
      create,
      { method: "PUT", path: `/images/${ID}/file`, status: 403, response: { message: "upload forbidden" } },
      { method: "DELETE", path: `/images/${ID}`, status: 204 },
      ...taskScript,
      active,
    ]);
    const swift = uuidTolerant(swiftScript());
    const ctx = fakeContext({ clients: { image, "object-store": swift } });
    fakeCapabilities(ctx, { images: { uploadMethods: ["v2-put", "task-import"] } });
    expect((await createImage(ctx, { name: "img", data: DATA })).method).toBe("task-import");
    image.assertDone();
  });

  it("an image that goes killed is deleted: no queued orphans", async () => {
    const image = glance([
      byName,
      create,
      { method: "PUT", path: `/images/${ID}/file`, status: 204 },
      { ...active, response: { images: [v2image("killed")] } },
      { method: "DELETE", path: `/images/${ID}`, status: 204 },
    ]);
    const ctx = fakeContext({ clients: { image } });
    fakeCapabilities(ctx);
    await expect(createImage(ctx, { name: "img", data: DATA })).rejects.toThrow(
      "went killed instead of active",
    );
    image.assertDone();
  });

  it("checks the disk format against the cloud's before any I/O", async () => {
    const ctx = fakeContext({ clients: { image: glance([]) } });
    fakeCapabilities(ctx, { images: { diskFormats: ["raw", "vhd"] } });
    const error = await createImage(ctx, { name: "img", data: DATA, diskFormat: "qcow2" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("diskFormat");
    expect((error as Error).message).toBe(
      'diskFormat: "qcow2" is not accepted by this cloud; accepted: raw, vhd',
    );
    await expect(createImage(ctx, { name: "img", data: DATA, checksum: "xyz" })).rejects.toThrow("checksum");
  });
});

/** A scripted swift client that accepts any object name where the script says img-UUID. */
function uuidTolerant(script: ScriptedCall[]) {
  const inner = scriptedClient(script, {
    serviceType: "object-store",
    endpoint: "https://swift.example/v1/AUTH_p",
    version: "1",
  });
  return {
    ...inner,
    request: (options: Parameters<typeof inner.request>[0]) =>
      inner.request({ ...options, path: options.path.replace(/img-[0-9a-f-]{36}$/, "img-UUID") }),
  };
}
