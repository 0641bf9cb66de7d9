import type { DescFile } from "@bufbuild/protobuf";
import { Server, type ServerCredentials } from "@grpc/grpc-js";
import { HealthImplementation } from "grpc-health-check";
import type { ServiceHandlers } from "../handlers/index.js";
import { DEFAULT_LIMITS, type ListenerLimits } from "../limits.js";
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
  /** Message sizes, streams per connection, idle timeout (default: DEFAULT_LIMITS). */
  readonly limits?: ListenerLimits;
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
  const limits = options.limits ?? DEFAULT_LIMITS;
  const server = new Server({
    "grpc.max_receive_message_length": limits.maxReceiveMessageBytes,
    "grpc.max_send_message_length": limits.maxSendMessageBytes,
    "grpc.max_concurrent_streams": limits.maxConcurrentStreams,
    // Closes a connection with no call in flight for this long, also one that never sent a
    // byte (grpc-js turns its http2 server's socket timeout off: this is the only idle bound).
    "grpc.max_connection_idle_ms": limits.idleTimeoutMs,
  });
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
