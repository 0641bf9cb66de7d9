import { describe, expect, it } from "vitest";
import { NotSupportedError } from "../../../../errors.js";
import { collect } from "../../../../http/paginate.js";
import { fixture } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import { getVolumeLimits } from "../limits/requests.js";
import { createSnapshot, deleteSnapshot, getSnapshot, listSnapshots } from "../snapshots/requests.js";
import { getDefaultVolumeType, getVolumeType, listVolumeTypes } from "../types/requests.js";
import {
  completeAttachment,
  createAttachment,
  deleteAttachment,
  getAttachment,
  listAttachments,
  updateAttachment,
} from "./requests.js";

const v3 = {
  serviceType: "block-storage",
  endpoint: "https://vol.example/v3/p1",
  version: "3",
  microversion: "3.60",
};

describe("attachments (3.27+)", () => {
  it("drives the attachment API with the upstream request bodies", async () => {
    const create = fixture<{ attachment: { connector: Record<string, unknown> } }>(
      "block-storage/v3/samples/attachment-create-request.json",
    );
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/attachments/detail",
          query: { volume_id: "462dcc2d" },
          response: fixture("block-storage/v3/samples/attachment-list-detailed-response.json"),
        },
        {
          method: "GET",
          path: "/attachments/a1",
          response: fixture("block-storage/v3/samples/attachment-show-response.json"),
        },
        {
          method: "POST",
          path: "/attachments",
          json: create,
          response: fixture("block-storage/v3/samples/attachment-create-response.json"),
        },
        {
          method: "PUT",
          path: "/attachments/a1",
          json: fixture("block-storage/v3/samples/attachment-update-request.json"),
          response: fixture("block-storage/v3/samples/attachment-update-response.json"),
        },
        {
          method: "POST",
          path: "/attachments/a1/action",
          json: fixture("block-storage/v3/samples/attachment-complete.json"),
          status: 204,
        },
        { method: "DELETE", path: "/attachments/a1" },
      ],
      v3,
    );
    expect((await collect(listAttachments(client, { volumeId: "462dcc2d" }))).length).toBeGreaterThan(0);
    expect((await getAttachment(client, "a1")).attach_mode).toBe("ro");
    const made = await createAttachment(client, {
      volumeId: "462dcc2d-130d-4654-8db1-da0df2da6a0d",
      serverId: "462dcc2d-130d-4654-8db1-da0df2da6a0d",
      connector: create.attachment.connector,
    });
    expect(made.status).toBe("attaching");
    await updateAttachment(client, "a1", create.attachment.connector);
    await completeAttachment(client, "a1");
    await deleteAttachment(client, "a1");
    client.assertDone();
  });

  it("is refused below 3.27 and on v2, before any I/O", async () => {
    const old = scriptedClient([], { ...v3, microversion: "3.26" });
    await expect(getAttachment(old, "a1")).rejects.toThrow(NotSupportedError);
    const v2 = scriptedClient([], { serviceType: "block-storage", version: "2" });
    expect(() => listAttachments(v2)).toThrow(/3\.27/);
    await expect(
      createAttachment(scriptedClient([], { ...v3, microversion: "3.50" }), { volumeId: "v", mode: "ro" }),
    ).rejects.toThrow(/3\.54/);
    expect(old.calls).toHaveLength(0);
  });
});

describe("types, snapshots, limits", () => {
  it("reads types", async () => {
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/types",
          query: {},
          response: fixture("block-storage/v3/samples/volume_type/volume-types-list-response.json"),
        },
        {
          method: "GET",
          path: "/types/t1",
          response: fixture("block-storage/v3/samples/volume_type/volume-type-show-response.json"),
        },
        {
          method: "GET",
          path: "/types/default",
          response: fixture("block-storage/v3/samples/volume_type/volume-type-default-response.json"),
        },
      ],
      v3,
    );
    expect((await listVolumeTypes(client)).map((t) => t.name)).toEqual([
      "vol-type-002",
      "vol-type-001",
      "__DEFAULT__",
    ]);
    expect((await getVolumeType(client, "t1")).extra_specs).toEqual({ capabilities: "gpu" });
    expect((await getDefaultVolumeType(client)).id).toBeTypeOf("string");
    client.assertDone();
  });

  it("drives snapshots and limits", async () => {
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/snapshots/detail",
          query: { volume_id: "v1" },
          response: fixture("block-storage/v3/samples/snapshots/snapshots-list-detailed-response.json"),
        },
        {
          method: "GET",
          path: "/snapshots/s1",
          response: fixture("block-storage/v3/samples/snapshots/snapshot-show-response.json"),
        },
        {
          method: "POST",
          path: "/snapshots",
          json: fixture("block-storage/v2/samples/snapshot-create-request.json"),
          status: 202,
          response: fixture("block-storage/v2/samples/snapshot-create-response.json"),
        },
        { method: "DELETE", path: "/snapshots/s1", status: 202 },
        {
          method: "GET",
          path: "/limits",
          response: fixture("block-storage/v3/samples/limits/limits-show-response.json"),
        },
      ],
      v3,
    );
    expect((await collect(listSnapshots(client, { volumeId: "v1" }))).length).toBeGreaterThan(0);
    expect((await getSnapshot(client, "s1")).name).toBe("snap-001");
    const request = fixture<{
      snapshot: { volume_id: string; name: string; description: string; force?: boolean };
    }>("block-storage/v2/samples/snapshot-create-request.json").snapshot;
    await createSnapshot(client, {
      volumeId: request.volume_id,
      name: request.name,
      description: request.description,
      ...(request.force !== undefined && { force: request.force }),
    });
    await deleteSnapshot(client, "s1");
    expect((await getVolumeLimits(client)).absolute.maxTotalVolumes).toBe(10);
    client.assertDone();
  });
});
