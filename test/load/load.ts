import { type ChildProcess, spawn } from "node:child_process";
import { setMaxListeners } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { SimulatorOptions } from "@oaktree/sim";
import { EventType } from "../../packages/server/src/gen/oaktree/v1/common_pb.js";
import { FlavorService } from "../../packages/server/src/gen/oaktree/v1/flavor_pb.js";
import { ImageService } from "../../packages/server/src/gen/oaktree/v1/image_pb.js";
import { ServerService } from "../../packages/server/src/gen/oaktree/v1/server_pb.js";

/**
 * The load run (issue #12, "Load"): `watchers` WatchServers streams and `creators` clients
 * each creating, holding and deleting servers in a loop, for `durationMs`, against one
 * `oaktree serve` child process on the simulator. It measures what an SRE asks of it: every
 * stream's events arrive in order with no gap (the hub numbers events: the resume token's
 * sequence must go up by one, or stay on a bookmark), no stream ends early, every stream ends
 * at the same last event, the delay from a server's creation being accepted by the cloud to
 * its ADDED event at each watcher, and the child's RSS sampled every second.
 */

const bin = fileURLToPath(new URL("../../packages/cli/bin/oaktree.js", import.meta.url));

/** Options of {@link runLoad}. */
export interface LoadOptions {
  readonly watchers: number;
  readonly creators: number;
  readonly durationMs: number;
  /** The watch poll interval of oaktree (watch.poll_interval_ms). */
  readonly pollIntervalMs?: number;
  /** How long each server is kept before its creator deletes it (long enough to be seen). */
  readonly holdMs?: number;
  /** How long the streams may take, after the run, to receive the last event (default 120 s). */
  readonly catchUpMs?: number;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

/** What a run measured. */
export interface LoadFigures {
  readonly watchers: number;
  readonly creators: number;
  readonly durationMs: number;
  readonly serversCreated: number;
  readonly createFailures: number;
  /** Failure messages, first few. */
  readonly createErrors: readonly string[];
  /** Events received over all watch streams. */
  readonly eventsReceived: number;
  /** Hub events (the highest sequence number seen). */
  readonly hubEvents: number;
  /** Streams whose sequence skipped or went back. */
  readonly outOfOrderStreams: number;
  /** Streams that ended (error or end) before the run did. */
  readonly streamsLost: number;
  /** Streams that had not received the last event when the catch-up time ran out. */
  readonly streamsBehind: number;
  /** How long after the run (and 3 poll intervals) every stream had the last event. */
  readonly catchUpMs: number;
  /** ms from "the cloud accepted the create" to ADDED at a watcher: over all watcher x server pairs. */
  readonly eventDelayMs: {
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
    readonly samples: number;
  };
  readonly rssMb: { readonly start: number; readonly max: number; readonly end: number };
  /** CPU seconds spent by oaktree (the child) and by this process (the simulator and the clients). */
  readonly cpuSeconds: { readonly oaktree: number; readonly simulatorAndClients: number };
}

interface StreamState {
  lastSeq: number;
  events: number;
  outOfOrder: boolean;
  ended?: string;
  added: Map<string, number>;
}

/** Runs the load and returns its figures; everything it started is stopped before it resolves. */
export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  const log = options.log ?? (() => undefined);
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const holdMs = options.holdMs ?? pollIntervalMs * 3;
  const dir = mkdtempSync(join(tmpdir(), "oaktree-load-"));
  const controller = new AbortController();
  // Every watch stream listens on this one signal.
  setMaxListeners(0, controller.signal);
  let child: ChildProcess | undefined;
  let simChild: ChildProcess | undefined;
  try {
    const sim = await startSimChild({
      profile: "modern",
      buildDelayMs: 300,
      deleteDelayMs: 100,
      logCapacity: 1000,
    });
    simChild = sim.child;
    const cloudsYaml = sim.cloudsYaml;
    const config = join(dir, "server.yaml");
    writeFileSync(config, `watch: { poll_interval_ms: ${pollIntervalMs} }\nlog: { level: error }\n`);
    const port = await freePort();
    child = await startOaktree(port, cloudsYaml, config);
    const pid = child.pid as number;
    const rss: number[] = [rssMb(pid)];
    const cpuAtStart = { oaktree: cpuSecondsOf(pid), own: process.cpuUsage() };
    const sampler = setInterval(() => rss.push(rssMb(pid)), 1000);

    // A few HTTP/2 connections, as a fleet of clients would have.
    const transports = Array.from({ length: 4 }, () =>
      createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}`, pingIntervalMs: 30_000 }),
    );
    const servers = (i: number): Client<typeof ServerService> =>
      createClient(ServerService, transports[i % transports.length] as (typeof transports)[number]);
    const flavor = (await createClient(FlavorService, transports[0]!).listFlavors({})).flavors.sort(
      (a, b) => a.ram - b.ram,
    )[0]?.name;
    const image = (await createClient(ImageService, transports[0]!).listImages({})).images[0]?.name;
    if (!flavor || !image) throw new Error("the simulator has no flavor or image");

    // The watchers: open, and wait until each has its initial list and bookmark.
    const streams: StreamState[] = [];
    let ready = 0;
    const watching = Array.from({ length: options.watchers }, async (_, i) => {
      const state: StreamState = { lastSeq: -1, events: 0, outOfOrder: false, added: new Map() };
      streams.push(state);
      let counted = false;
      try {
        for await (const event of servers(i).watchServers({}, { signal: controller.signal })) {
          state.events += 1;
          if (event.type === EventType.BOOKMARK && !counted) {
            counted = true;
            ready += 1;
          }
          const seq = sequenceOf(event.resumeToken);
          if (seq !== undefined) {
            const step = seq - state.lastSeq;
            if (state.lastSeq >= 0 && !(step === 1 || (step === 0 && event.type === EventType.BOOKMARK))) {
              state.outOfOrder = true;
            }
            state.lastSeq = Math.max(state.lastSeq, seq);
          }
          if (event.type === EventType.ADDED && !event.initial && event.server) {
            state.added.set(event.server.id, performance.now());
          }
        }
        state.ended = "the stream ended";
      } catch (error) {
        if (!controller.signal.aborted) state.ended = String(error);
      }
    });
    await until(
      () => ready >= options.watchers,
      120_000,
      () => `${ready}/${options.watchers} watchers ready`,
    );
    log(
      `${options.watchers} watch streams open; ${options.creators} creators start for ${options.durationMs / 1000} s`,
    );

    // The creators.
    const accepted = new Map<string, number>();
    let created = 0;
    let failures = 0;
    const errors: string[] = [];
    const end = Date.now() + options.durationMs;
    const creating = Array.from({ length: options.creators }, async (_, i) => {
      for (let n = 0; Date.now() < end; n += 1) {
        try {
          let id = "";
          for await (const step of servers(i).createServer(
            { name: `load-${i}-${n}`, image, flavor, autoIp: false, wait: true },
            { timeoutMs: 120_000 },
          )) {
            if (!id && step.server?.id) {
              id = step.server.id;
              accepted.set(id, performance.now());
            }
          }
          created += 1;
          await sleep(holdMs);
          for await (const _ of servers(i).deleteServer({ nameOrId: id }, { timeoutMs: 120_000 })) {
            // until deleted
          }
        } catch (error) {
          failures += 1;
          if (errors.length < 5) errors.push(String(error));
          await sleep(500);
        }
      }
    });
    const progress = setInterval(
      () => log(`created ${created}, failed ${failures}, rss ${rss[rss.length - 1]} MB`),
      10_000,
    );
    await Promise.all(creating);
    clearInterval(progress);
    // Let the last deletions reach every watcher, then stop.
    const hubEvents = () => Math.max(...streams.map((s) => s.lastSeq));
    await sleep(pollIntervalMs * 3);
    const catchUpStarted = performance.now();
    await until(
      () => streams.every((s) => s.ended || s.lastSeq >= hubEvents()),
      options.catchUpMs ?? 120_000,
      () => "streams catching up",
    ).catch(() => undefined);
    const catchUpMs = Math.round(performance.now() - catchUpStarted);
    clearInterval(sampler);
    rss.push(rssMb(pid));
    const ownCpu = process.cpuUsage(cpuAtStart.own);
    const cpuSeconds = {
      oaktree: Math.round((cpuSecondsOf(pid) - cpuAtStart.oaktree) * 10) / 10,
      simulatorAndClients: Math.round((ownCpu.user + ownCpu.system) / 1e5) / 10,
    };
    const lastSeq = hubEvents();
    const lost = streams.filter((s) => s.ended).length;
    controller.abort();
    await Promise.allSettled(watching);

    const delays: number[] = [];
    for (const state of streams) {
      for (const [id, at] of state.added) {
        const start = accepted.get(id);
        if (start !== undefined) delays.push(at - start);
      }
    }
    delays.sort((a, b) => a - b);
    const pick = (q: number) =>
      Math.round(delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] ?? 0);
    return {
      watchers: options.watchers,
      creators: options.creators,
      durationMs: options.durationMs,
      serversCreated: created,
      createFailures: failures,
      createErrors: errors,
      eventsReceived: streams.reduce((sum, s) => sum + s.events, 0),
      hubEvents: lastSeq,
      outOfOrderStreams: streams.filter((s) => s.outOfOrder).length,
      streamsLost: lost,
      streamsBehind: streams.filter((s) => !s.ended && s.lastSeq < lastSeq).length,
      catchUpMs,
      eventDelayMs: { p50: pick(0.5), p99: pick(0.99), max: pick(1), samples: delays.length },
      rssMb: { start: rss[0] ?? 0, max: Math.max(...rss), end: rss[rss.length - 1] ?? 0 },
      cpuSeconds,
    };
  } finally {
    controller.abort();
    for (const running of [child, simChild]) {
      if (!running || running.exitCode !== null) continue;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill("SIGTERM");
      await Promise.race([exited, sleep(15_000)]);
      if (running.exitCode === null) running.kill("SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The hub's sequence number in a resume token (watch-token.ts: base64url of lines, the third). */
function sequenceOf(token: string): number | undefined {
  if (!token) return undefined;
  const seq = Buffer.from(token, "base64url").toString("utf8").split("\n")[2];
  return seq === undefined ? undefined : Number(seq);
}

/** User + system CPU seconds of a process (/proc/PID/stat, clock ticks of 1/100 s). */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Math.round(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

const simChildFile = fileURLToPath(new URL("./sim-child.ts", import.meta.url));

/** The simulator in a child process (sim-child.ts); resolves with its clouds.yaml. */
async function startSimChild(
  options: SimulatorOptions,
): Promise<{ child: ChildProcess; cloudsYaml: string }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=oaktree-source", simChildFile, JSON.stringify(options)],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  let output = "";
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the simulator did not start in 60 s: ${output}`)),
      60_000,
    );
    child.stdout?.on("data", (data: Buffer) => {
      output += String(data);
      const newline = output.indexOf("\n");
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(output.slice(0, newline));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the simulator exited (${code}): ${output}`));
    });
  });
  return { child, cloudsYaml: (JSON.parse(line) as { cloudsYaml: string }).cloudsYaml };
}

async function startOaktree(port: number, cloudsYaml: string, config: string): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, OS_CLIENT_CONFIG_FILE: cloudsYaml, OS_CLOUD: "sim" };
  const child = spawn(
    process.execPath,
    [bin, "serve", "--config", config, "--listen", `127.0.0.1:${port}`, "--http-listen", "off"],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stderr?.on("data", (data: Buffer) => {
    output = (output + String(data)).slice(-4000);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`oaktree serve did not start in 60 s: ${output}`)),
      60_000,
    );
    child.stdout?.on("data", (data: Buffer) => {
      output += String(data);
      if (output.includes("oaktree is serving gRPC")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`oaktree serve exited (${code}): ${output}`));
    });
  });
  return child;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function until(done: () => boolean, withinMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${withinMs} ms: ${what()}`);
    await sleep(100);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
