import type { DescService } from "@bufbuild/protobuf";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { CloudRegistry } from "../clouds.js";
import { requestIdKey } from "../context.js";
import { toConnectError } from "../errors.js";
import { legacyHandlers } from "../legacy/oaktree.js";
import { cloudHandlers } from "./cloud.js";
import { flavorHandlers } from "./flavor.js";
import { floatingIpHandlers } from "./floating-ip.js";
import { imageHandlers } from "./image.js";
import { keypairHandlers } from "./keypair.js";
import { limitsHandlers } from "./limits.js";
import { networkHandlers } from "./network.js";
import { portHandlers } from "./port.js";
import { checkRequestLimits } from "./request-limits.js";
import { routerHandlers } from "./router.js";
import { securityGroupHandlers } from "./security-group.js";
import { serverHandlers } from "./server.js";
import { subnetHandlers } from "./subnet.js";
import { volumeHandlers } from "./volume.js";

/** What every handler needs: the clouds, routed by Location. */
export interface HandlerDeps {
  readonly clouds: CloudRegistry;
}

/**
 * One service's handlers: plain Connect-style implementations (unary methods return the
 * response; server-streaming ones are async generators; client streams arrive as an
 * AsyncIterable). The same object is served by the grpc-js listener and by the Connect
 * (JSON, gRPC-Web) listener; errors thrown are mapped by toConnectError in one place there.
 */
export interface ServiceHandlers<S extends DescService = DescService> {
  readonly service: S;
  readonly impl: Partial<ServiceImpl<S>>;
}

/**
 * Pairs a service with its implementation, keeping the types tied together, refuses a request
 * with an oversized string field (checkRequestLimits) before the handler runs, and maps every
 * error a method throws (also mid-stream) through toConnectError with the call's request id:
 * the one place errors are mapped, whichever listener serves the handlers.
 */
export function handlersOf<S extends DescService>(
  service: S,
  impl: Partial<ServiceImpl<S>>,
): ServiceHandlers {
  const methods = impl as Record<string, AnyMethod | undefined>;
  const mapped: Record<string, AnyMethod> = {};
  for (const method of service.methods) {
    const fn = methods[method.localName];
    if (typeof fn !== "function") continue;
    // A client stream (CreateImage) is not walked here: its messages arrive later, mostly bytes.
    const checked = method.methodKind === "unary" || method.methodKind === "server_streaming";
    const call: AnyMethod = (input, context) => {
      if (checked) checkRequestLimits(method.input, input as never);
      return fn.call(impl, input, context);
    };
    mapped[method.localName] =
      method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming"
        ? async function* (input, context) {
            try {
              yield* call(input, context) as AsyncIterable<unknown>;
            } catch (error) {
              throw toConnectError(error, context.values.get(requestIdKey));
            }
          }
        : async (input, context) => {
            try {
              return await call(input, context);
            } catch (error) {
              throw toConnectError(error, context.values.get(requestIdKey));
            }
          };
  }
  return { service, impl: mapped } as unknown as ServiceHandlers;
}

type AnyMethod = (input: unknown, context: HandlerContext) => unknown;

/** Every oaktree.v1 service with its handlers, and the 2017 oaktree.Oaktree. */
export function createHandlers(deps: HandlerDeps): ServiceHandlers[] {
  return [
    // Each resource's factory is added here, e.g. serverHandlers(deps).
    cloudHandlers,
    serverHandlers,
    flavorHandlers,
    floatingIpHandlers,
    imageHandlers,
    keypairHandlers,
    limitsHandlers,
    networkHandlers,
    portHandlers,
    routerHandlers,
    securityGroupHandlers,
    subnetHandlers,
    volumeHandlers,
    // The 2017 API (package oaktree), on the same port.
    legacyHandlers,
  ].map((factory: (deps: HandlerDeps) => ServiceHandlers) => factory(deps));
}
