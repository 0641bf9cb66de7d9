import { describe, expect, it } from "vitest";
import type { SnapshotWire } from "../services/block-storage/v3/snapshots/wire.js";
import type { VolumeTypeWire } from "../services/block-storage/v3/types/wire.js";
import type { VolumeWire } from "../services/block-storage/v3/volumes/wire.js";
import { fixture, fixtureFiles } from "../testing/fixtures.js";
import type { NormalizeContext } from "./location.js";
import { normalizeSnapshot } from "./snapshot.js";
import { expectNothingLost, itemsOf } from "./test-helpers.js";
import { isBootableValue, normalizeVolume, type Volume } from "./volume.js";
import { normalizeVolumeType, type VolumeType } from "./volume-type.js";

const ctx: NormalizeContext = {
  cloud: "example",
  region: "RegionOne",
  project: { id: "89afd400-b646-4bbc-b12b-c0a4d63e5bd3", name: "demo" },
};
const VOLUME_READ = [
  "id",
  "name",
  "description",
  "status",
  "size",
  "availability_zone",
  "volume_type",
  "volume_type_id",
  "bootable",
  "attachments",
  "metadata",
  "volume_image_metadata",
  "source_volid",
  "snapshot_id",
  "multiattach",
  "encrypted",
  "user_id",
  "created_at",
  "updated_at",
  "os-vol-tenant-attr:tenant_id",
];

describe("normalizeVolume", () => {
  it("maps the v3 show sample to the expected model", () => {
    const wire = fixture<{ volume: VolumeWire }>(
      "block-storage/v3/samples/volumes/volume-show-response.json",
    ).volume;
    const expected: Volume = {
      location: {
        cloud: "example",
        region: "RegionOne",
        zone: "nova",
        project: { id: "89afd400-b646-4bbc-b12b-c0a4d63e5bd3", name: "demo" },
      },
      id: "f7223234-1afc-4d19-bfa3-d19deb6235ef",
      name: "",
      status: "creating",
      size: 10,
      volumeType: "__DEFAULT__",
      isBootable: false,
      attachments: [],
      metadata: {},
      imageMetadata: {},
      multiattach: false,
      encrypted: false,
      userId: "c853ca26-e8ea-4797-8a52-ee124a013d0e",
      createdAt: "2018-11-29T06:50:07.770785Z",
      properties: {
        consistencygroup_id: null,
        links: wire.links,
        migration_status: null,
        "os-vol-host-attr:host": null,
        "os-vol-mig-status-attr:migstat": null,
        "os-vol-mig-status-attr:name_id": null,
        replication_status: null,
      },
    };
    expect(normalizeVolume(wire, ctx)).toEqual(expected);
  });

  it("maps a v2 in-use, multiattach volume with attachments and image metadata", () => {
    const wire = fixture<{ volumes: VolumeWire[] }>(
      "block-storage/v2/samples/volumes-list-detailed-response.json",
    ).volumes[0] as VolumeWire;
    const volume = normalizeVolume(wire, ctx);
    expect(volume).toMatchObject({
      location: { zone: "nova", project: { id: "bab7d5c60cd041a0a36f7c4b6e1dd978" } },
      status: "in-use",
      size: 2,
      multiattach: true,
      isBootable: false,
      volumeType: "lvmdriver-1",
      metadata: { readonly: "false", attached_mode: "rw" },
      attachments: [
        {
          serverId: "f4fda93b-06e0-4743-8117-bc8bcecd651b",
          attachmentId: "3b4db356-253d-4fab-bfa0-e3626c0b8405",
          device: "/dev/vdb",
        },
      ],
    });
    const fromImage = fixture<{ volumes: VolumeWire[] }>(
      "block-storage/v2/samples/volumes-list-detailed-response.json",
    ).volumes.find((v) => v.volume_image_metadata);
    expect(fromImage && normalizeVolume(fromImage, ctx).imageMetadata).toEqual(
      fromImage?.volume_image_metadata,
    );
  });

  it('reads cinder\'s string "bootable" and treats v2\'s "None" type as no type', () => {
    expect(isBootableValue("true")).toBe(true);
    expect(isBootableValue("True")).toBe(true);
    expect(isBootableValue("false")).toBe(false);
    expect(isBootableValue(true)).toBe(true);
    const wire = fixture<{ volume: VolumeWire }>("block-storage/v2/samples/volume-show-response.json").volume;
    const volume = normalizeVolume({ ...wire, bootable: "true" }, ctx);
    expect(volume.isBootable).toBe(true);
    expect(volume).not.toHaveProperty("volumeType");
    expect(volume.metadata).toEqual({ contents: "not junk" });
  });

  it.each(
    fixtureFiles("block-storage", /\/volumes?-[^/]*response\.json$/).filter(
      (path) => !/metadata|summary|type/.test(path),
    ),
  )("normalizes every volume in %s (every version and microversion)", (path) => {
    const volumes = itemsOf<VolumeWire>(fixture(path), "volume", "volumes");
    expect(volumes.length).toBeGreaterThan(0);
    for (const wire of volumes) {
      const volume = normalizeVolume(wire, ctx);
      expect(volume.id).toBe(wire.id);
      if ("bootable" in wire) expect(volume.isBootable).toBe(wire.bootable === "true");
      if ("availability_zone" in wire) expect(volume.location.zone).toBe(wire.availability_zone);
      expect(volume.attachments.map((a) => a.serverId)).toEqual(
        (wire.attachments ?? []).map((a) => a.server_id),
      );
      if ("bootable" in wire) expectNothingLost(wire, volume, VOLUME_READ);
    }
  });
});

describe("normalizeVolumeType", () => {
  it("maps the show sample to the expected model", () => {
    const wire = fixture<{ volume_type: VolumeTypeWire }>(
      "block-storage/v3/samples/volume_type/volume-type-show-response.json",
    ).volume_type;
    const expected: VolumeType = {
      location: { cloud: "example", region: "RegionOne", project: ctx.project },
      id: "6685584b-1eac-4da6-b5c3-555430cf68ff",
      name: "vol-type-001",
      description: "volume type 0001",
      isPublic: true,
      extraSpecs: { capabilities: "gpu" },
      properties: { qos_specs_id: null },
    };
    expect(normalizeVolumeType(wire, ctx)).toEqual(expected);
  });

  it.each(fixtureFiles("block-storage/v3/samples/volume_type", /type[^/]*-response\.json$/))(
    "normalizes %s",
    (path) => {
      const types = itemsOf<VolumeTypeWire>(fixture(path), "volume_type", "volume_types");
      expect(types.length).toBeGreaterThan(0);
      for (const wire of types) expect(normalizeVolumeType(wire, ctx).name).toBe(wire.name);
    },
  );
});

describe("normalizeSnapshot", () => {
  it("maps the v3 show sample to the expected model", () => {
    const wire = fixture<{ snapshot: SnapshotWire }>(
      "block-storage/v3/samples/snapshots/snapshot-show-response.json",
    ).snapshot;
    expect(normalizeSnapshot(wire, ctx)).toEqual({
      location: { cloud: "example", region: "RegionOne", project: ctx.project },
      id: "4a584cae-e4ce-429b-9154-d4c9eb8fda4c",
      name: "snap-001",
      description: "Daily backup",
      status: "creating",
      size: 10,
      volumeId: "b72c48f1-64b7-4cd8-9745-b12e0be82d37",
      metadata: { key: "v3" },
      progress: "0%",
      createdAt: "2019-03-12T04:42:00.809352Z",
      properties: {},
    });
  });

  it.each(
    fixtureFiles("block-storage", /\/snapshots?-[^/]*response\.json$/).filter(
      (path) => !/metadata/.test(path),
    ),
  )("normalizes every snapshot in %s", (path) => {
    const snapshots = itemsOf<SnapshotWire>(fixture(path), "snapshot", "snapshots");
    expect(snapshots.length).toBeGreaterThan(0);
    for (const wire of snapshots) {
      const snapshot = normalizeSnapshot(wire, ctx);
      expect(snapshot.volumeId).toBe(wire.volume_id);
      expect(snapshot.size).toBe(wire.size);
    }
  });
});
