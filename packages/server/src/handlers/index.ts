import type { DescService } from "@bufbuild/protobuf";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { CloudRegistry } from "../clouds.js";
import { requestIdKey } from "../context.js";
import { toConnectError } from "../errors.js";

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

/** Pairs a service with its implementation, keeping the types tied together. */
export function handlersOf<S extends DescService>(
  service: S,
  impl: Partial<ServiceImpl<S>>,
): ServiceHandlers {
  return { service, impl } as unknown as ServiceHandlers;
}

/** Every oaktree.v1 service with its handlers. */
export function createHandlers(deps: HandlerDeps): ServiceHandlers[] {
  return [
    // Each resource's factory is added here, e.g. serverHandlers(deps).
  ].map((factory: (deps: HandlerDeps) => ServiceHandlers) => factory(deps));
}
