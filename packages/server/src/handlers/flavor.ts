import { flavorToProto } from "../convert/flavor.js";
import { FlavorSchema, FlavorService } from "../gen/oaktree/v1/flavor_pb.js";
import { callOf, required } from "./calls.js";
import { compileFilter } from "./filter.js";
import { type HandlerDeps, handlersOf, type ServiceHandlers } from "./index.js";

/** FlavorService: flavors by name or id, and lists with filters (cached by core). */
export function flavorHandlers({ clouds }: HandlerDeps): ServiceHandlers {
  return handlersOf(FlavorService, {
    async getFlavor(request, context) {
      const nameOrId = required("name_or_id", request.nameOrId);
      const cloud = await clouds.resolve(request.location);
      return { flavor: flavorToProto(await cloud.getFlavor(nameOrId, callOf(context))) };
    },
    async listFlavors(request, context) {
      const filter = compileFilter(FlavorSchema, request.filter);
      const cloud = await clouds.resolve(request.location);
      return { flavors: filter.apply((await cloud.listFlavors(callOf(context))).map(flavorToProto)) };
    },
  });
}
