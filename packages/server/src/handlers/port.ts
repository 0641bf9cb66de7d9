import { portToProto } from "../convert/port.js";
import { invalidArgument } from "../errors.js";
import { PortSchema, PortService } from "../gen/oaktree/v1/port_pb.js";
import { callOf, deleted, given, required } from "./calls.js";
import { compileFilter } from "./filter.js";
import { type HandlerDeps, handlersOf, type ServiceHandlers } from "./index.js";
import { changesOf } from "./updates.js";
import { watchHandler, watchKinds } from "./watch.js";

/** PortService (neutron), without WatchPorts. Ports made here are the caller's. */
export function portHandlers(deps: HandlerDeps): ServiceHandlers {
  const { clouds } = deps;
  return handlersOf(PortService, {
    // Served by the shared watch hubs (watch.ts), as WatchServers is.
    watchPorts: watchHandler(deps, watchKinds.ports),
    async getPort(request, context) {
      const nameOrId = required("name_or_id", request.nameOrId);
      const cloud = await clouds.resolve(request.location);
      return { port: portToProto(await cloud.getPort(nameOrId, callOf(context))) };
    },
    async listPorts(request, context) {
      const filter = compileFilter(PortSchema, request.filter);
      const cloud = await clouds.resolve(request.location);
      return { ports: filter.apply((await cloud.listPorts(callOf(context))).map(portToProto)) };
    },
    async createPort(request, context) {
      const network = required("network", request.network);
      request.fixedIps.forEach((ip, index) => {
        if (ip.subnetId === "" && ip.ipAddress === "") {
          throw invalidArgument(`fixed_ips[${index}]`, "needs subnet_id or ip_address");
        }
      });
      const cloud = await clouds.resolve(request.location);
      const port = await cloud.createPort({
        network,
        managed: false,
        ...(given(request.name) !== undefined && { name: request.name }),
        ...(given(request.description) !== undefined && { description: request.description }),
        ...(request.fixedIps.length > 0 && {
          fixedIps: request.fixedIps.map((ip) => ({
            ...(ip.subnetId !== "" && { subnetId: ip.subnetId }),
            ...(ip.ipAddress !== "" && { ipAddress: ip.ipAddress }),
          })),
        }),
        ...(request.securityGroupIds.length > 0 && { securityGroupIds: request.securityGroupIds }),
        ...(request.adminStateUp !== undefined && { adminStateUp: request.adminStateUp }),
        ...callOf(context),
      });
      return { port: portToProto(port) };
    },
    async updatePort(request, context) {
      const nameOrId = required("name_or_id", request.nameOrId);
      if (request.securityGroupIds.length > 0 && !request.setSecurityGroupIds) {
        throw invalidArgument("set_security_group_ids", "must be true to change security_group_ids");
      }
      const changes = changesOf({
        name: request.name,
        description: request.description,
        adminStateUp: request.adminStateUp,
        securityGroupIds: request.setSecurityGroupIds ? request.securityGroupIds : undefined,
      });
      const cloud = await clouds.resolve(request.location);
      const port = changes
        ? await cloud.updatePort(nameOrId, changes, callOf(context))
        : await cloud.getPort(nameOrId, callOf(context));
      return { port: portToProto(port) };
    },
    async deletePort(request, context) {
      const nameOrId = required("name_or_id", request.nameOrId);
      const cloud = await clouds.resolve(request.location);
      deleted("port", nameOrId, await cloud.deletePort(nameOrId, callOf(context)));
      return {};
    },
  });
}
