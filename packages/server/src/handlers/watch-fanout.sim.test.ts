import { create, type DescMessage, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import { EventType } from "../gen/oaktree/v1/common_pb.js";
import {
  ServerService,
  type WatchServersRequestSchema,
  type WatchServersResponse,
  WatchServersResponseSchema,
} from "../gen/oaktree/v1/server_pb.js";
import { toGrpcService } from "../grpc/adapter.js";
import { type SimServer, startSimServer } from "../testing/sim-server.js";
import type { ServiceHandlers } from "./index.js";
import { serverHandlers } from "./server.js";

const STREAMS = 6;

let s: SimServer | undefined;
let grpcServer: grpc.Server | undefined;
const clients: grpc.Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  grpcServer?.forceShutdown();
  grpcServer = undefined;
  await s?.close();
  s = undefined;
});

/**
 * The simulator's ServerService over a grpc-js listener whose encoder records every
 * WatchServersResponse it encodes (the messages, in order).
 */
async function start() {
  let services: ServiceHandlers[] = [];
  s = await startSimServer("modern", {
    simulator: { buildDelayMs: 200, deleteDelayMs: 100 },
    handlers: (deps) => {
      services = [serverHandlers(deps)];
      return services;
    },
  });
  const encoded: WatchServersResponse[] = [];
  const encode = (schema: DescMessage, message: unknown) => {
    if (schema.typeName === WatchServersResponseSchema.typeName)
      encoded.push(message as WatchServersResponse);
    return toBinary(schema, create(schema, message as never));
  };
  grpcServer = new grpc.Server();
  for (const handlers of services) {
    const { definition, implementation } = toGrpcService(handlers, { encode });
    grpcServer.addService(definition, implementation);
  }
  const server = grpcServer;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return { sim: s, address: `127.0.0.1:${port}`, encoded };
}

/** A grpc-js WatchServers stream, its messages collected as they come. */
function watch(address: string, request: MessageInitShape<typeof WatchServersRequestSchema> = {}) {
  const Client = grpc.makeGenericClientConstructor(
    toGrpcService({ service: ServerService, impl: {} }).definition,
    "ServerService",
  );
  const client = new Client(address, grpc.credentials.createInsecure());
  clients.push(client);
  // biome-ignore lint/suspicious/noExplicitAny: generic clients are untyped
  const call = (client as any).WatchServers(request) as grpc.ClientReadableStream<WatchServersResponse>;
  const received: WatchServersResponse[] = [];
  call.on("data", (message: WatchServersResponse) => received.push(message));
  call.on("error", () => {});
  return {
    received,
    /** Waits (bounded) until a received message passes `until`. */
    until: (until: (message: WatchServersResponse) => boolean) =>
      expect.poll(() => received.some(until), { timeout: 10_000, interval: 20 }).toBe(true),
  };
}

async function boot(server: SimServer, name: string) {
  const request = { name, image: "cirros-0.6.2-x86_64-disk", flavor: "m1.tiny", autoIp: false, wait: true };
  for await (const _ of server.client(ServerService).createServer(request));
}

const isBookmark = (message: WatchServersResponse) => message.type === EventType.BOOKMARK;
/** One event as a stream shows it: its token names the event, its type this stream's view. */
const viewOf = (message: WatchServersResponse) =>
  `${message.resumeToken} ${EventType[message.type]} ${message.server?.name}/${message.server?.status}${message.initial ? " initial" : ""}`;

describe("WatchServers fan-out over gRPC", () => {
  it("encodes each event once per view for all the streams, unfiltered and filtered, which still get their own views", async () => {
    const { sim, address, encoded } = await start();
    await boot(sim, "before");
    const all = Array.from({ length: STREAMS }, () => watch(address));
    // These see the server only once it is ACTIVE: its MODIFIED to ACTIVE is their ADDED.
    const active = Array.from({ length: STREAMS }, () =>
      watch(address, { filter: { fields: { status: "ACTIVE" } } }),
    );
    await Promise.all([...all, ...active].map((stream) => stream.until(isBookmark)));
    await boot(sim, "live");
    const isLiveActive = (message: WatchServersResponse) =>
      message.server?.name === "live" && message.server.status === "ACTIVE";
    await Promise.all([...all, ...active].map((stream) => stream.until(isLiveActive)));

    // Every stream got its own correct view: the unfiltered ones the events as they are,
    // the filtered ones the server first as ADDED once ACTIVE, at the same event (token).
    const unfiltered = all[0]?.received.filter((message) => !isBookmark(message)) ?? [];
    expect(unfiltered[0]).toMatchObject({ type: EventType.ADDED, initial: true, server: { name: "before" } });
    const liveEvents = unfiltered.filter((message) => message.server?.name === "live");
    expect(liveEvents[0]).toMatchObject({
      type: EventType.ADDED,
      initial: false,
      server: { status: "BUILD" },
    });
    const modifiedToActive = liveEvents.find(isLiveActive);
    expect(modifiedToActive?.type).toBe(EventType.MODIFIED);
    const filtered = active[0]?.received.filter((message) => !isBookmark(message)) ?? [];
    expect(filtered.filter((message) => message.server?.name === "live")).toEqual([
      expect.objectContaining({
        type: EventType.ADDED,
        initial: false,
        resumeToken: modifiedToActive?.resumeToken,
      }),
    ]);
    for (const stream of all) expect(stream.received.map(viewOf)).toEqual(all[0]?.received.map(viewOf));
    for (const stream of active) expect(stream.received.map(viewOf)).toEqual(active[0]?.received.map(viewOf));

    // One encoding per view of an event, however many streams were sent it.
    const sentViews = [...all, ...active].flatMap((stream) => stream.received.filter((m) => !isBookmark(m)));
    const distinctViews = new Set(sentViews.map(viewOf));
    const encodedViews = encoded.filter((message) => !isBookmark(message)).map(viewOf);
    expect(sentViews.length).toBeGreaterThanOrEqual(STREAMS * 4);
    expect(encodedViews.sort()).toEqual([...distinctViews].sort());
  }, 30_000);
});
