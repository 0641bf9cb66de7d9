import { describe, expect, it } from "vitest";
import { FAKE_PROJECT, fakeContext } from "../testing/fake-context.js";
import { type ScriptedCall, scriptedClient } from "../testing/scripted-client.js";
import { attachVolume, createVolume, deleteVolume, VolumeCreateError } from "./volumes.js";

const volume = (status: string, extra: Record<string, unknown> = {}) => ({
  id: "v-1",
  name: "boot",
  status,
  size: 1,
  availability_zone: "nova",
  bootable: "false",
  attachments: [],
  created_at: "2026-01-01T00:00:00.000000",
  updated_at: null,
  description: null,
  volume_type: "lvmdriver-1",
  snapshot_id: null,
  source_volid: null,
  metadata: {},
  "os-vol-tenant-attr:tenant_id": FAKE_PROJECT.id,
  ...extra,
});
const cinder = (script: ScriptedCall[]) =>
  scriptedClient(script, {
    serviceType: "block-storage",
    endpoint: "https://cinder.example/v3/p",
    version: "3",
  });
const list = (...volumes: unknown[]): ScriptedCall => ({
  method: "GET",
  path: "/volumes/detail",
  response: { volumes },
});

describe("volumes", () => {
  it("create from image waits for available through the shared watch", async () => {
    const client = cinder([
      {
        method: "POST",
        path: "/volumes",
        json: { volume: { size: 1, name: "boot", imageRef: "img-1" } },
        status: 202,
        response: { volume: volume("creating") },
      },
      list(volume("downloading")),
      list(volume("available", { bootable: "true" })),
    ]);
    const ctx = fakeContext({ clients: { "block-storage": client } });
    const created = await createVolume(ctx, { size: 1, name: "boot", imageId: "img-1" });
    expect(created).toMatchObject({ id: "v-1", status: "available", isBootable: true });
    client.assertDone();
  });

  it("a failed create from image (status error) deletes the volume and says why", async () => {
    const client = cinder([
      { method: "POST", path: "/volumes", status: 202, response: { volume: volume("creating") } },
      list(volume("error", { volume_image_metadata: { image_id: "img-1" } })),
      { method: "DELETE", path: "/volumes/v-1", status: 202 },
      list(volume("deleting")),
      list(),
    ]);
    const ctx = fakeContext({ clients: { "block-storage": client } });
    const error = await createVolume(ctx, { size: 1, name: "boot", imageId: "img-1" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VolumeCreateError);
    expect(error).toMatchObject({ volumeId: "v-1", leftover: false });
    expect((error as Error).message).toBe(
      "volume v-1: went to status error creating it from image img-1; oaktree deleted it",
    );
    client.assertDone();
  });

  it("attach waits for in-use; delete waits for gone", async () => {
    const client = cinder([
      list(volume("available")),
      list(volume("attaching")),
      list(volume("in-use")),
      list(volume("in-use")),
      { method: "DELETE", path: "/volumes/v-1", status: 202 },
      list(),
    ]);
    const compute = scriptedClient([
      {
        method: "POST",
        path: "/servers/s-1/os-volume_attachments",
        json: { volumeAttachment: { volumeId: "v-1" } },
        response: { volumeAttachment: { id: "v-1", serverId: "s-1", volumeId: "v-1", device: "/dev/vdb" } },
      },
    ]);
    const ctx = fakeContext({ clients: { "block-storage": client, compute } });
    expect((await attachVolume(ctx, "s-1", "boot")).status).toBe("in-use");
    expect(await deleteVolume(ctx, "v-1")).toBe(true);
    client.assertDone();
    compute.assertDone();
  });

  it("validates before any I/O", async () => {
    const ctx = fakeContext({ clients: { "block-storage": cinder([]) } });
    await expect(createVolume(ctx, { name: "x" })).rejects.toThrow("size: is required");
    await expect(createVolume(ctx, { size: 0 })).rejects.toThrow("size: must be a positive integer");
  });
});
