import { create, toBinary } from "@bufbuild/protobuf";
import { type Any, AnySchema, anyPack } from "@bufbuild/protobuf/wkt";
import type { ConnectError } from "@connectrpc/connect";
import { Metadata, type StatusObject, type status } from "@grpc/grpc-js";
import { StatusSchema } from "../gen/google/rpc/status_pb.js";

/** The trailer gRPC clients (grpcurl, grpcio's rich status, grpc-go's status.Details) read details from. */
export const STATUS_DETAILS_KEY = "grpc-status-details-bin";

/**
 * A ConnectError as grpc-js sends it: the same code number (connect-es's Code enum is gRPC's),
 * the message, the error's metadata as trailers, and `grpc-status-details-bin` holding a
 * google.rpc.Status with the error's details (ErrorInfo, BadRequest, ...) packed as Any.
 */
export function toGrpcStatus(error: ConnectError, trailers?: Headers): StatusObject {
  const metadata = toMetadata(trailers);
  for (const [key, value] of error.metadata) setHeader(metadata, key, value);
  const details = error.details.map(toAny);
  const status = create(StatusSchema, { code: error.code, message: error.rawMessage, details });
  metadata.set(STATUS_DETAILS_KEY, Buffer.from(toBinary(StatusSchema, status)));
  return { code: error.code as number as status, details: error.rawMessage, metadata };
}

/** Response headers or trailers of a handler as grpc-js metadata (`-bin` values are base64, as on the wire). */
export function toMetadata(headers: Headers | undefined): Metadata {
  const metadata = new Metadata();
  if (headers) for (const [key, value] of headers) setHeader(metadata, key, value);
  return metadata;
}

/** Incoming metadata as Headers, the shape a connect HandlerContext has (binary values base64). */
export function toHeaders(metadata: Metadata): Headers {
  const headers = new Headers();
  for (const [key, values] of Object.entries(metadata.toJSON())) {
    for (const value of values) {
      headers.append(key, typeof value === "string" ? value : Buffer.from(value).toString("base64"));
    }
  }
  return headers;
}

function setHeader(metadata: Metadata, key: string, value: string): void {
  if (key.endsWith("-bin")) metadata.add(key, Buffer.from(value, "base64"));
  else metadata.add(key, value);
}

function toAny(detail: ConnectError["details"][number]): Any {
  if ("desc" in detail) return anyPack(detail.desc, create(detail.desc, detail.value));
  return create(AnySchema, { typeUrl: `type.googleapis.com/${detail.type}`, value: detail.value });
}
