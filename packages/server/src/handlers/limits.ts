import { limitsToProto } from "../convert/limits.js";
import { LimitsService } from "../gen/oaktree/v1/limits_pb.js";
import { callOf } from "./calls.js";
import { type HandlerDeps, handlersOf, type ServiceHandlers } from "./index.js";

/** LimitsService: the project's compute limits and usage. */
export function limitsHandlers({ clouds }: HandlerDeps): ServiceHandlers {
  return handlersOf(LimitsService, {
    async getLimits(request, context) {
      const cloud = await clouds.resolve(request.location);
      return { limits: limitsToProto(await cloud.getLimits(callOf(context))) };
    },
  });
}
