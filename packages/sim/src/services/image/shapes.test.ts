import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shapeDiff } from "../../testing/shape.js";
import { startTestCloud, type TestCloud } from "../object-store/test-client.js";
import { sample } from "../object-store/testdata.js";

let cloud: TestCloud;
let imageId: string;
beforeAll(async () => {
  cloud = await startTestCloud({ profile: "modern" });
  const res = await cloud.callJson("POST", "/image/v2/images", {
    name: "s",
    disk_format: "raw",
    container_format: "bare",
  });
  imageId = ((await res.json()) as { id: string }).id;
});
afterAll(() => cloud.sim.stop());

const get = async (
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) => {
  const res =
    init.body === undefined
      ? await cloud.call(init.method ?? "GET", path, { headers: init.headers ?? {} })
      : await cloud.callJson(init.method ?? "POST", path, init.body, init.headers);
  return res.json();
};

describe("glance response shapes match the upstream samples", () => {
  it("versions", async () => {
    const res = await fetch(`${cloud.sim.url}/image/`);
    expect(
      shapeDiff(sample("glance/versions/samples/image-versions-response.json"), await res.json()),
    ).toEqual([]);
  });
  it("image show, list, create, update", async () => {
    expect(
      shapeDiff(
        sample("glance/v2/samples/image-show-response.json"),
        await get(`/image/v2/images/${imageId}`),
      ),
    ).toEqual([]);
    expect(
      shapeDiff(sample("glance/v2/samples/images-list-response.json"), await get("/image/v2/images")),
    ).toEqual([]);
    const created = await get("/image/v2/images", {
      body: { name: "c", disk_format: "raw", container_format: "bare" },
    });
    // NOTE: `locations` shows only with show_multiple_locations, which devstack leaves off.
    expect(shapeDiff(sample("glance/v2/samples/image-create-response.json"), created, ["locations"])).toEqual(
      [],
    );
    const patched = await cloud.call("PATCH", `/image/v2/images/${imageId}`, {
      headers: { "content-type": "application/openstack-images-v2.1-json-patch" },
      body: JSON.stringify([{ op: "replace", path: "/name", value: "n" }]),
    });
    expect(shapeDiff(sample("glance/v2/samples/image-update-response.json"), await patched.json())).toEqual(
      [],
    );
  });
  it("import info, schema", async () => {
    expect(
      shapeDiff(
        sample("glance/v2/samples/image-info-import-response.json"),
        await get("/image/v2/info/import"),
      ),
    ).toEqual([]);
    expect(
      shapeDiff(
        sample("glance/v2/samples/schemas-image-show-response.json"),
        await get("/image/v2/schemas/image"),
      ),
    ).toEqual([]);
  });
  it("members", async () => {
    const shared = await get("/image/v2/images", { body: { name: "sh", visibility: "shared" } });
    const id = (shared as { id: string }).id;
    const m = await get(`/image/v2/images/${id}/members`, { body: { member: cloud.adminProjectId } });
    expect(shapeDiff(sample("glance/v2/samples/image-member-create-response.json"), m)).toEqual([]);
    expect(
      shapeDiff(
        sample("glance/v2/samples/image-members-list-response.json"),
        await get(`/image/v2/images/${id}/members`),
      ),
    ).toEqual([]);
  });
  it("tasks (created and succeeded)", async () => {
    const acct = `/object-store/v1/AUTH_${cloud.projectId}`;
    await cloud.call("PUT", `${acct}/c`);
    await cloud.call("PUT", `${acct}/c/o.qcow2`, { body: "data" });
    const task = (await get("/image/v2/tasks", {
      body: {
        type: "import",
        input: {
          import_from: "c/o.qcow2",
          import_from_format: "qcow2",
          image_properties: { name: "t", container_format: "bare", disk_format: "qcow2" },
        },
      },
    })) as { id: string };
    expect(shapeDiff(sample("glance/v2/samples/task-create-response.json"), task)).toEqual([]);
    cloud.sim.admin.state.world.finish("image");
    expect(
      shapeDiff(
        sample("glance/v2/samples/task-show-success-response.json"),
        await get(`/image/v2/tasks/${task.id}`),
      ),
    ).toEqual([]);
  });
});
