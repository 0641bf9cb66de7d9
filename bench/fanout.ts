/**
 * Fan-out benchmark: oaktree's CPU per watch message delivered over the gRPC listener, when N
 * `WatchServers` streams follow one hub and M events go through it.
 *
 * The server side is oaktree's own code from the hub on: `watchHandler` (handlers/watch.ts), the
 * WatchHub, the grpc-js adapter (grpc/adapter.ts) and `listenGrpc` with the default limits. What
 * feeds the hub is synthetic: a stand-in for core's SharedWatch that emits ADDED events of
 * ready-made proto Servers (the size of a simulator server), in batches of BATCH every
 * BATCH_EVERY_MS, as a poll would. No cloud, no simulator: the figure is the fan-out alone.
 *
 * The clients run in a child process (this file with `client`), grpc-js streams over CHANNELS
 * HTTP/2 connections, counting raw messages (no decoding), so that their CPU is not oaktree's.
 * The figure: this process's CPU from the first event to the moment the child has every stream's
 * last event, divided by the N x M messages delivered.
 *
 *   npx tsx --conditions=oaktree-source bench/fanout.ts            # 100 x 2000 and 1000 x 500
 *   FANOUT_SIZES=1000x200 npx tsx --conditions=oaktree-source bench/fanout.ts
 *
 * Prints one JSON line per size and a markdown table; writes nothing. Loopback only; every size
 * is bounded by RUN_TIMEOUT_MS.
 */
import { type ChildProcess, fork } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import type { SharedWatch, WatchEvent } from "@oaktree/core";
import {
  type Server,
  ServerSchema,
  ServerService,
  WatchServersRequestSchema,
} from "@oaktree/server/gen/oaktree/v1/server_pb.js";
import { HealthImplementation, listenGrpc } from "../packages/server/src/grpc/listener.js";
import { type HandlerDeps, handlersOf } from "../packages/server/src/handlers/index.js";
import { type WatchKind, watchHandler, watchKinds } from "../packages/server/src/handlers/watch.js";
import { WatchHubs } from "../packages/server/src/handlers/watch-hub.js";

const SIZES = (process.env.FANOUT_SIZES ?? "100x2000,1000x500").split(",").map((size) => {
  const [streams, events] = size.split("x").map(Number);
  if (!streams || !events) throw new Error(`FANOUT_SIZES: "${size}" is not STREAMSxEVENTS`);
  return { streams, events };
});
const BATCH = Number(process.env.FANOUT_BATCH ?? 50);
const BATCH_EVERY_MS = Number(process.env.FANOUT_BATCH_EVERY_MS ?? 25);
const CHANNELS = Number(process.env.FANOUT_CHANNELS ?? 4);
const RUN_TIMEOUT_MS = 600_000;
const SCOPE = "bench/RegionOne/demo";

/** A proto Server about the size of the simulator's (two addresses, a flavor, metadata, dates). */
function serverOf(n: number): Server {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  return create(ServerSchema, {
    location: { cloud: "bench", region: "RegionOne", project: { id: "demo-project-id", name: "demo" } },
    id,
    name: `fanout-${n}`,
    status: "ACTIVE",
    interfaceIp: "10.0.0.12",
    privateV4: "10.0.0.12",
    publicV4: "172.24.4.30",
    addresses: [
      { network: "private", address: "10.0.0.12", version: 4, type: "fixed", mac: "fa:16:3e:00:00:01" },
      { network: "private", address: "172.24.4.30", version: 4, type: "floating", mac: "fa:16:3e:00:00:01" },
    ],
    flavor: { id: "1", name: "m1.tiny", vcpus: 1, ram: 512, disk: 1 },
    imageId: "11111111-2222-4333-8444-555555555555",
    metadata: { owner: "bench", purpose: "fan-out" },
    securityGroups: ["default"],
    keyName: "bench-key",
    hostId: "a1b2c3d4e5f6",
    userId: "bench-user-id",
    createdAt: timestampFromMs(1_764_000_000_000 + n),
    updatedAt: timestampFromMs(1_764_000_001_000 + n),
    launchedAt: timestampFromMs(1_764_000_001_000 + n),
  });
}

/** What the hub reads of core's SharedWatch, fed by the benchmark instead of a cloud. */
function syntheticWatch() {
  const listeners = new Set<(events: readonly WatchEvent<Server>[]) => void>();
  const watch = {
    subscribe(listener: (events: readonly WatchEvent<Server>[]) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    items: () => [],
    // The hub's first sync: there is no listing to wait for.
    waitFor: async () => ({ state: "success" as const }),
  };
  return {
    watch: watch as unknown as SharedWatch<Server>,
    emit(events: readonly WatchEvent<Server>[]) {
      for (const listener of listeners) listener(events);
    },
  };
}

/** The server side: oaktree's WatchServers handler on a synthetic source, over listenGrpc. */
async function startServer() {
  const source = syntheticWatch();
  const kind: WatchKind<Server, typeof ServerSchema, ReturnType<typeof watchKinds.servers.respond>> = {
    ...watchKinds.servers,
    watch: async () => source.watch,
    idOf: (server) => server.id,
    toProto: (server) => server,
  };
  const deps = { clouds: { resolve: async () => ({ scope: async () => SCOPE }) } } as unknown as HandlerDeps;
  const hubs = new WatchHubs();
  const listener = await listenGrpc({
    address: "127.0.0.1:0",
    credentials: grpc.ServerCredentials.createInsecure(),
    services: [handlersOf(ServerService, { watchServers: watchHandler(deps, kind, hubs) })],
    health: new HealthImplementation({}),
  });
  return { listener, source, hubs };
}

/** Messages the child tells the parent. */
type ClientReport =
  | { readonly kind: "ready" }
  | { readonly kind: "done"; readonly cpuMs: number; readonly messages: number }
  | { readonly kind: "failed"; readonly error: string };

async function runSize(streams: number, events: number) {
  const { listener, source, hubs } = await startServer();
  const child = fork(
    fileURLToPath(import.meta.url),
    ["client", listener.address, String(streams), String(events)],
    {
      execArgv: ["--import", "tsx", "--conditions=oaktree-source"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  try {
    await reportOf(child, "ready");
    const servers = Array.from({ length: events }, (_, n) => serverOf(n));
    const done = reportOf(child, "done");
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    for (let at = 0; at < events; at += BATCH) {
      source.emit(servers.slice(at, at + BATCH).map((object) => ({ type: "ADDED", id: object.id, object })));
      await new Promise((resolve) => setTimeout(resolve, BATCH_EVERY_MS));
    }
    const report = (await done) as Extract<ClientReport, { kind: "done" }>;
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const delivered = streams * events;
    return {
      streams,
      events,
      delivered,
      received: report.messages,
      wallS: round(wallMs / 1000),
      oaktreeCpuS: round(cpuMs / 1000),
      oaktreeUsPerMessage: round((cpuMs * 1000) / delivered),
      clientCpuS: round(report.cpuMs / 1000),
    };
  } finally {
    child.kill();
    hubs.close();
    await listener.close(1000);
  }
}

/** The child's next report of `kind` (a failure or an exit rejects). */
function reportOf(child: ChildProcess, kind: ClientReport["kind"]): Promise<ClientReport> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "${kind}" from the clients in ${RUN_TIMEOUT_MS} ms`)),
      RUN_TIMEOUT_MS,
    );
    const onMessage = (report: ClientReport) => {
      if (report.kind === "failed") reject(new Error(`clients failed: ${report.error}`));
      else if (report.kind !== kind) return;
      else resolve(report);
      stop();
    };
    const onExit = (code: number | null) => {
      reject(new Error(`the clients exited (${code}) before "${kind}"`));
      stop();
    };
    const stop = () => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/** The child: `streams` WatchServers streams, each done after its BOOKMARK and `events` events. */
async function runClients(address: string, streams: number, events: number): Promise<void> {
  const report = (message: ClientReport) => process.send?.(message);
  const method = ServerService.method.watchServers;
  const definition = {
    WatchServers: {
      path: `/${ServerService.typeName}/${method.name}`,
      requestStream: false,
      responseStream: true,
      requestSerialize: (request: object) =>
        Buffer.from(toBinary(WatchServersRequestSchema, create(WatchServersRequestSchema, request))),
      requestDeserialize: (bytes: Buffer) => bytes,
      // Counted, not decoded: the clients' CPU is not what is measured.
      responseSerialize: (bytes: Buffer) => bytes,
      responseDeserialize: (bytes: Buffer) => bytes,
    },
  };
  const Client = grpc.makeGenericClientConstructor(definition, "ServerService");
  // A local subchannel pool per client: CHANNELS separate HTTP/2 connections.
  const clients = Array.from(
    { length: CHANNELS },
    () => new Client(address, grpc.credentials.createInsecure(), { "grpc.use_local_subchannel_pool": 1 }),
  );
  const cpuBefore = process.cpuUsage();
  let ready = 0;
  let finished = 0;
  let messages = 0;
  for (let i = 0; i < streams; i++) {
    // biome-ignore lint/suspicious/noExplicitAny: generic clients are untyped
    const call = (clients[i % CHANNELS] as any).WatchServers({}) as grpc.ClientReadableStream<Buffer>;
    let received = 0;
    call.on("data", () => {
      received += 1;
      messages += 1;
      // The first message is the BOOKMARK after the (empty) initial list.
      if (received === 1 && ++ready === streams) report({ kind: "ready" });
      if (received === events + 1 && ++finished === streams) {
        const cpu = process.cpuUsage(cpuBefore);
        report({ kind: "done", cpuMs: (cpu.user + cpu.system) / 1000, messages: messages - streams });
      }
    });
    call.on("error", (error: grpc.ServiceError) => {
      if (error.code !== grpc.status.CANCELLED) report({ kind: "failed", error: error.message });
    });
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

async function main(): Promise<void> {
  const [role, address, streams, events] = process.argv.slice(2);
  if (role === "client") {
    await runClients(address ?? "", Number(streams), Number(events));
    return;
  }
  const loadBefore = loadavg().map(round);
  const results = [];
  for (const { streams, events } of SIZES) {
    const result = await runSize(streams, events);
    console.log(JSON.stringify(result));
    results.push(result);
  }
  const loadAfter = loadavg().map(round);
  console.log(
    `\n${cpus().length} x ${cpus()[0]?.model}; load average ${loadBefore.join(" / ")} before, ${loadAfter.join(" / ")} after\n`,
  );
  console.log("| streams x events | messages | wall | oaktree CPU | oaktree us/message | clients CPU |");
  console.log("|---|---|---|---|---|---|");
  for (const r of results) {
    console.log(
      `| ${r.streams} x ${r.events} | ${r.delivered.toLocaleString("en")} | ${r.wallS} s | ${r.oaktreeCpuS} s | ${r.oaktreeUsPerMessage} | ${r.clientCpuS} s |`,
    );
  }
  process.exit(0);
}

await main();
