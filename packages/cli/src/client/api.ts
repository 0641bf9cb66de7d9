/**
 * The public API's generated types, in one place: every CLI resource command imports them from
 * here. They come from @oaktree/server's generated code (proto/oaktree/v1, `npm run generate`),
 * which that package exports under its `gen/*` subpath.
 */
export * from "@oaktree/server/gen/google/rpc/error_details_pb.js";
export * from "@oaktree/server/gen/oaktree/v1/cloud_pb.js";
export * from "@oaktree/server/gen/oaktree/v1/common_pb.js";
export * from "@oaktree/server/gen/oaktree/v1/flavor_pb.js";
export * from "@oaktree/server/gen/oaktree/v1/floating_ip_pb.js";
export * from "@oaktree/server/gen/oaktree/v1/image_pb.js";
export * from "@oaktree/server/gen/oaktree/v1/keypair_pb.js";
export * from "@oaktree/server/gen/oaktree/v1/limits_pb.js";
export * from "@oaktree/server/gen/oaktree/v1/location_pb.js";
export * from "@oaktree/server/gen/oaktree/v1/network_pb.js";
export * from "@oaktree/server/gen/oaktree/v1/port_pb.js";
export * from "@oaktree/server/gen/oaktree/v1/router_pb.js";
export * from "@oaktree/server/gen/oaktree/v1/security_group_pb.js";
export * from "@oaktree/server/gen/oaktree/v1/server_pb.js";
export * from "@oaktree/server/gen/oaktree/v1/subnet_pb.js";
export * from "@oaktree/server/gen/oaktree/v1/volume_pb.js";
