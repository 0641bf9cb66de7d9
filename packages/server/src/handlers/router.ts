import { routerToProto } from "../convert/router.js";
import { invalidArgument } from "../errors.js";
import { RouterSchema, RouterService } from "../gen/oaktree/v1/router_pb.js";
import { callOf, deleted, given, required } from "./calls.js";
import { compileFilter } from "./filter.js";
import { type HandlerDeps, handlersOf, type ServiceHandlers } from "./index.js";
import { changesOf } from "./updates.js";

/** RouterService (neutron). Routers made here are the caller's (not marked as oaktree's). */
export function routerHandlers({ clouds }: HandlerDeps): ServiceHandlers {
  return handlersOf(RouterService, {
    async getRouter(request, context) {
      const nameOrId = required("name_or_id", request.nameOrId);
      const cloud = await clouds.resolve(request.location);
      return { router: routerToProto(await cloud.getRouter(nameOrId, callOf(context))) };
    },
    async listRouters(request, context) {
      const filter = compileFilter(RouterSchema, request.filter);
      const cloud = await clouds.resolve(request.location);
      return { routers: filter.apply((await cloud.listRouters(callOf(context))).map(routerToProto)) };
    },
    async createRouter(request, context) {
      const name = required("name", request.name);
      const externalNetwork = given(request.externalNetwork);
      if (request.enableSnat !== undefined && externalNetwork === undefined) {
        throw invalidArgument("enable_snat", "needs external_network");
      }
      const cloud = await clouds.resolve(request.location);
      const router = await cloud.createRouter({
        name,
        managed: false,
        ...(given(request.description) !== undefined && { description: request.description }),
        ...(externalNetwork !== undefined && { externalNetwork }),
        ...(request.enableSnat !== undefined && { enableSnat: request.enableSnat }),
        ...(request.adminStateUp !== undefined && { adminStateUp: request.adminStateUp }),
        ...callOf(context),
      });
      return { router: routerToProto(router) };
    },
    async updateRouter(request, context) {
      const nameOrId = required("name_or_id", request.nameOrId);
      if (request.name !== undefined) required("name", request.name);
      const changes = changesOf({
        name: request.name,
        description: request.description,
        adminStateUp: request.adminStateUp,
      });
      const cloud = await clouds.resolve(request.location);
      const router = changes
        ? await cloud.updateRouter(nameOrId, changes, callOf(context))
        : await cloud.getRouter(nameOrId, callOf(context));
      return { router: routerToProto(router) };
    },
    async deleteRouter(request, context) {
      const nameOrId = required("name_or_id", request.nameOrId);
      const cloud = await clouds.resolve(request.location);
      deleted("router", nameOrId, await cloud.deleteRouter(nameOrId, callOf(context)));
      return {};
    },
    async addRouterInterface(request, context) {
      const router = required("router", request.router);
      const subnet = required("subnet", request.subnet);
      const cloud = await clouds.resolve(request.location);
      const plugged = await cloud.addRouterInterface(router, { subnet }, callOf(context));
      return { portId: plugged.portId };
    },
    async removeRouterInterface(request, context) {
      const router = required("router", request.router);
      const subnet = required("subnet", request.subnet);
      const cloud = await clouds.resolve(request.location);
      await cloud.removeRouterInterface(router, { subnet }, callOf(context));
      return {};
    },
  });
}
