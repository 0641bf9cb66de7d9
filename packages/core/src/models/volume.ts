import type { VolumeWire } from "../services/block-storage/v3/volumes/wire.js";
import { isoTime } from "../timestamps.js";
import { type Location, locationOf, type NormalizeContext } from "./location.js";
import { readingWire } from "./malformed.js";
import { definedOnly, restOf, str } from "./model-helpers.js";

/** One attachment of a volume to a server. */
export interface VolumeServerAttachment {
  readonly serverId: string;
  /** The device name nova reported (e.g. /dev/vdb); absent until known. */
  readonly device?: string;
  readonly attachmentId: string;
  readonly hostName?: string;
  readonly attachedAt?: string;
}

/** A cinder volume, in one shape whatever the API version (v2, v3.x). */
export interface Volume {
  /** zone = the volume's availability zone. */
  readonly location: Location;
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  /** creating, available, in-use, attaching, detaching, error, deleting, ... */
  readonly status: string;
  /** GiB. */
  readonly size: number;
  /** The type's name; absent when cinder reports none. */
  readonly volumeType?: string;
  /** Volume microversion 3.63+. */
  readonly volumeTypeId?: string;
  readonly isBootable: boolean;
  readonly attachments: readonly VolumeServerAttachment[];
  readonly metadata: Readonly<Record<string, string>>;
  /** Properties of the image the volume was made from (`volume_image_metadata`). */
  readonly imageMetadata: Readonly<Record<string, string>>;
  readonly sourceVolumeId?: string;
  readonly snapshotId?: string;
  readonly multiattach: boolean;
  readonly encrypted: boolean;
  readonly userId?: string;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  /** os-vol-*-attr:* keys, links, later microversions' fields and every other key, as sent. */
  readonly properties: Readonly<Record<string, unknown>>;
}

const CONSUMED = new Set([
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
]);

/**
 * cinder's `bootable`: NOTE a string, "true" or "false" (older releases also sent "True"
 * or a real boolean).
 */
export function isBootableValue(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  return typeof value === "string" && ["true", "1", "yes"].includes(value.trim().toLowerCase());
}

/** Metadata values as strings (cinder stores strings; some samples carry booleans). */
function stringRecord(record: Readonly<Record<string, unknown>> | null | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record ?? {}).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

/**
 * Normalizes a volume of any cinder version.
 * NOTE: cinder v2 reports a volume without a type as the string "None"; that is no type.
 */
export const normalizeVolume: (wire: VolumeWire, ctx: NormalizeContext) => Volume = readingWire(
  "volume",
  readVolume,
);

function readVolume(wire: VolumeWire, ctx: NormalizeContext): Volume {
  const volumeType = str(wire.volume_type);
  return {
    location: locationOf(ctx, wire["os-vol-tenant-attr:tenant_id"], str(wire.availability_zone)),
    id: wire.id,
    name: wire.name ?? "",
    ...definedOnly({
      description: str(wire.description),
      volumeType: volumeType === "None" ? undefined : volumeType,
      volumeTypeId: str(wire.volume_type_id),
      sourceVolumeId: str(wire.source_volid),
      snapshotId: str(wire.snapshot_id),
      userId: str(wire.user_id),
      createdAt: isoTime(wire.created_at),
      updatedAt: isoTime(wire.updated_at),
    }),
    status: wire.status ?? "UNKNOWN",
    size: typeof wire.size === "number" ? wire.size : 0,
    isBootable: isBootableValue(wire.bootable),
    attachments: (wire.attachments ?? []).map(
      (attachment) =>
        ({
          serverId: attachment.server_id,
          attachmentId: attachment.attachment_id,
          ...definedOnly({
            device: str(attachment.device),
            hostName: str(attachment.host_name),
            attachedAt: isoTime(attachment.attached_at),
          }),
        }) as VolumeServerAttachment,
    ),
    metadata: stringRecord(wire.metadata),
    imageMetadata: stringRecord(wire.volume_image_metadata),
    multiattach: wire.multiattach === true,
    encrypted: wire.encrypted === true,
    properties: restOf(wire, CONSUMED),
  };
}
