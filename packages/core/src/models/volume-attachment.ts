import type { VolumeAttachmentWire } from "../services/compute/v2/servers/wire.js";
import { type Location, locationOf, type NormalizeContext } from "./location.js";
import { restOf } from "./model-helpers.js";

/** A volume attached to a server, as nova sees it. */
export interface VolumeAttachment {
  readonly location: Location;
  /** The cinder attachment id from compute 2.89 on; the volume id before. */
  readonly id: string;
  readonly serverId: string;
  readonly volumeId: string;
  /** "/dev/vdb"; absent while attaching on some hypervisors. */
  readonly device?: string;
  readonly tag?: string;
  /** Known from compute 2.79 on. */
  readonly deleteOnTermination?: boolean;
  readonly properties: Readonly<Record<string, unknown>>;
}

const CONSUMED = new Set([
  "id",
  "attachment_id",
  "serverId",
  "volumeId",
  "device",
  "tag",
  "delete_on_termination",
]);

/** Normalizes an os-volume_attachments entry of any microversion. */
export function normalizeVolumeAttachment(
  wire: VolumeAttachmentWire,
  ctx: NormalizeContext,
): VolumeAttachment {
  return {
    location: locationOf(ctx),
    id: wire.attachment_id ?? wire.id ?? wire.volumeId,
    serverId: wire.serverId,
    volumeId: wire.volumeId,
    ...(wire.device ? { device: wire.device } : {}),
    ...(wire.tag ? { tag: wire.tag } : {}),
    ...(wire.delete_on_termination !== undefined && { deleteOnTermination: wire.delete_on_termination }),
    properties: restOf(wire, CONSUMED),
  };
}
