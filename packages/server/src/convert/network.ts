import { create } from "@bufbuild/protobuf";
import type { Network as NetworkModel } from "@oaktree/core/models/network.js";
import { type Network, NetworkSchema } from "../gen/oaktree/v1/network_pb.js";
import { locationToProto, propertiesOf, timestampOf } from "./common.js";

/** Core's Network model as the proto's Network. */
export function networkToProto(network: NetworkModel): Network {
  return create(NetworkSchema, {
    location: locationToProto(network.location),
    id: network.id,
    name: network.name,
    status: network.status,
    isAdminStateUp: network.isAdminStateUp,
    isShared: network.isShared,
    isRouterExternal: network.isRouterExternal,
    isDefault: network.isDefault,
    mtu: network.mtu ?? 0,
    subnetIds: [...network.subnetIds],
    availabilityZones: [...network.availabilityZones],
    description: network.description ?? "",
    tags: [...network.tags],
    createdAt: timestampOf(network.createdAt),
    updatedAt: timestampOf(network.updatedAt),
    properties: propertiesOf({
      ...network.properties,
      ...(network.isPortSecurityEnabled !== undefined && {
        port_security_enabled: network.isPortSecurityEnabled,
      }),
    }),
  });
}
