import type { DescFile } from "@bufbuild/protobuf";
import { Server, type ServerCredentials } from "@grpc/grpc-js";
import { HealthImplementation } from "grpc-health-check";
import type { ServiceHandlers } from "../handlers/index.js";
import { toGrpcService } from "./adapter.js";
import { addReflection } from "./reflection.js";

/** Options of {@link listenGrpc}. */
export interface GrpcListenerOptions {
  /** `HOST:PORT` (port 0: any free port). */
  readonly address: string;
  readonly credentials: ServerCredentials;
  /** The handlers (already instrumented), oaktree.v1's and any other package's (the 2017 API). */
  readonly services: readonly ServiceHandlers[];
  /** More descriptor files for reflection (services are found from `services` already). */
  readonly reflectionFiles?: readonly DescFile[];
  /** grpc.health.v1: starts NOT_SERVING; the server sets SERVING once the clouds are loaded. */
  readonly health: HealthImplementation;
}

/** A running native gRPC listener. */
export interface GrpcListener {
  readonly server: Server;
  /** `HOST:PORT` actually bound (the port resolved when 0 was asked for). */
  readonly address: string;
  /** Stops accepting calls; resolves when the calls in flight ended (or `forceAfterMs` passed). */
  close(forceAfterMs: number): Promise<void>;
}

/** Starts grpc-js on `address` with the services, health checking and reflection. */
export async function listenGrpc(options: GrpcListenerOptions): Promise<GrpcListener> {
  const server = new Server({ "grpc.max_receive_message_length": 64 * 1024 * 1024 });
  for (const handlers of options.services) {
    const { definition, implementation } = toGrpcService(handlers);
    server.addService(definition, implementation);
  }
  options.health.addToServer(server);
  addReflection(server, options.services, options.reflectionFiles);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(options.address, options.credentials, (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const host = options.address.slice(0, options.address.lastIndexOf(":"));
  return {
    server,
    address: `${host}:${port}`,
    close: (forceAfterMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, forceAfterMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}

export { HealthImplementation };
