import { create } from "@bufbuild/protobuf";
import type { Router as RouterModel } from "@oaktree/core/models/router.js";
import { type Router, RouterGatewaySchema, RouterSchema } from "../gen/oaktree/v1/router_pb.js";
import { HostRouteSchema } from "../gen/oaktree/v1/subnet_pb.js";
import { locationToProto, propertiesOf, timestampOf } from "./common.js";

/** Core's Router model as the proto's Router (the gateway's fixed IPs as plain addresses). */
export function routerToProto(router: RouterModel): Router {
  const gateway = router.externalGateway;
  return create(RouterSchema, {
    location: locationToProto(router.location),
    id: router.id,
    name: router.name,
    status: router.status,
    isAdminStateUp: router.isAdminStateUp,
    ...(gateway && {
      externalGateway: create(RouterGatewaySchema, {
        networkId: gateway.networkId,
        externalIps: gateway.externalFixedIps.flatMap((ip) => (ip.ipAddress ? [ip.ipAddress] : [])),
        ...(gateway.enableSnat !== undefined && { enableSnat: gateway.enableSnat }),
      }),
    }),
    routes: router.routes.map((route) => create(HostRouteSchema, { ...route })),
    availabilityZones: [...router.availabilityZones],
    description: router.description ?? "",
    tags: [...router.tags],
    createdAt: timestampOf(router.createdAt),
    updatedAt: timestampOf(router.updatedAt),
    properties: propertiesOf({
      ...router.properties,
      ...(router.isDistributed !== undefined && { distributed: router.isDistributed }),
      ...(router.isHa !== undefined && { ha: router.isHa }),
    }),
  });
}
