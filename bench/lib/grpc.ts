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

/**
 * `count` transports to `address`, each connected (a ListClouds call, which reads no cloud) in
 * batches of 50: a thousand HTTP/2 handshakes at once overrun connect-node's connection timeout on
 * a loaded machine, which clients starting over some seconds never meet.
 */
export async function openTransports(address: string, count: number): Promise<Transport[]> {
  const { CloudService } = await import("@oaktree/server/gen/oaktree/v1/cloud_pb.js");
  const transports = Array.from({ length: count }, () => grpcTransport(address));
  for (let i = 0; i < count; i += 50) {
    await Promise.all(transports.slice(i, i + 50).map((t) => client(CloudService, t).listClouds({})));
  }
  return transports;
}
