import { create } from "@bufbuild/protobuf";
import type { Volume as VolumeModel } from "@oaktree/core/models/volume.js";
import { type Volume, VolumeAttachmentSchema, VolumeSchema } from "../gen/oaktree/v1/volume_pb.js";
import { locationToProto, propertiesOf, timestampOf } from "./common.js";

/** Core's Volume model as the proto's Volume (size in GiB). */
export function volumeToProto(volume: VolumeModel): Volume {
  return create(VolumeSchema, {
    location: locationToProto(volume.location),
    id: volume.id,
    name: volume.name,
    description: volume.description ?? "",
    status: volume.status,
    size: volume.size,
    volumeType: volume.volumeType ?? "",
    isBootable: volume.isBootable,
    attachments: volume.attachments.map((attachment) =>
      create(VolumeAttachmentSchema, {
        serverId: attachment.serverId,
        device: attachment.device ?? "",
        attachmentId: attachment.attachmentId,
        hostName: attachment.hostName ?? "",
        attachedAt: timestampOf(attachment.attachedAt),
      }),
    ),
    metadata: { ...volume.metadata },
    imageMetadata: { ...volume.imageMetadata },
    sourceVolumeId: volume.sourceVolumeId ?? "",
    snapshotId: volume.snapshotId ?? "",
    multiattach: volume.multiattach,
    encrypted: volume.encrypted,
    createdAt: timestampOf(volume.createdAt),
    updatedAt: timestampOf(volume.updatedAt),
    properties: propertiesOf({
      ...volume.properties,
      ...(volume.volumeTypeId !== undefined && { volume_type_id: volume.volumeTypeId }),
      ...(volume.userId !== undefined && { user_id: volume.userId }),
    }),
  });
}
