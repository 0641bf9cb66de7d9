/**
 * gRPC clients of oaktree's API for the benchmarks (connect-node's gRPC transport over HTTP/2,
 * what a TypeScript client of the service would use).
 */
import type { DescService } from "@bufbuild/protobuf";
import { type Client, createClient, type Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";

/** A gRPC transport to `address` (`127.0.0.1:PORT`): one HTTP/2 connection per transport. */
export function grpcTransport(address: string): Transport {
  return createGrpcTransport({ baseUrl: `http://${address}` });
}

/** A client of `service` on `transport`. */
export function client<T extends DescService>(service: T, transport: Transport): Client<T> {
  return createClient(service, transport);
}

/** The location of the demo project on the simulator's cloud `sim`. */
export const SIM = { cloud: "sim" } as const;
