import { create } from "@bufbuild/protobuf";
import type { Subnet as SubnetModel } from "@oaktree/core/models/subnet.js";
import {
  AllocationPoolSchema,
  HostRouteSchema,
  type Subnet,
  SubnetSchema,
} from "../gen/oaktree/v1/subnet_pb.js";
import { locationToProto, propertiesOf, timestampOf } from "./common.js";

/** Core's Subnet model as the proto's Subnet. */
export function subnetToProto(subnet: SubnetModel): Subnet {
  return create(SubnetSchema, {
    location: locationToProto(subnet.location),
    id: subnet.id,
    name: subnet.name,
    networkId: subnet.networkId,
    cidr: subnet.cidr,
    ipVersion: subnet.ipVersion,
    gatewayIp: subnet.gatewayIp ?? "",
    allocationPools: subnet.allocationPools.map((pool) => create(AllocationPoolSchema, { ...pool })),
    dnsNameservers: [...subnet.dnsNameservers],
    hostRoutes: subnet.hostRoutes.map((route) => create(HostRouteSchema, { ...route })),
    isDhcpEnabled: subnet.isDhcpEnabled,
    subnetpoolId: subnet.subnetpoolId ?? "",
    ipv6AddressMode: subnet.ipv6AddressMode ?? "",
    ipv6RaMode: subnet.ipv6RaMode ?? "",
    description: subnet.description ?? "",
    tags: [...subnet.tags],
    createdAt: timestampOf(subnet.createdAt),
    updatedAt: timestampOf(subnet.updatedAt),
    properties: propertiesOf({
      ...subnet.properties,
      ...(subnet.segmentId !== undefined && { segment_id: subnet.segmentId }),
    }),
  });
}
