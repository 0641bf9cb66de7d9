import { create } from "@bufbuild/protobuf";
import type { Flavor as FlavorModel } from "@oaktree/core/models/flavor.js";
import { type Flavor, FlavorSchema } from "../gen/oaktree/v1/flavor_pb.js";
import { locationToProto, propertiesOf } from "./common.js";

/** Core's Flavor model as the proto's Flavor. */
export function flavorToProto(flavor: FlavorModel): Flavor {
  return create(FlavorSchema, {
    location: locationToProto(flavor.location),
    id: flavor.id,
    name: flavor.name,
    vcpus: flavor.vcpus,
    ram: flavor.ram,
    disk: flavor.disk,
    ephemeral: flavor.ephemeral,
    swap: flavor.swap,
    rxtxFactor: flavor.rxtxFactor,
    isPublic: flavor.isPublic,
    isDisabled: flavor.isDisabled,
    extraSpecs: { ...flavor.extraSpecs },
    description: flavor.description ?? "",
    properties: propertiesOf(flavor.properties),
  });
}
