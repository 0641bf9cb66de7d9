import { Writable } from "node:stream";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import * as grpc from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { createTransport, type Handler } from "@oaktree/core";
import { service as healthService } from "grpc-health-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlavorService } from "./gen/oaktree/v1/flavor_pb.js";
import { ServerService } from "./gen/oaktree/v1/server_pb.js";
import { type HandlerDeps, handlersOf, type ServiceHandlers } from "./handlers/index.js";
import { createLogger } from "./logging.js";
import { isServerShutdown } from "./shutdown.js";
import { grpcClient, unaryCall } from "./testing/grpc-client.js";
import { type SimServe, startSimServe } from "./testing/sim-serve.js";

/** Handlers standing in for the resource handlers: one real cloud call, a stream, slow calls. */
function testHandlers({ clouds }: HandlerDeps): ServiceHandlers[] {
  return [
    handlersOf(FlavorService, {
      async listFlavors(request) {
        const cloud = await clouds.resolve(request.location);
        return {
          flavors: (await cloud.listFlavors()).map((flavor) => ({ id: flavor.id, name: flavor.name })),
        };
      },
      async getFlavor(request, context) {
        if (request.nameOrId === "slow") {
          // Ignores its signal: a unary call the shutdown grace lets finish.
          await new Promise((resolve) => setTimeout(resolve, 300));
          return { flavor: { name: "finished" } };
        }
        await new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
        throw context.signal.reason;
      },
    }),
    handlersOf(ServerService, {
      // As the watch handlers do: on shutdown, UNAVAILABLE naming the last resume token.
      async *watchServers(_request, context: HandlerContext) {
        let n = 0;
        while (!context.signal.aborted) {
          yield { resumeToken: `t${n++}` };
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        if (isServerShutdown(context.signal)) {
          throw new ConnectError(`server shutting down; resume from t${n - 1}`, Code.Unavailable);
        }
      },
    }),
  ];
}

// biome-ignore lint/suspicious/noExplicitAny: grpc-js generic clients and proto-loader messages are untyped
type Untyped = any;

const logLines: Record<string, unknown>[] = [];
const logStream = new Writable({
  write(chunk, _encoding, callback) {
    for (const line of String(chunk).split("\n").filter(Boolean)) logLines.push(JSON.parse(line));
    callback();
  },
});

/** Every cloud request's X-OpenStack-Request-ID, with its path. */
const cloudRequests: { path: string; requestId: string | null }[] = [];
const transport = createTransport();
const recording: Handler = (request) => {
  cloudRequests.push({
    path: new URL(request.url).pathname,
    requestId: request.headers.get("x-openstack-request-id"),
  });
  return transport.handle(request);
};

let s: SimServe;
const clients: grpc.Client[] = [];
const client = (service: Parameters<typeof grpcClient>[1]) => {
  const made = grpcClient(s.server.grpcAddress, service);
  clients.push(made);
  return made;
};

beforeAll(async () => {
  s = await startSimServe({
    handlers: testHandlers,
    logger: createLogger("debug", logStream),
    connect: { transport: recording },
    file: {
      shutdown: { grace_ms: 1000 },
      cache: { expiration: { flavor: 600 } },
      rate_limits: { compute: { max_concurrency: 8 } },
      watch: { reconcile_every_ms: 30_000 },
    },
  });
});

afterAll(async () => {
  for (const made of clients) made.close();
  await s?.close();
  await transport.close();
});

const mine = "req-0b7c1e52-7a8e-4d0c-9d7e-2f1f3c4b5a69";

describe("serve: the gRPC listener", () => {
  it("answers from the cloud, returns the request id and sends it to the cloud as X-OpenStack-Request-ID", async () => {
    const outcome = await unaryCall<{ flavors: { name: string }[] }>(
      client(FlavorService),
      "ListFlavors",
      { location: { cloud: "sim" } },
      { metadata: { "x-request-id": mine } },
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.response?.flavors.map((flavor) => flavor.name)).toContain("m1.tiny");
    expect(outcome.header?.get("x-request-id")).toEqual([mine]);
    const flavorCalls = cloudRequests.filter((request) => request.path.endsWith("/flavors/detail"));
    expect(flavorCalls.length).toBeGreaterThan(0);
    expect(flavorCalls.every((request) => request.requestId === mine)).toBe(true);
  });

  it("gives every cloud the server config's cache TTLs, rate limits and watch settings", async () => {
    const cloud = await s.server.clouds.resolve(undefined);
    expect(cloud.connection.config.cache.expiration.flavor).toBe(600);
    expect(cloud.connection.config.rateLimits.compute).toEqual({ maxConcurrency: 8 });
    expect(cloud.context.options.reconcileEveryMs).toBe(30_000);
  });

  it("logs one JSON line per call with its request id, rpc and code", () => {
    const line = logLines.find((entry) => entry.requestId === mine && entry.msg === "call done");
    expect(line).toMatchObject({
      rpc: "oaktree.v1.FlavorService/ListFlavors",
      code: "OK",
      listener: "grpc",
      level: 30,
    });
  });

  it("core's log line of each cloud request made for the call carries its id (clientRequestId)", () => {
    const cloudLines = logLines.filter((entry) => entry.cloud === "sim" && entry.url !== undefined);
    const ofCall = cloudLines.filter((entry) => String(entry.url).endsWith("/flavors/detail"));
    expect(ofCall.length).toBeGreaterThan(0);
    // core's `requestId` is the cloud's own id for the request; ours is the one it was sent.
    expect(ofCall.every((entry) => entry.clientRequestId === mine)).toBe(true);
  });

  it("reports SERVING through grpc.health.v1", async () => {
    const Health = grpc.makeGenericClientConstructor(healthService, "Health");
    const health = new Health(s.server.grpcAddress, grpc.credentials.createInsecure());
    clients.push(health);
    for (const service of ["", "oaktree.v1.FlavorService"]) {
      expect(await unaryCall(health, "check", { service })).toMatchObject({
        response: { status: "SERVING" },
      });
    }
  });

  it("lists its services and serves their descriptors through server reflection (what grpcurl uses)", async () => {
    const definition = loadSync(
      new URL(
        "../../../node_modules/@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto",
        import.meta.url,
      ).pathname,
      { keepCase: true },
    );
    const Reflection = grpc.makeGenericClientConstructor(
      definition["grpc.reflection.v1.ServerReflection"] as grpc.ServiceDefinition,
      "ServerReflection",
    );
    const reflection = new Reflection(s.server.grpcAddress, grpc.credentials.createInsecure());
    clients.push(reflection);
    const ask = (request: Record<string, unknown>) =>
      new Promise<Record<string, Untyped>>((resolve, reject) => {
        const call = (reflection as Untyped).ServerReflectionInfo();
        call.on("data", (response: Record<string, Untyped>) => {
          resolve(response);
          call.end();
        });
        call.on("error", reject);
        call.write(request);
      });
    const listed = await ask({ list_services: "" });
    const names = listed.list_services_response.service.map((service: { name: string }) => service.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "oaktree.v1.FlavorService",
        "oaktree.v1.ServerService",
        "grpc.health.v1.Health",
      ]),
    );
    const file = await ask({ file_containing_symbol: "oaktree.v1.FlavorService" });
    const descriptors = file.file_descriptor_response.file_descriptor_proto.map((bytes: Buffer) =>
      fromBinary(FileDescriptorProtoSchema, bytes),
    );
    expect(descriptors.map((d: { name: string }) => d.name)).toEqual(
      expect.arrayContaining(["oaktree/v1/flavor.proto", "oaktree/v1/location.proto"]),
    );
  });
});

describe("serve: the HTTP listener", () => {
  it("answers Connect JSON as the README's curl line sends it", async () => {
    const response = await fetch(`${s.server.httpUrl}/oaktree.v1.FlavorService/ListFlavors`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ location: { cloud: "sim" } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toMatch(/^req-[0-9a-f-]{36}$/);
    const body = (await response.json()) as { flavors: { name: string }[] };
    expect(body.flavors.map((flavor) => flavor.name)).toContain("m1.tiny");
  });

  it("answers an invalid Location with a Connect error naming the field", async () => {
    const response = await fetch(`${s.server.httpUrl}/oaktree.v1.FlavorService/ListFlavors`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ location: { cloud: "nowhere" } }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: "invalid_argument",
      message: expect.stringMatching(/^location\.cloud: unknown cloud "nowhere"/),
    });
  });

  it("serves /healthz and /metrics: RPCs per listener, cloud requests, latency", async () => {
    expect((await fetch(`${s.server.httpUrl}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${s.server.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(
      /^oaktree_rpc_requests_total\{listener="grpc",service="oaktree.v1.FlavorService",method="ListFlavors",code="OK"\} [1-9]/m,
    );
    expect(metrics).toMatch(
      /^oaktree_rpc_requests_total\{listener="http",service="oaktree.v1.FlavorService",method="ListFlavors",code="OK"\} [1-9]/m,
    );
    expect(metrics).toMatch(
      /^oaktree_cloud_requests_total\{cloud="sim",service="compute",method="GET",status="200"\} [1-9]/m,
    );
    expect(metrics).toMatch(
      /^oaktree_rpc_duration_seconds_count\{service="oaktree.v1.FlavorService",method="ListFlavors",code="OK"\} [1-9]/m,
    );
    expect(metrics).toMatch(/^# TYPE oaktree_rpc_active_streams gauge$/m);
    expect(metrics).toMatch(/^oaktree_shared_watches \d+$/m);
  });

  it("serves cache hits, misses and loads: a second ListFlavors is a hit", async () => {
    const listFlavors = () =>
      fetch(`${s.server.httpUrl}/oaktree.v1.FlavorService/ListFlavors`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ location: { cloud: "sim" } }),
      });
    const hitsNow = async () => {
      const metrics = await (await fetch(`${s.server.httpUrl}/metrics`)).text();
      const hits = /^oaktree_cache_requests_total\{cloud="sim",kind="flavor",result="hit"\} (\d+)$/m.exec(
        metrics,
      );
      return { metrics, hits: Number(hits?.[1] ?? 0) };
    };
    expect((await listFlavors()).status).toBe(200);
    const before = await hitsNow();
    expect(before.metrics).toMatch(
      /^oaktree_cache_requests_total\{cloud="sim",kind="flavor",result="load"\} [1-9]/m,
    );
    expect(before.metrics).toMatch(
      /^oaktree_cache_requests_total\{cloud="sim",kind="flavor",result="miss"\} [1-9]/m,
    );
    expect((await listFlavors()).status).toBe(200);
    expect((await hitsNow()).hits).toBe(before.hits + 1);
  });
});

describe("serve: graceful shutdown", () => {
  it("ends streams with UNAVAILABLE, lets a unary call finish, aborts one past the grace, refuses new calls", async () => {
    const watch = (client(ServerService) as Untyped).WatchServers({});
    const tokens: string[] = [];
    const streamEnded = new Promise<grpc.ServiceError>((resolve) => watch.on("error", resolve));
    await new Promise<void>((resolve) =>
      watch.on("data", (message: { resumeToken: string }) => {
        tokens.push(message.resumeToken);
        if (tokens.length === 2) resolve();
      }),
    );
    const flavors = client(FlavorService);
    const slow = unaryCall(flavors, "GetFlavor", { nameOrId: "slow" });
    const stubborn = unaryCall(flavors, "GetFlavor", { nameOrId: "stubborn" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const stopped = s.server.stop();

    const ended = await streamEnded;
    expect(ended.code).toBe(grpc.status.UNAVAILABLE);
    expect(ended.details).toMatch(/^server shutting down; resume from t\d+$/);
    expect(Date.now() - started).toBeLessThan(500);
    expect(await slow).toMatchObject({ response: { flavor: { name: "finished" } } });
    const aborted = await stubborn;
    expect(aborted.error?.code).toBe(grpc.status.UNAVAILABLE);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await stopped;
    const refused = await unaryCall(
      grpcClient(s.server.grpcAddress, FlavorService),
      "ListFlavors",
      {},
      { deadlineMs: 2000 },
    );
    expect(refused.error?.code).toBe(grpc.status.UNAVAILABLE);
  }, 15_000);
});
