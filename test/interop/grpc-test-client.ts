import type { DescService, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import type { CloudRegistry } from "../../packages/server/src/clouds.js";
import { toGrpcService } from "../../packages/server/src/grpc/adapter.js";
import { createHandlers } from "../../packages/server/src/handlers/index.js";

/** oaktree's services (every oaktree.v1 service and the 2017 oaktree.Oaktree) on a gRPC port. */
export interface GrpcListener {
  /** HOST:PORT it listens on (127.0.0.1, a free port). */
  readonly address: string;
  /** Stops it: calls in flight get 5 s to end, then are cut. */
  close(): Promise<void>;
}

/** Serves createHandlers on `clouds` with grpc-js on 127.0.0.1 (a free port). */
export async function listenGrpc(clouds: CloudRegistry): Promise<GrpcListener> {
  const server = new grpc.Server();
  for (const service of createHandlers({ clouds })) {
    const { definition, implementation } = toGrpcService(service);
    server.addService(definition, implementation);
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      // Bounded: a stream a client left open must not hold the test.
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 5_000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}

/** A grpc-js client of one service (protobuf-es messages in and out), for tests. */
export class GrpcTestClient<S extends DescService> {
  private readonly client: grpc.Client & Record<string, (...args: unknown[]) => unknown>;

  constructor(address: string, service: S) {
    const Client = grpc.makeGenericClientConstructor(
      toGrpcService({ service, impl: {} }).definition,
      service.name,
    );
    this.client = new Client(address, grpc.credentials.createInsecure()) as typeof this.client;
  }

  /** One unary call; a failure is the grpc-js ServiceError (code, details). */
  unary<M extends keyof S["method"] & string>(
    method: M,
    request: MessageInitShape<S["method"][M]["input"]>,
    timeoutMs = 60_000,
  ): Promise<MessageShape<S["method"][M]["output"]>> {
    return new Promise((resolve, reject) => {
      this.call(method)(request, { deadline: Date.now() + timeoutMs }, (error: unknown, response: unknown) =>
        error ? reject(error) : resolve(response as MessageShape<S["method"][M]["output"]>),
      );
    });
  }

  /** Every message of a server stream, in order; a failure is the grpc-js ServiceError. */
  async stream<M extends keyof S["method"] & string>(
    method: M,
    request: MessageInitShape<S["method"][M]["input"]>,
    timeoutMs = 300_000,
  ): Promise<MessageShape<S["method"][M]["output"]>[]> {
    const call = this.call(method)(request, { deadline: Date.now() + timeoutMs }) as AsyncIterable<
      MessageShape<S["method"][M]["output"]>
    >;
    const messages: MessageShape<S["method"][M]["output"]>[] = [];
    for await (const message of call) messages.push(message);
    return messages;
  }

  close(): void {
    this.client.close();
  }

  /** The generic client's method by its local name (listFlavors -> ListFlavors). */
  private call(method: string): (...args: unknown[]) => unknown {
    const name = method.charAt(0).toUpperCase() + method.slice(1);
    const fn = this.client[name];
    if (typeof fn !== "function") throw new Error(`no method ${name}`);
    return fn.bind(this.client);
  }
}
