import { floatingIpToProto } from "../convert/floating-ip.js";
import { invalidArgument } from "../errors.js";
import { FloatingIpSchema, FloatingIpService } from "../gen/oaktree/v1/floating_ip_pb.js";
import { callOf, deleted, given, required } from "./calls.js";
import { compileFilter } from "./filter.js";
import { type HandlerDeps, handlersOf, type ServiceHandlers } from "./index.js";
import { watchHandler, watchKinds } from "./watch.js";

/**
 * FloatingIpService, without WatchFloatingIps: neutron's or nova-network's floating IPs in one
 * shape. A floating IP is named by its id or by its address.
 */
export function floatingIpHandlers(deps: HandlerDeps): ServiceHandlers {
  const { clouds } = deps;
  return handlersOf(FloatingIpService, {
    // Served by the shared watch hubs (watch.ts), as WatchServers is.
    watchFloatingIps: watchHandler(deps, watchKinds.floatingIps),
    async getFloatingIp(request, context) {
      const ref = required("name_or_id", request.nameOrId);
      const cloud = await clouds.resolve(request.location);
      return { floatingIp: floatingIpToProto(await cloud.getFloatingIp(ref, callOf(context))) };
    },
    async listFloatingIps(request, context) {
      const filter = compileFilter(FloatingIpSchema, request.filter);
      const cloud = await clouds.resolve(request.location);
      const ips = await cloud.listFloatingIps(callOf(context));
      return { floatingIps: filter.apply(ips.map(floatingIpToProto)) };
    },
    async createFloatingIp(request, context) {
      const server = given(request.server);
      const natDestination = given(request.natDestination);
      if (natDestination !== undefined && server === undefined) {
        throw invalidArgument("nat_destination", "needs server");
      }
      const cloud = await clouds.resolve(request.location);
      const ip = await cloud.createFloatingIpFor({
        ...(given(request.network) !== undefined && { network: request.network }),
        ...(server !== undefined && { server }),
        ...(natDestination !== undefined && { natDestination }),
        ...callOf(context),
      });
      return { floatingIp: floatingIpToProto(ip) };
    },
    async deleteFloatingIp(request, context) {
      const ref = required("name_or_id", request.nameOrId);
      const cloud = await clouds.resolve(request.location);
      deleted("floating IP", ref, await cloud.deleteFloatingIpRef(ref, callOf(context)));
      return {};
    },
    async attachFloatingIp(request, context) {
      const ref = required("floating_ip", request.floatingIp);
      const server = required("server", request.server);
      const natDestination = given(request.natDestination);
      const cloud = await clouds.resolve(request.location);
      const ip = await cloud.attachFloatingIpTo(ref, server, {
        ...(natDestination !== undefined && { natDestination }),
        ...callOf(context),
      });
      return { floatingIp: floatingIpToProto(ip) };
    },
    async detachFloatingIp(request, context) {
      const ref = required("floating_ip", request.floatingIp);
      const cloud = await clouds.resolve(request.location);
      return {
        floatingIp: floatingIpToProto(await cloud.detachFloatingIpRef(ref, callOf(context))),
      };
    },
  });
}
