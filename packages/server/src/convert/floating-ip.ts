import { create } from "@bufbuild/protobuf";
import type { FloatingIp as FloatingIpModel } from "@oaktree/core/models/floating-ip.js";
import { type FloatingIp, FloatingIpSchema } from "../gen/oaktree/v1/floating_ip_pb.js";
import { locationToProto, propertiesOf, timestampOf } from "./common.js";

/** Core's FloatingIp model (neutron or nova-network, one shape) as the proto's FloatingIp. */
export function floatingIpToProto(ip: FloatingIpModel): FloatingIp {
  return create(FloatingIpSchema, {
    location: locationToProto(ip.location),
    id: ip.id,
    floatingIpAddress: ip.floatingIpAddress,
    fixedIpAddress: ip.fixedIpAddress ?? "",
    portId: ip.portId ?? "",
    routerId: ip.routerId ?? "",
    networkId: ip.networkId,
    status: ip.status,
    attached: ip.attached,
    description: ip.description ?? "",
    tags: [...ip.tags],
    createdAt: timestampOf(ip.createdAt),
    updatedAt: timestampOf(ip.updatedAt),
    properties: propertiesOf(ip.properties),
  });
}
