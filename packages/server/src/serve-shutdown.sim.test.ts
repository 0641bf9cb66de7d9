import { fromBinary } from "@bufbuild/protobuf";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorInfoSchema } from "./gen/google/rpc/error_details_pb.js";
import { StatusSchema } from "./gen/google/rpc/status_pb.js";
import { ServerService } from "./gen/oaktree/v1/server_pb.js";
import { STATUS_DETAILS_KEY } from "./grpc/status.js";
import { createLogger } from "./logging.js";
import { grpcClient } from "./testing/grpc-client.js";
import { type SimServe, startSimServe } from "./testing/sim-serve.js";

let s: SimServe;
beforeAll(async () => {
  // The real handlers (createHandlers), as `oaktree serve` runs them.
  s = await startSimServe({ logger: createLogger("silent") });
});
afterAll(async () => s?.close());

describe("serve with the real handlers: shutdown", () => {
  it("ends a WatchServers stream over native gRPC with UNAVAILABLE and its resume token in ErrorInfo", async () => {
    const client = grpcClient(s.server.grpcAddress, ServerService);
    const call = (
      client as unknown as Record<string, (request: unknown) => grpc.ClientReadableStream<unknown>>
    ).WatchServers?.call(client, { location: { cloud: "sim" } }) as grpc.ClientReadableStream<{
      resumeToken: string;
    }>;
    const tokens: string[] = [];
    const ended = new Promise<grpc.ServiceError>((resolve) => call.on("error", resolve));
    await new Promise<void>((resolve) =>
      call.on("data", (event: { resumeToken: string }) => {
        tokens.push(event.resumeToken);
        resolve();
      }),
    );
    const stopped = s.server.stop();
    const error = await ended;
    expect(error.code).toBe(grpc.status.UNAVAILABLE);
    const status = fromBinary(StatusSchema, error.metadata.get(STATUS_DETAILS_KEY)[0] as Buffer);
    const info = status.details.map((any) => anyUnpack(any, ErrorInfoSchema)).find(Boolean);
    expect(info?.reason).toBe("WATCH_INTERRUPTED");
    expect(info?.metadata.resume_token).toBeTruthy();
    await stopped;
    client.close();
  }, 20_000);
});
