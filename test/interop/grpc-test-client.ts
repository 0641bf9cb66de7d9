import type { DescService, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { toGrpcService } from "../../packages/server/src/grpc/adapter.js";

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
