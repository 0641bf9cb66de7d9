import type { DescService } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { toGrpcService } from "../grpc/adapter.js";

/** A grpc-js generic client of an oaktree service (tests): methods by proto name, e.g. `ListFlavors`. */
export function grpcClient(
  address: string,
  service: DescService,
  credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
  options: grpc.ClientOptions = {},
): grpc.Client {
  const Client = grpc.makeGenericClientConstructor(
    toGrpcService({ service, impl: {} }).definition,
    service.name,
  );
  return new Client(address, credentials, options);
}

/** The outcome of a unary call: the response, the response headers, or the error. */
export interface UnaryOutcome<T> {
  readonly response?: T;
  readonly error?: grpc.ServiceError;
  readonly header?: grpc.Metadata;
}

/** Calls a unary method and resolves with its outcome (never rejects). */
export function unaryCall<T = Record<string, unknown>>(
  client: grpc.Client,
  method: string,
  request: unknown,
  options: { readonly metadata?: Record<string, string>; readonly deadlineMs?: number } = {},
): Promise<UnaryOutcome<T>> {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(options.metadata ?? {})) metadata.set(key, value);
  const callOptions: grpc.CallOptions =
    options.deadlineMs !== undefined ? { deadline: Date.now() + options.deadlineMs } : {};
  return new Promise((resolve) => {
    let header: grpc.Metadata | undefined;
    const fn = (client as unknown as Record<string, (...args: unknown[]) => grpc.ClientUnaryCall>)[method];
    if (!fn) throw new Error(`no method ${method}`);
    const call = fn.call(
      client,
      request,
      metadata,
      callOptions,
      (error: grpc.ServiceError | null, response: T) =>
        resolve({ ...(error ? { error } : { response }), ...(header && { header }) }),
    );
    call.on("metadata", (received: grpc.Metadata) => {
      header = received;
    });
  });
}
