import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { FlavorService } from "../../packages/server/src/gen/oaktree/v1/flavor_pb.js";
import { ImageService } from "../../packages/server/src/gen/oaktree/v1/image_pb.js";
import { OaktreeServeChild } from "../lib/oaktree-serve-child.js";
import { endChild } from "../lib/processes.js";
import { type SimChild, startSimChild } from "../lib/sim-process.js";
import {
  type CreateTimes,
  type CreatorArgs,
  type CreatorProgress,
  type CreatorResult,
  isMessage,
  type WatcherArgs,
  type WatcherResult,
  type WatcherStatus,
} from "./messages.js";
import { cpuSecondsOf, forkClient, nextMessage, rssMb, sleep } from "./processes.js";

/**
 * The load run (issue #12, "Load"): `watchers` WatchServers streams and `creators` clients
 * each creating, holding and deleting servers in a loop, for `durationMs`, against one
 * `oaktree serve` child process on a simulator child process. The clients run in their own
 * processes (watcher-child.ts, creator-child.ts), so that a thousand protobuf-decoding streams
 * do not starve each other in one thread; they time events by the wall clock, which the
 * processes share. It measures what an SRE asks of it: every stream's events arrive in order
 * with no gap (the hub numbers events: the resume token's sequence must go up by one, or stay
 * on a bookmark), no stream ends early, every stream ends at the same last event, the delay
 * from the cloud accepting a create to its ADDED event at each watcher, oaktree's RSS sampled
 * every second, and the CPU seconds of every process (a starved client shows).
 */

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
  /** Processes the watch streams are spread over (default 4, at most one per stream). */
  readonly clientProcesses?: number;
  /** Processes the creators are spread over (default one per 100 creators). */
  readonly creatorProcesses?: number;
  /** HTTP/2 connections per watcher process (default 2). */
  readonly connectionsPerProcess?: number;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

/** Percentiles of a set of durations (ms). */
export interface Spread {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly samples: number;
}

/** What a run measured. */
export interface LoadFigures {
  readonly watchers: number;
  readonly creators: number;
  readonly durationMs: number;
  /** Client processes: watch streams spread over `watchers`, creators over `creators`. */
  readonly clientProcesses: { readonly watchers: number; readonly creators: number };
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
  /**
   * ms from "the cloud accepted the create" (POST /servers answered, as the creating client
   * heard it) to ADDED at a watcher: over all watcher x server pairs.
   */
  readonly eventDelayMs: Spread;
  /** The same delay in two parts: accepted -> oaktree's create saw the server in a poll... */
  readonly acceptedToSeenMs: Spread;
  /** ...and that moment -> ADDED at a watcher (the hub and the stream), over all pairs. */
  readonly seenToAddedMs: Spread;
  /**
   * oaktree's listings of the servers (GET /servers/detail in the simulator's request log)
   * while the creators ran: time from one to the next, and how long the simulator took.
   */
  readonly listings: { readonly everyMs: Spread; readonly tookMs: Spread };
  readonly rssMb: { readonly start: number; readonly max: number; readonly end: number };
  /** CPU seconds of each process over the run (client processes: over their lives). */
  readonly cpuSeconds: {
    readonly oaktree: number;
    readonly simulator: number;
    readonly watchers: readonly number[];
    readonly creators: readonly number[];
  };
}

/** Runs the load and returns its figures; everything it started is stopped before it resolves. */
export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  const log = options.log ?? (() => undefined);
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const holdMs = options.holdMs ?? pollIntervalMs * 3;
  const watcherProcesses = Math.max(1, Math.min(options.clientProcesses ?? 4, options.watchers));
  const creatorProcesses = Math.max(
    1,
    Math.min(options.creatorProcesses ?? Math.ceil(options.creators / 100), options.creators),
  );
  const dir = mkdtempSync(join(tmpdir(), "oaktree-load-"));
  const children: ChildProcess[] = [];
  let sim: SimChild | undefined;
  let oaktree: OaktreeServeChild | undefined;
  try {
    sim = await startSimChild({
      simulator: {
        profile: "modern",
        buildDelayMs: 300,
        deleteDelayMs: 100,
        // Enough to hold every request of a full run: the listings' cadence is read from it.
        logCapacity: 50_000,
      },
      liftQuotas: true,
    });
    const config = join(dir, "server.yaml");
    writeFileSync(config, `watch: { poll_interval_ms: ${pollIntervalMs} }\nlog: { level: error }\n`);
    oaktree = await OaktreeServeChild.create(sim.cloudsYaml, { config, http: false });
    await oaktree.start();
    const port = oaktree.grpcPort;
    const pid = oaktree.pid as number;
    const rss: number[] = [rssMb(pid)];
    const cpuAtStart = { oaktree: cpuSecondsOf(pid), simulator: cpuSecondsOf(sim.pid) };
    const sampler = setInterval(() => rss.push(rssMb(pid)), 1000);
    // Neither timer may keep the process alive when the run fails half-way.
    sampler.unref();

    const transport = createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` });
    const flavor = (await createClient(FlavorService, transport).listFlavors({})).flavors.sort(
      (a, b) => a.ram - b.ram,
    )[0]?.name;
    const image = (await createClient(ImageService, transport).listImages({})).images[0]?.name;
    if (!flavor || !image) throw new Error("the simulator has no flavor or image");

    // The watchers: open, and wait until each stream has its initial list and bookmark.
    const watchers = shares(options.watchers, watcherProcesses).map((streams) => {
      const args: WatcherArgs = { port, streams, connections: options.connectionsPerProcess ?? 2 };
      const child = forkClient("./watcher-child.ts", args);
      children.push(child);
      return child;
    });
    await Promise.all(
      watchers.map((child) =>
        nextMessage(child, (m) => (isMessage(m, "ready") ? true : undefined), 120_000, "streams ready"),
      ),
    );
    log(
      `${options.watchers} watch streams open in ${watcherProcesses} processes; ${options.creators} creators in ${creatorProcesses} start for ${options.durationMs / 1000} s`,
    );

    // The creators.
    const endAt = Date.now() + options.durationMs;
    const progress = new Map<ChildProcess, CreatorProgress>();
    const creating = shares(options.creators, creatorProcesses).map((creators, i) => {
      const args: CreatorArgs = {
        port,
        creators,
        prefix: String(i),
        endAt,
        holdMs,
        jitterMs: pollIntervalMs,
        image,
        flavor,
      };
      const child = forkClient("./creator-child.ts", args);
      children.push(child);
      child.on("message", (m) => {
        if (isMessage<CreatorProgress>(m, "progress")) progress.set(child, m);
      });
      return {
        child,
        result: nextMessage(child, resultMessage<CreatorResult>, options.durationMs + 300_000, "creates"),
      };
    });
    const ticker = setInterval(() => {
      const sum = (key: "created" | "failures") => [...progress.values()].reduce((n, p) => n + p[key], 0);
      log(`created ${sum("created")}, failed ${sum("failures")}, rss ${rss[rss.length - 1]} MB`);
    }, 10_000);
    ticker.unref();
    const creatorResults = await Promise.all(creating.map(({ result }) => result));
    clearInterval(ticker);
    const listings = await listingsOf(sim.url, endAt - options.durationMs, endAt);

    // Let the last deletions reach every watcher, then stop.
    await sleep(pollIntervalMs * 3);
    const catchUpStarted = performance.now();
    let hubEvents = -1;
    const catchUpDeadline = Date.now() + (options.catchUpMs ?? 120_000);
    for (;;) {
      const statuses = await Promise.all(watchers.map((child) => status(child, hubEvents)));
      const highest = Math.max(...statuses.map((s) => s.maxSeq));
      const behind = statuses.reduce((n, s) => n + s.behind, 0);
      if (highest === hubEvents && behind === 0) break;
      const first = hubEvents < 0;
      hubEvents = Math.max(hubEvents, highest);
      if (Date.now() > catchUpDeadline) break;
      // After the first round (which only learns the target), asked at a pace: the watchers'
      // event loops are busy enough with their streams.
      if (!first) await sleep(200);
    }
    const catchUpMs = Math.round(performance.now() - catchUpStarted);
    clearInterval(sampler);
    rss.push(rssMb(pid));
    const serverCpu = {
      oaktree: tenths(cpuSecondsOf(pid) - cpuAtStart.oaktree),
      simulator: tenths(cpuSecondsOf(sim.pid) - cpuAtStart.simulator),
    };
    const results = await Promise.all(
      watchers.map((child) => {
        const result = nextMessage(child, resultMessage<WatcherResult>, 120_000, "watch results");
        child.send({ type: "finish", target: hubEvents });
        return result;
      }),
    );

    const streams = results.flatMap((r) => r.streams);
    const creates = new Map<string, CreateTimes>(
      creatorResults.flatMap((r) => r.creates.map((c) => [c.id, c] as const)),
    );
    const delays: number[] = [];
    const seenToAdded: number[] = [];
    for (const result of results) {
      for (const [id, times] of Object.entries(result.added)) {
        const create = creates.get(id);
        if (!create) continue;
        for (const at of times) {
          delays.push(at - create.acceptedAt);
          if (create.seenAt !== undefined) seenToAdded.push(at - create.seenAt);
        }
      }
    }
    const acceptedToSeen = [...creates.values()].flatMap((c) =>
      c.seenAt === undefined ? [] : [c.seenAt - c.acceptedAt],
    );
    return {
      watchers: options.watchers,
      creators: options.creators,
      durationMs: options.durationMs,
      clientProcesses: { watchers: watcherProcesses, creators: creatorProcesses },
      serversCreated: creatorResults.reduce((n, r) => n + r.created, 0),
      createFailures: creatorResults.reduce((n, r) => n + r.failures, 0),
      createErrors: creatorResults.flatMap((r) => r.errors).slice(0, 5),
      eventsReceived: streams.reduce((sum, s) => sum + s.events, 0),
      hubEvents,
      outOfOrderStreams: streams.filter((s) => s.outOfOrder).length,
      streamsLost: streams.filter((s) => s.ended).length,
      streamsBehind: results.reduce((n, r) => n + r.behind, 0),
      catchUpMs,
      eventDelayMs: spread(delays),
      acceptedToSeenMs: spread(acceptedToSeen),
      seenToAddedMs: spread(seenToAdded),
      listings,
      rssMb: { start: rss[0] ?? 0, max: Math.max(...rss), end: rss[rss.length - 1] ?? 0 },
      cpuSeconds: {
        ...serverCpu,
        watchers: results.map((r) => tenths(r.cpuSeconds)),
        creators: creatorResults.map((r) => tenths(r.cpuSeconds)),
      },
    };
  } finally {
    // Clients first (they hold streams to oaktree), then oaktree, then the simulator.
    await Promise.all(children.map((child) => endChild(child)));
    await oaktree?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The cadence of the server listings the simulator answered between `from` and `to` (wall clock). */
async function listingsOf(simUrl: string, from: number, to: number): Promise<LoadFigures["listings"]> {
  const response = await fetch(`${simUrl}/_sim/log?limit=50000`);
  const { log } = (await response.json()) as { log: { at: number; route: string; durationMs: number }[] };
  const listed = log.filter(
    (entry) => entry.route === "GET /servers/detail" && entry.at >= from && entry.at <= to,
  );
  const every = listed.slice(1).map((entry, i) => entry.at - (listed[i]?.at ?? entry.at));
  return { everyMs: spread(every), tookMs: spread(listed.map((entry) => entry.durationMs)) };
}

/** `total` split into `parts` shares that differ by one at most. */
function shares(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

function status(child: ChildProcess, target: number): Promise<WatcherStatus> {
  const answer = nextMessage(
    child,
    (m) => (isMessage<WatcherStatus>(m, "status") ? m : undefined),
    60_000,
    "stream status",
  );
  child.send({ type: "status", target });
  return answer;
}

function resultMessage<T extends { type: "result" }>(message: unknown): T | undefined {
  return isMessage<T>(message, "result") ? message : undefined;
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const pick = (q: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { p50: pick(0.5), p99: pick(0.99), max: pick(1), samples: sorted.length };
}

function tenths(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}
