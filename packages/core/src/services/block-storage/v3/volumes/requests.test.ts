import { describe, expect, it } from "vitest";
import { NotSupportedError } from "../../../../errors.js";
import { collect } from "../../../../http/paginate.js";
import { fixture } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import {
  createVolume,
  deleteVolume,
  extendVolume,
  forceDeleteVolume,
  getVolume,
  listVolumes,
  resetVolumeStatus,
  setVolumeBootable,
  updateVolume,
  volumeAction,
} from "./requests.js";
import type { VolumeWire } from "./wire.js";

const v3 = {
  serviceType: "block-storage",
  endpoint: "https://vol.example/v3/p1",
  version: "3",
  microversion: "3.60",
};
const v2 = { serviceType: "block-storage", endpoint: "https://vol.example/v2/p1", version: "2" };

describe("volumes", () => {
  it("lists details with filters and follows volumes_links (v2 sample)", async () => {
    const page = fixture<{ volumes: VolumeWire[]; volumes_links?: unknown }>(
      "block-storage/v2/samples/volumes-list-detailed-response.json",
    );
    const next = "https://vol.example/v2/p1/volumes/detail?limit=1&marker=x";
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/volumes/detail",
          query: {
            name: "vol",
            status: "available",
            bootable: false,
            metadata: '{"oaktree":"1"}',
            all_tenants: 1,
            limit: 1,
            sort: "created_at:desc",
          },
          response: { volumes: page.volumes.slice(0, 1), volumes_links: [{ rel: "next", href: next }] },
        },
        { method: "GET", path: next, response: { volumes: page.volumes.slice(1) } },
      ],
      v2,
    );
    const volumes = await collect(
      listVolumes(client, {
        name: "vol",
        status: "available",
        bootable: false,
        metadata: { oaktree: "1" },
        allTenants: true,
        limit: 1,
        sort: "created_at:desc",
      }),
    );
    expect(volumes.map((v) => v.id)).toEqual(page.volumes.map((v) => v.id));
    client.assertDone();
  });

  it("filters by update time only from 3.60", () => {
    const old = scriptedClient([], { ...v3, microversion: "3.59" });
    expect(() => listVolumes(old, { updatedSince: "2026-01-01T00:00:00Z" })).toThrow(NotSupportedError);
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/volumes/detail",
          query: { updated_at: "gte:2026-01-01T00:00:00.000Z" },
          response: fixture("block-storage/v3/samples/volumes/volumes-list-detailed-response.json"),
        },
      ],
      v3,
    );
    return collect(listVolumes(client, { updatedSince: new Date("2026-01-01T00:00:00Z") })).then(
      (volumes) => {
        expect(volumes).toHaveLength(1);
        client.assertDone();
      },
    );
  });

  it("creates, gets, updates and deletes with the exact requests", async () => {
    const client = scriptedClient(
      [
        {
          method: "POST",
          path: "/volumes",
          json: {
            volume: {
              size: 10,
              name: "boot",
              description: "from an image",
              volume_type: "ssd",
              availability_zone: "nova",
              imageRef: "img-1",
              metadata: { oaktree: "1" },
            },
          },
          status: 202,
          response: fixture("block-storage/v3/samples/volumes/volume-create-response.json"),
        },
        {
          method: "GET",
          path: "/volumes/f7223234",
          response: fixture("block-storage/v3/samples/volumes/v3.65/volume-show-response.json"),
        },
        {
          method: "PUT",
          path: "/volumes/v1",
          json: fixture("block-storage/v3/samples/volumes/volume-update-request.json"),
          response: fixture("block-storage/v3/samples/volumes/volume-update-response.json"),
        },
        { method: "DELETE", path: "/volumes/v1", query: { cascade: true }, status: 202 },
        { method: "DELETE", path: "/volumes/v2", query: {}, status: 202 },
      ],
      v3,
    );
    const created = await createVolume(client, {
      size: 10,
      name: "boot",
      description: "from an image",
      volumeType: "ssd",
      availabilityZone: "nova",
      imageRef: "img-1",
      metadata: { oaktree: "1" },
    });
    expect(created.bootable).toBe("false");
    expect((await getVolume(client, "f7223234")).consumes_quota).toBe(true);
    const updated = await updateVolume(client, "v1", {
      name: "vol-003",
      description: "This is yet, another volume.",
      metadata: { name: "metadata0" },
    });
    expect(updated.name).toBe("vol-003");
    await deleteVolume(client, "v1", { cascade: true });
    await deleteVolume(client, "v2");
    client.assertDone();
  });

  it("sends the upstream action bodies through the one funnel", async () => {
    const client = scriptedClient(
      [
        {
          method: "POST",
          path: "/volumes/v1/action",
          json: fixture("block-storage/v3/samples/volume-extend-request.json"),
          status: 202,
        },
        {
          method: "POST",
          path: "/volumes/v1/action",
          json: { "os-set_bootable": { bootable: true } },
          status: 200,
        },
        {
          method: "POST",
          path: "/volumes/v1/action",
          json: fixture("block-storage/v3/samples/volume-status-reset-request.json"),
          status: 202,
        },
        {
          method: "POST",
          path: "/volumes/v1/action",
          json: fixture("block-storage/v3/samples/volume-force-delete-request.json"),
          status: 202,
        },
      ],
      v3,
    );
    await extendVolume(client, "v1", 3);
    await setVolumeBootable(client, "v1", true);
    await resetVolumeStatus(client, "v1", {
      status: "available",
      attachStatus: "detached",
      migrationStatus: "migrating",
    });
    await forceDeleteVolume(client, "v1");
    client.assertDone();
  });

  it("validates and gates before any I/O", async () => {
    const client = scriptedClient([], v3);
    await expect(createVolume(client, {})).rejects.toThrow(/size: is required/);
    await expect(createVolume(client, { size: 0 })).rejects.toThrow(/size/);
    await expect(createVolume(client, { size: 1, imageRef: "i", snapshotId: "s" })).rejects.toThrow(
      /at most one/,
    );
    await expect(extendVolume(client, "v1", 1.5)).rejects.toThrow(/newSize/);
    await expect(volumeAction(client, "v1", { a: 1, b: 2 })).rejects.toThrow(/exactly one key/);
    await expect(volumeAction(client, "v1", { "os-x": {} }, {}, { since: "3.99" })).rejects.toThrow(
      NotSupportedError,
    );
    await expect(updateVolume(client, "v1", {})).rejects.toThrow(/nothing to update/);
    expect(client.calls).toHaveLength(0);
  });
});
