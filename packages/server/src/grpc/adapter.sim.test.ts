import { create, createFileRegistry, type DescService, fromBinary } from "@bufbuild/protobuf";
import { anyUnpack, FileDescriptorProtoSchema, file_google_protobuf_wrappers } from "@bufbuild/protobuf/wkt";
import { Code, type HandlerContext } from "@connectrpc/connect";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestIdKey } from "../context.js";
import { invalidArgument } from "../errors.js";
import { BadRequestSchema, ErrorInfoSchema } from "../gen/google/rpc/error_details_pb.js";
import { StatusSchema } from "../gen/google/rpc/status_pb.js";
import { FlavorService } from "../gen/oaktree/v1/flavor_pb.js";
import { ImageService } from "../gen/oaktree/v1/image_pb.js";
import { ServerService } from "../gen/oaktree/v1/server_pb.js";
import { type HandlerDeps, handlersOf, type ServiceHandlers } from "../handlers/index.js";
import { type SimServer, startSimServer } from "../testing/sim-server.js";
import { toGrpcService } from "./adapter.js";
import { STATUS_DETAILS_KEY } from "./status.js";

/**
 * oaktree's protos have no client-streaming method (CreateImage is bidi), so the adapter's
 * client-streaming path is tested on a service built here: Sum(stream Int64Value) returns Int64Value.
 */
const SumService: DescService = createFileRegistry(
  create(FileDescriptorProtoSchema, {
    name: "test/sum.proto",
    package: "test",
    syntax: "proto3",
    dependency: ["google/protobuf/wrappers.proto"],
    service: [
      {
        name: "SumService",
        method: [
          {
            name: "Sum",
            inputType: ".google.protobuf.Int64Value",
            outputType: ".google.protobuf.Int64Value",
            clientStreaming: true,
          },
        ],
      },
    ],
  }),
  (name) => (name === "google/protobuf/wrappers.proto" ? file_google_protobuf_wrappers : undefined),
).getService("test.SumService") as DescService;

/** What the test handlers saw of their context (cancellation, deadline, request id). */
const seen: { watchAbort?: unknown; slowAbort?: unknown; slowTimeoutMs?: number; requestIds: string[] } = {
  requestIds: [],
};

/** Test handlers over real oaktree.v1 descriptors: one cloud call, a stream, a slow call, a bidi echo. */
function testHandlers({ clouds }: HandlerDeps): ServiceHandlers[] {
  return [
    handlersOf(FlavorService, {
      async listFlavors(request, context) {
        seen.requestIds.push(context.values.get(requestIdKey) ?? "");
        const cloud = await clouds.resolve(request.location);
        const flavors = await cloud.listFlavors();
        return { flavors: flavors.map((flavor) => ({ id: flavor.id, name: flavor.name })) };
      },
      async getFlavor(request, context) {
        if (request.nameOrId === "") throw invalidArgument("name_or_id", "required");
        seen.slowTimeoutMs = context.timeoutMs();
        await untilAborted(context);
        seen.slowAbort = context.signal.reason;
        throw context.signal.reason;
      },
    }),
    handlersOf(ServerService, {
      async *watchServers(_request, context) {
        for (let n = 0; !context.signal.aborted; n++) {
          yield { resumeToken: `t${n}` };
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        seen.watchAbort = context.signal.reason;
      },
    }),
    handlersOf(SumService, {
      async sum(requests: AsyncIterable<{ value: bigint }>) {
        let total = 0n;
        for await (const request of requests) total += request.value;
        return { value: total };
      },
    } as never),
    handlersOf(ImageService, {
      async *createImage(requests) {
        let bytes = 0;
        for await (const request of requests) {
          bytes += request.data.length;
          yield { progress: { bytesDone: BigInt(bytes) } };
        }
      },
    }),
  ];
}

function untilAborted(context: HandlerContext): Promise<void> {
  return new Promise((resolve) => context.signal.addEventListener("abort", () => resolve(), { once: true }));
}

let s: SimServer;
let server: grpc.Server;
let address: string;
const clients: grpc.Client[] = [];

beforeAll(async () => {
  let handlers: ServiceHandlers[] = [];
  s = await startSimServer("modern", {
    handlers: (deps) => {
      handlers = testHandlers(deps);
      return handlers;
    },
  });
  server = new grpc.Server();
  for (const service of handlers) {
    const { definition, implementation } = toGrpcService(service);
    server.addService(definition, implementation);
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  address = `127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const client of clients) client.close();
  server?.forceShutdown();
  await s?.close();
});

/** A grpc-js generic client of one service, with the adapter's own method definitions. */
// biome-ignore lint/suspicious/noExplicitAny: generic clients are untyped
function clientOf(handlers: ServiceHandlers): any {
  const Client = grpc.makeGenericClientConstructor(toGrpcService(handlers).definition, handlers.service.name);
  const client = new Client(address, grpc.credentials.createInsecure());
  clients.push(client);
  return client;
}

const flavorClient = () => clientOf({ service: FlavorService, impl: {} });

function unary<T>(client: grpc.Client, method: string, request: unknown, options: grpc.CallOptions = {}) {
  return new Promise<T>((resolve, reject) => {
    const metadata = new grpc.Metadata();
    (client as unknown as Record<string, (...args: unknown[]) => void>)[method]?.call(
      client,
      request,
      metadata,
      options,
      (error: grpc.ServiceError | null, response: T) => (error ? reject(error) : resolve(response)),
    );
  });
}

describe("grpc-js adapter", () => {
  it("serves a unary call over HTTP/2 with protobuf-es messages, answered by the simulator", async () => {
    const response = await unary<{ flavors: { name: string }[] }>(flavorClient(), "ListFlavors", {
      location: { cloud: "sim" },
    });
    expect(response.flavors.map((flavor) => flavor.name)).toContain("m1.tiny");
    expect(seen.requestIds.at(-1)).toMatch(/^req-[0-9a-f-]{36}$/);
  });

  it("takes a caller's valid x-request-id and ignores an invalid one", async () => {
    const client = flavorClient();
    const mine = "req-12345678-1234-4234-8234-123456789abc";
    for (const offered of [mine, "not an id"]) {
      const metadata = new grpc.Metadata();
      metadata.set("x-request-id", offered);
      await new Promise((resolve, reject) =>
        client.ListFlavors({ location: {} }, metadata, (error: unknown, r: unknown) =>
          error ? reject(error) : resolve(r),
        ),
      );
    }
    expect(seen.requestIds.at(-2)).toBe(mine);
    expect(seen.requestIds.at(-1)).toMatch(/^req-[0-9a-f-]{36}$/);
    expect(seen.requestIds.at(-1)).not.toBe(mine);
  });

  it("streams server messages, and a client's cancel aborts the handler's signal", async () => {
    const call = clientOf({ service: ServerService, impl: {} }).WatchServers({});
    const tokens: string[] = [];
    const ended = new Promise<grpc.ServiceError>((resolve) => call.on("error", resolve));
    await new Promise<void>((resolve) => {
      call.on("data", (message: { resumeToken: string }) => {
        tokens.push(message.resumeToken);
        if (tokens.length === 3) {
          call.cancel();
          resolve();
        }
      });
    });
    expect(tokens).toEqual(["t0", "t1", "t2"]);
    expect((await ended).code).toBe(grpc.status.CANCELLED);
    await expect.poll(() => seen.watchAbort, { timeout: 2000 }).toMatchObject({ code: Code.Canceled });
  });

  it("gives the handler the deadline as timeoutMs and aborts it at the deadline: DEADLINE_EXCEEDED", async () => {
    const started = Date.now();
    const error = await unary(
      flavorClient(),
      "GetFlavor",
      { nameOrId: "slow" },
      { deadline: Date.now() + 300 },
    ).catch((e: grpc.ServiceError) => e);
    expect((error as grpc.ServiceError).code).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(seen.slowTimeoutMs).toBeGreaterThan(100);
    expect(seen.slowTimeoutMs).toBeLessThanOrEqual(300);
    await expect.poll(() => seen.slowAbort, { timeout: 2000 }).toMatchObject({ code: Code.DeadlineExceeded });
  });

  it("sends errors with google.rpc.Status details in grpc-status-details-bin", async () => {
    const error = (await unary(flavorClient(), "GetFlavor", { nameOrId: "" }).catch(
      (e) => e,
    )) as grpc.ServiceError;
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toBe("name_or_id: required");
    const bytes = error.metadata.get(STATUS_DETAILS_KEY)[0] as Buffer;
    const status = fromBinary(StatusSchema, bytes);
    expect(status.code).toBe(grpc.status.INVALID_ARGUMENT);
    const badRequest = status.details.map((any) => anyUnpack(any, BadRequestSchema)).find(Boolean);
    expect(badRequest?.fieldViolations).toEqual([
      expect.objectContaining({ field: "name_or_id", description: "required" }),
    ]);
    const info = status.details.map((any) => anyUnpack(any, ErrorInfoSchema)).find(Boolean);
    expect(info?.reason).toBe("INVALID_ARGUMENT");
  });

  it("runs a bidirectional stream (CreateImage's shape): a response per request", async () => {
    const call = clientOf({ service: ImageService, impl: {} }).CreateImage();
    const done: bigint[] = [];
    call.on("data", (message: { progress?: { bytesDone: bigint } }) =>
      done.push(message.progress?.bytesDone ?? -1n),
    );
    const ended = new Promise((resolve) => call.on("status", resolve));
    call.write({ spec: { name: "x" } });
    call.write({ data: new Uint8Array(10) });
    call.write({ data: new Uint8Array(5) });
    call.end();
    expect(await ended).toMatchObject({ code: grpc.status.OK });
    expect(done).toEqual([0n, 10n, 15n]);
  });

  it("runs a client stream: the handler reads every request, then answers once", async () => {
    const client = clientOf({ service: SumService, impl: {} });
    const answer = new Promise<{ value: bigint }>((resolve, reject) => {
      const call = client.Sum((error: unknown, response: { value: bigint }) =>
        error ? reject(error) : resolve(response),
      );
      for (const value of [1n, 2n, 39n]) call.write({ value });
      call.end();
    });
    expect((await answer).value).toBe(42n);
  });

  it("answers UNIMPLEMENTED for a method without a handler", async () => {
    const error = (await unary(clientOf({ service: ServerService, impl: {} }), "GetServer", {}).catch(
      (e) => e,
    )) as grpc.ServiceError;
    expect(error.code).toBe(grpc.status.UNIMPLEMENTED);
  });
});
