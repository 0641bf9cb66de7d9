import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../errors.js";
import { collect } from "../../../../http/paginate.js";
import { fixture } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import {
  acceptedFormats,
  getImageSchema,
  getImportMethods,
  importImage,
  stageImageData,
  uploadImageData,
} from "./data.js";
import {
  createImage,
  deleteImage,
  getImage,
  IMAGE_PATCH_CONTENT_TYPE,
  listImages,
  updateImage,
} from "./requests.js";

const sample = (path: string) => fixture(`image/${path}`);
const image = () => ({ serviceType: "image", endpoint: "https://glance.example/v2", version: "2" });

describe("glance v2 images", () => {
  it("lists with filters and follows the top-level next path", async () => {
    // NOTE: the upstream sample is a last page (no "next"); page 1 gets the next link glance adds.
    const last = sample("images-list-response.json") as { images: { id: string }[] };
    const page = { ...last, next: "/v2/images?marker=1bea47ed-f6a9-463b-b423-14b9cca9ad27&limit=2" };
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/images",
          query: { name: "cirros", visibility: "public", tag: ["a", "b"], limit: 2 },
          response: page,
        },
        {
          method: "GET",
          path: "/images?marker=1bea47ed-f6a9-463b-b423-14b9cca9ad27&limit=2",
          response: last,
        },
      ],
      image(),
    );
    const images = await collect(
      listImages(client, { name: "cirros", visibility: "public", tag: ["a", "b"], limit: 2 }),
    );
    expect(images.map((i) => i.id)).toEqual([...last.images, ...last.images].map((i) => i.id));
    client.assertDone();
  });

  it("creates, gets, updates with JSON patch and deletes", async () => {
    const req = sample("image-create-request.json") as Record<string, unknown>;
    const client = scriptedClient(
      [
        {
          method: "POST",
          path: "/images",
          json: req,
          status: 201,
          response: sample("image-create-response.json"),
        },
        { method: "GET", path: "/images/i1", response: sample("image-show-response.json") },
        { method: "PATCH", path: "/images/i1", response: sample("image-update-response.json") },
        { method: "DELETE", path: "/images/i1", status: 204 },
      ],
      image(),
    );
    const created = await createImage(client, {
      name: "Ubuntu",
      id: "b2173dd3-7ad6-4362-baa6-a68bce3565cb",
      containerFormat: "bare",
      diskFormat: "raw",
    });
    expect(created.status).toBe("queued");
    expect((await getImage(client, "i1")).os_hash_algo).toBe("sha512");
    const ops = sample("image-update-request.json") as { op: "replace"; path: string; value: unknown }[];
    expect((await updateImage(client, "i1", ops)).name).toBe("Fedora 17");
    const patch = client.calls[2]!;
    expect(patch.headers).toEqual({ "content-type": IMAGE_PATCH_CONTENT_TYPE });
    expect(patch.body?.kind).toBe("bytes");
    expect(JSON.parse(new TextDecoder().decode(patch.body?.value as Uint8Array))).toEqual(ops);
    await deleteImage(client, "i1");
    client.assertDone();
  });

  it("sends properties as top-level string keys beside the core attributes", async () => {
    const client = scriptedClient(
      [
        {
          method: "POST",
          path: "/images",
          json: { name: "n", visibility: "private", min_disk: 1, tags: ["t"], os_distro: "ubuntu" },
          status: 201,
          response: sample("image-create-response.json"),
        },
      ],
      image(),
    );
    await createImage(client, {
      name: "n",
      visibility: "private",
      minDisk: 1,
      tags: ["t"],
      properties: { os_distro: "ubuntu" },
    });
    client.assertDone();
  });

  it("validates before any I/O", async () => {
    const client = scriptedClient([], image());
    await expect(createImage(client, { name: "x", properties: { size: "1" } })).rejects.toThrow(
      "properties.size:",
    );
    await expect(updateImage(client, "i1", [])).rejects.toThrow(ValidationError);
    await expect(updateImage(client, "i1", [{ op: "remove", path: "name" }])).rejects.toThrow(
      "operations[0].path",
    );
    await expect(uploadImageData(client, "i1", "text" as unknown as Uint8Array)).rejects.toThrow(/^data:/);
    await expect(importImage(client, "i1", { name: "web-download", uri: "" })).rejects.toThrow(
      /^method\.uri/,
    );
    expect(client.calls).toHaveLength(0);
  });
});

describe("glance v2 upload and import", () => {
  it("uploads bytes and stages a stream as octet-stream with 204", async () => {
    const client = scriptedClient(
      [
        { method: "PUT", path: "/images/i1/file", status: 204 },
        { method: "PUT", path: "/images/i1/stage", status: 204 },
      ],
      image(),
    );
    await uploadImageData(client, "i1", new Uint8Array([1, 2, 3]));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([4]));
        controller.close();
      },
    });
    await stageImageData(client, "i1", stream);
    expect(client.calls.map((c) => [c.body?.kind, c.headers?.["content-type"], c.okStatus])).toEqual([
      ["bytes", "application/octet-stream", [204]],
      ["stream", "application/octet-stream", [204]],
    ]);
    client.assertDone();
  });

  it("imports with the upstream bodies and reads import methods and formats", async () => {
    const client = scriptedClient(
      [
        {
          method: "POST",
          path: "/images/i1/import",
          json: sample("image-import-g-d-request.json"),
          status: 202,
        },
        {
          method: "POST",
          path: "/images/i1/import",
          json: sample("image-import-w-d-request.json"),
          status: 202,
        },
        { method: "GET", path: "/info/import", response: sample("image-info-import-response.json") },
        { method: "GET", path: "/schemas/image", response: sample("schemas-image-show-response.json") },
      ],
      image(),
    );
    await importImage(
      client,
      "i1",
      { name: "glance-direct" },
      { stores: ["common", "cheap", "fast", "reliable"], allStoresMustSucceed: false },
    );
    const wd = sample("image-import-w-d-request.json") as { method: { uri: string } };
    await importImage(
      client,
      "i1",
      { name: "web-download", uri: wd.method.uri },
      { allStores: true, allStoresMustSucceed: true },
    );
    expect(await getImportMethods(client)).toEqual(["glance-direct", "web-download"]);
    const formats = acceptedFormats(await getImageSchema(client));
    expect(formats.diskFormats).toContain("qcow2");
    expect(formats.diskFormats).not.toContain(null);
    expect(formats.containerFormats).toContain("bare");
    client.assertDone();
  });
});
