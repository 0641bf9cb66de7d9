import { create } from "@bufbuild/protobuf";
import type { Port as PortModel } from "@oaktree/core/models/port.js";
import { type Port, PortFixedIpSchema, PortSchema } from "../gen/oaktree/v1/port_pb.js";
import { locationToProto, propertiesOf, timestampOf } from "./common.js";

/** Core's Port model as the proto's Port (binding, DNS and address pairs in `properties`). */
export function portToProto(port: PortModel): Port {
  return create(PortSchema, {
    location: locationToProto(port.location),
    id: port.id,
    name: port.name,
    networkId: port.networkId,
    deviceId: port.deviceId ?? "",
    deviceOwner: port.deviceOwner ?? "",
    fixedIps: port.fixedIps.map((ip) => create(PortFixedIpSchema, { ...ip })),
    macAddress: port.macAddress,
    status: port.status,
    isAdminStateUp: port.isAdminStateUp,
    securityGroupIds: [...port.securityGroupIds],
    description: port.description ?? "",
    tags: [...port.tags],
    createdAt: timestampOf(port.createdAt),
    updatedAt: timestampOf(port.updatedAt),
    properties: propertiesOf({
      ...port.properties,
      ...(port.isPortSecurityEnabled !== undefined && { port_security_enabled: port.isPortSecurityEnabled }),
      ...(port.allowedAddressPairs.length > 0 && {
        allowed_address_pairs: port.allowedAddressPairs.map((pair) => ({
          ip_address: pair.ipAddress,
          ...(pair.macAddress !== undefined && { mac_address: pair.macAddress }),
        })),
      }),
      ...(port.bindingVnicType !== undefined && { "binding:vnic_type": port.bindingVnicType }),
      ...(port.bindingHostId !== undefined && { "binding:host_id": port.bindingHostId }),
      ...(port.dnsName !== undefined && { dns_name: port.dnsName }),
    }),
  });
}
