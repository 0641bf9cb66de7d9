import { capabilitiesToProto, cloudEntryToProto } from "../convert/capabilities.js";
import { CloudService } from "../gen/oaktree/v1/cloud_pb.js";
import { type HandlerDeps, handlersOf, type ServiceHandlers } from "./index.js";

/** CloudService: the configured clouds with their auth state, and what each can do. */
export function cloudHandlers(deps: HandlerDeps): ServiceHandlers {
  return handlersOf(CloudService, {
    listClouds() {
      return { clouds: deps.clouds.entries().map(cloudEntryToProto) };
    },

    async getCapabilities(request, context) {
      const cloud = await deps.clouds.resolve(request.location);
      return { capabilities: capabilitiesToProto(await cloud.capabilities({ signal: context.signal })) };
    },
  });
}
