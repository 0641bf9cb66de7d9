import { networkToProto } from "../convert/network.js";
import { NetworkSchema, NetworkService } from "../gen/oaktree/v1/network_pb.js";
import { callOf, deleted, given, required } from "./calls.js";
import { compileFilter } from "./filter.js";
import { type HandlerDeps, handlersOf, type ServiceHandlers } from "./index.js";
import { changesOf, nonNegative } from "./updates.js";

/**
 * NetworkService (neutron). Networks made here are the caller's, not oaktree's: they are not
 * marked `oaktree:managed`, so oaktree's cleanup never deletes them.
 */
export function networkHandlers({ clouds }: HandlerDeps): ServiceHandlers {
  return handlersOf(NetworkService, {
    async getNetwork(request, context) {
      const nameOrId = required("name_or_id", request.nameOrId);
      const cloud = await clouds.resolve(request.location);
      return { network: networkToProto(await cloud.getNetwork(nameOrId, callOf(context))) };
    },
    async listNetworks(request, context) {
      const filter = compileFilter(NetworkSchema, request.filter);
      const cloud = await clouds.resolve(request.location);
      return { networks: filter.apply((await cloud.listNetworks(callOf(context))).map(networkToProto)) };
    },
    async createNetwork(request, context) {
      const name = required("name", request.name);
      const mtu = nonNegative("mtu", request.mtu);
      const cloud = await clouds.resolve(request.location);
      const network = await cloud.createNetwork({
        name,
        managed: false,
        ...(given(request.description) !== undefined && { description: request.description }),
        ...(request.adminStateUp !== undefined && { adminStateUp: request.adminStateUp }),
        ...(request.shared && { shared: true }),
        ...(request.routerExternal && { routerExternal: true }),
        ...(mtu ? { mtu } : {}),
        ...callOf(context),
      });
      return { network: networkToProto(network) };
    },
    async updateNetwork(request, context) {
      const nameOrId = required("name_or_id", request.nameOrId);
      if (request.name !== undefined) required("name", request.name);
      const changes = changesOf({
        name: request.name,
        description: request.description,
        adminStateUp: request.adminStateUp,
      });
      const cloud = await clouds.resolve(request.location);
      const network = changes
        ? await cloud.updateNetwork(nameOrId, changes, callOf(context))
        : await cloud.getNetwork(nameOrId, callOf(context));
      return { network: networkToProto(network) };
    },
    async deleteNetwork(request, context) {
      const nameOrId = required("name_or_id", request.nameOrId);
      const cloud = await clouds.resolve(request.location);
      deleted("network", nameOrId, await cloud.deleteNetwork(nameOrId, callOf(context)));
      return {};
    },
  });
}
