import { create } from "@bufbuild/protobuf";
import type { Image as ImageModel } from "@oaktree/core/models/image.js";
import { type Image, ImageSchema } from "../gen/oaktree/v1/image_pb.js";
import { locationToProto, propertiesOf, timestampOf } from "./common.js";

/** Core's Image model as the proto's Image (sizes in bytes as int64). */
export function imageToProto(image: ImageModel): Image {
  return create(ImageSchema, {
    location: locationToProto(image.location),
    id: image.id,
    name: image.name,
    status: image.status,
    visibility: image.visibility,
    diskFormat: image.diskFormat ?? "",
    containerFormat: image.containerFormat ?? "",
    size: BigInt(image.size ?? 0),
    virtualSize: BigInt(image.virtualSize ?? 0),
    checksum: image.checksum ?? "",
    hashAlgo: image.hashAlgo ?? "",
    hashValue: image.hashValue ?? "",
    minDisk: image.minDisk,
    minRam: image.minRam,
    owner: image.owner ?? "",
    protected: image.protected,
    tags: [...image.tags],
    createdAt: timestampOf(image.createdAt),
    updatedAt: timestampOf(image.updatedAt),
    properties: propertiesOf(image.properties),
  });
}
