import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { startRedis } from "@oaktree/core/testing/redis.js";
import { ServerService } from "@oaktree/server/gen/oaktree/v1/server_pb.js";
import { type FaultRule, type Simulator, startSimulator } from "@oaktree/sim";
import { parse, stringify } from "yaml";
import { type MemorySample, OaktreeServeChild } from "../lib/oaktree-serve-child.js";
import { FAULTED_SERVICES, faultMix, outageRule } from "./fault-mix.js";
import { checkWorld, leakedObjects, snapshotWorld, type WorldCheck } from "./world-check.js";

/** Options of {@link runSoak}. */
export interface SoakOptions {
  /** Boot-with-IP + delete cycles (default 1,000). */
  readonly cycles?: number;
  /** Cycles in flight at once (default 20). */
  readonly concurrency?: number;
  /** Inject the fault mix (default true). */
  readonly faults?: boolean;
  /** SIGKILL oaktree this many times, evenly spread over the run, and start it again (default 0). */
  readonly restarts?: number;
  /** Every Nth cycle boots from a new 1 GiB volume deleted with the server (default 5; 0: never). */
  readonly bootFromVolumeEvery?: number;
  /** Replaces the fault mix (targeted tests of one fault kind); the rolling outages stay off. */
  readonly faultRules?: readonly FaultRule[];
  /** oaktree's reclaimer (the `recovery:` key): grace and interval in seconds (default 15 and 5). */
  readonly recovery?: { readonly graceSeconds: number; readonly intervalSeconds: number };
  /** oaktree's state: `memory` (default; a SIGKILL forgets it) or `redis` (a redis-server of its own). */
  readonly state?: "memory" | "redis";
  /** The boot's own timeout (`timeout_seconds`; a stuck BUILD ends there) (default 12). */
  readonly createTimeoutSeconds?: number;
  /** How long to wait at most for the reclaimer once the cycles are done (default 60 s). */
  readonly settleMs?: number;
  /** Called with the simulator before it stops (diagnostics: its request log, its world). */
  readonly inspect?: (sim: Simulator) => void;
  /**
   * A directory for diagnostics: oaktree logs at trace level to `oaktree.log`, and at the end the
   * simulator's request log (`sim-requests.jsonl`), every cycle's calls (`cycles.jsonl`) and the leaked
   * objects as the simulator holds them (`leaks.json`) are written there.
   */
  readonly diagnose?: string;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

/** How one cycle ended. */
export interface CycleOutcome {
  readonly index: number;
  /** Booted with an address and deleted. */
  readonly ok: boolean;
  /** The gRPC code the cycle ended with when it failed (`RESOURCE_EXHAUSTED`, ...). */
  readonly finalCode?: string;
  /** The client reissued the create until it gave up (a retryable code on the last attempt). */
  readonly gaveUp: boolean;
  readonly createAttempts: number;
  readonly deleteAttempts: number;
  /** A reissued create answered with the server an earlier attempt made. */
  readonly foundExisting: boolean;
  /** Every call of the cycle: what, when (ms since the epoch), how it ended. */
  readonly calls: readonly CallRecord[];
}

/** One call of a cycle. */
export interface CallRecord {
  readonly call: "create" | "delete";
  readonly started: number;
  readonly ended: number;
  /** `OK` or the gRPC code's name. */
  readonly code: string;
  readonly serverId?: string;
}

/** The soak's figures. */
export interface SoakReport {
  readonly cycles: number;
  readonly concurrency: number;
  readonly restarts: number;
  readonly durationMs: number;
  readonly ok: number;
  readonly failed: number;
  readonly gaveUp: number;
  readonly failedByCode: Record<string, number>;
  /** Every error a call ended with, by gRPC code (retried ones included). */
  readonly callErrorsByCode: Record<string, number>;
  readonly calls: number;
  /** Calls that ended later than their deadline plus 3 s. */
  readonly hungCalls: number;
  readonly reissuesFoundExisting: number;
  readonly faultsInjected: Record<string, number>;
  readonly serviceOutages: number;
  /** Moments every issued token expired, or was revoked. */
  readonly tokenEvents: { readonly expired: number; readonly revoked: number };
  /** The world right after the cycles (5 s for in-flight work), before the reclaimer's grace passed. */
  readonly worldAfterCycles: WorldCheck;
  /** The world at the end: once nothing is left, or 60 s after the cycles with the reclaimer on. */
  readonly world: WorldCheck;
  readonly recovery: { readonly graceSeconds: number; readonly intervalSeconds: number };
  readonly state: "memory" | "redis";
  /** After warm-up and at the end (runs without restarts), after two full GCs. */
  readonly memory?: { readonly start: MemorySample; readonly end: MemorySample };
  readonly oaktreeStderr: string;
}

const IMAGE = "cirros-0.6.2-x86_64-disk";
const API_TIMEOUT_SECONDS = 2;
/** Every call's deadline. */
const CREATE_DEADLINE_MS = 45_000;
const DELETE_DEADLINE_MS = 30_000;
const RETRYABLE = new Set([Code.Unavailable, Code.DeadlineExceeded, Code.Aborted]);
/**
 * A client reissues on a retryable code until this long after its first attempt (long enough for an
 * oaktree restart on a loaded machine), then gives up; at most this many attempts.
 */
const REISSUE_FOR_MS = 120_000;
const CREATE_ATTEMPTS = 12;
const DELETE_ATTEMPTS = 12;
/** The pause before a reissue: 250 ms more per attempt, at most 3 s, with jitter. */
const backoff = (attempt: number) => Math.min(3000, 250 * attempt) + Math.random() * 250;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const codeName = (code: Code) => Code[code]!.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();

/**
 * The chaos soak: through the gRPC API of an `oaktree serve` child process on an HTTP simulator,
 * `cycles` boot-with-IP + delete cycles, `concurrency` at a time, with client tokens, under the fault
 * mix; then, faults off, the simulator's world is checked for duplicates and leaks.
 */
export async function runSoak(options: SoakOptions = {}): Promise<SoakReport> {
  const cycles = options.cycles ?? 1000;
  const concurrency = options.concurrency ?? 20;
  const restarts = options.restarts ?? 0;
  const withFaults = options.faults ?? true;
  const volumeEvery = options.bootFromVolumeEvery ?? 5;
  const log = options.log ?? (() => undefined);
  const recovery = options.recovery ?? { graceSeconds: 15, intervalSeconds: 5 };
  const createTimeoutSeconds = options.createTimeoutSeconds ?? 12;
  const runId = Date.now().toString(36);
  const dir = mkdtempSync(join(tmpdir(), "oaktree-soak-"));
  const sim = await startSimulator({
    buildDelayMs: 300,
    deleteDelayMs: 0,
    logCapacity: options.diagnose ? 2_000_000 : 50_000,
  });
  let oaktree: OaktreeServeChild | undefined;
  const state = options.state ?? "memory";
  const redis = state === "redis" ? await startRedis() : undefined;
  const timers: NodeJS.Timeout[] = [];
  try {
    const demo = "demo";
    sim.admin.setQuota("compute", demo, { instances: 10_000, cores: 20_000, ram: 10_000_000 });
    sim.admin.setQuota("network", demo, { port: 100_000, floatingip: 10_000 });
    sim.admin.setQuota("volume", demo, { volumes: 10_000, gigabytes: 100_000 });
    const cloudsYaml = join(dir, "clouds.yaml");
    writeFileSync(cloudsYaml, withApiTimeout(sim, API_TIMEOUT_SECONDS));
    const serverConfig = join(dir, "oaktree.yaml");
    writeFileSync(
      serverConfig,
      stringify({
        recovery: { grace_seconds: recovery.graceSeconds, interval_seconds: recovery.intervalSeconds },
      }),
    );
    oaktree = await OaktreeServeChild.create(cloudsYaml, {
      config: serverConfig,
      args: redis ? ["--state", redis.url] : [],
      logLevel: "error",
      logFile: options.diagnose === undefined ? undefined : join(options.diagnose, "oaktree.log"),
      memoryHook: true,
      nodeArgs: ["--trace-warnings"],
    });
    await oaktree.start();
    const transport = createGrpcTransport({ baseUrl: `http://${oaktree.address}` });
    const client = createClient(ServerService, transport);
    const baseline = snapshotWorld(sim);
    const stats = { calls: 0, hung: 0, errors: {} as Record<string, number> };

    /** One call with a deadline; counts its outcome and whether it outlived its deadline. */
    const call = async <T>(deadlineMs: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> => {
      stats.calls += 1;
      const started = Date.now();
      try {
        return await run(AbortSignal.timeout(deadlineMs));
      } catch (error) {
        const code = codeName(ConnectError.from(error).code);
        stats.errors[code] = (stats.errors[code] ?? 0) + 1;
        throw error;
      } finally {
        if (Date.now() - started > deadlineMs + 3000) stats.hung += 1;
      }
    };

    const cycle = async (index: number): Promise<CycleOutcome> => {
      const clientToken = `soak-${runId}-${index}`;
      const name = `soak-${index}`;
      const fromVolume = volumeEvery > 0 && index % volumeEvery === volumeEvery - 1;
      let serverId: string | undefined;
      let finalCode: string | undefined;
      let gaveUp = false;
      let foundExisting = false;
      let createAttempts = 0;
      const calls: CallRecord[] = [];
      const record = (call: CallRecord["call"], started: number, code: string, id?: string) =>
        calls.push({ call, started, ended: Date.now(), code, ...(id !== undefined && { serverId: id }) });
      const reissueUntil = Date.now() + REISSUE_FOR_MS;
      for (; createAttempts < CREATE_ATTEMPTS && serverId === undefined; ) {
        createAttempts += 1;
        const attemptStarted = Date.now();
        try {
          const events = await call(CREATE_DEADLINE_MS, async (signal) => {
            const out = [];
            const stream = client.createServer(
              {
                location: { cloud: "sim" },
                name,
                image: IMAGE,
                flavor: "m1.tiny",
                networks: ["private"],
                autoIp: true,
                clientToken,
                timeoutSeconds: createTimeoutSeconds,
                ...(fromVolume && { bootFromVolume: true, volumeSize: 1, terminateVolume: true }),
              },
              { signal, timeoutMs: CREATE_DEADLINE_MS },
            );
            for await (const event of stream) out.push(event);
            return out;
          });
          const last = events.at(-1);
          if (events.some((e) => e.existing) && createAttempts > 1) foundExisting = true;
          serverId = events.findLast((e) => e.server?.id)?.server?.id;
          record("create", attemptStarted, last?.floatingIp ? "OK" : "INCOMPLETE_STREAM", serverId);
          if (!serverId || !last?.floatingIp) {
            finalCode = "INCOMPLETE_STREAM";
            break;
          }
          finalCode = undefined;
        } catch (error) {
          const code = ConnectError.from(error).code;
          finalCode = codeName(code);
          record("create", attemptStarted, finalCode);
          if (!RETRYABLE.has(code)) break;
          if (createAttempts === CREATE_ATTEMPTS || Date.now() > reissueUntil) {
            gaveUp = true;
            break;
          }
          await sleep(backoff(createAttempts));
        }
      }
      let deleteAttempts = 0;
      if (serverId !== undefined) {
        let deleted = false;
        const deleteUntil = Date.now() + REISSUE_FOR_MS;
        for (; deleteAttempts < DELETE_ATTEMPTS && !deleted; ) {
          deleteAttempts += 1;
          const attemptStarted = Date.now();
          try {
            await call(DELETE_DEADLINE_MS, async (signal) => {
              const stream = client.deleteServer(
                { location: { cloud: "sim" }, nameOrId: serverId, deleteIps: true, timeoutSeconds: 20 },
                { signal, timeoutMs: DELETE_DEADLINE_MS },
              );
              for await (const _ of stream);
            });
            deleted = true;
            record("delete", attemptStarted, "OK", serverId);
          } catch (error) {
            const code = ConnectError.from(error).code;
            record("delete", attemptStarted, codeName(code), serverId);
            // Gone already: an earlier attempt's answer was lost after the delete was done.
            if (code === Code.NotFound) deleted = true;
            else if (!RETRYABLE.has(code) || deleteAttempts === DELETE_ATTEMPTS || Date.now() > deleteUntil) {
              finalCode = `DELETE_${codeName(code)}`;
              break;
            } else await sleep(backoff(deleteAttempts));
          }
        }
        if (!deleted) gaveUp ||= finalCode === undefined;
      }
      const ok = serverId !== undefined && finalCode === undefined;
      return {
        index,
        ok,
        ...(finalCode !== undefined && { finalCode }),
        gaveUp,
        createAttempts,
        deleteAttempts,
        foundExisting,
        calls,
      };
    };

    // Warm-up without faults: the memory baseline is taken once caches and pools are built.
    const warmup = Math.min(20, Math.max(5, Math.floor(cycles / 20)));
    await pool(warmup, concurrency, (i) => cycle(-1 - i));
    const memoryStart = restarts === 0 ? await oaktree.memory() : undefined;
    log(`warm-up: ${warmup} cycles${memoryStart ? `, heap ${mb(memoryStart.heapUsed)}` : ""}`);

    sim.admin.resetFaultsInjected();
    let serviceOutages = 0;
    const tokenEvents = { expired: 0, revoked: 0 };
    if (options.faultRules) {
      for (const rule of options.faultRules) sim.admin.addFault(rule);
    } else if (withFaults) {
      for (const rule of faultMix(API_TIMEOUT_SECONDS * 1000)) sim.admin.addFault(rule);
      // A service down for 1.5 s every 10 s, in turn.
      timers.push(
        setInterval(() => {
          const service = FAULTED_SERVICES[serviceOutages % FAULTED_SERVICES.length]!;
          serviceOutages += 1;
          sim.admin.addFault(outageRule(service, 1500));
        }, 10_000),
      );
      // Every issued token expires (then, 7 s later, is revoked), in turn.
      timers.push(
        setInterval(() => {
          if ((tokenEvents.expired + tokenEvents.revoked) % 2 === 0) {
            sim.admin.expireTokens(0);
            tokenEvents.expired += 1;
          } else {
            sim.admin.revokeTokens();
            tokenEvents.revoked += 1;
          }
        }, 7_000),
      );
    }

    const started = Date.now();
    let done = 0;
    const killAt = Array.from({ length: restarts }, (_, k) =>
      Math.floor(((k + 1) * cycles) / (restarts + 1)),
    );
    let restarting: Promise<void> = Promise.resolve();
    const proc = oaktree;
    const outcomes = await pool(cycles, concurrency, async (index) => {
      const outcome = await cycle(index);
      done += 1;
      if (done % Math.max(1, Math.floor(cycles / 10)) === 0) {
        log(`${done}/${cycles} cycles, ${Math.round((Date.now() - started) / 1000)} s`);
      }
      if (killAt[0] !== undefined && done >= killAt[0]) {
        killAt.shift();
        restarting = restarting.then(async () => {
          log(`SIGKILL oaktree (pid ${proc.pid}) after ${done} cycles; starting it again`);
          await proc.kill();
          await proc.start();
        });
      }
      return outcome;
    });
    await restarting;
    const durationMs = Date.now() - started;
    for (const t of timers) clearInterval(t);
    sim.admin.clearFaults();
    const faultsInjected = sim.admin.faultsInjected();

    // Faults off: let oaktree finish what it still does (rollbacks, deletes), then look at the world;
    // then give its reclaimer time to delete what abandoned creates left.
    await sleep(5000);
    sim.admin.finishBuilds();
    const worldAfterCycles = checkWorld(sim, baseline, `soak-${runId}-`);
    const world = await settle(sim, baseline, runId, options.settleMs ?? 60_000);
    const memoryEnd = memoryStart ? await oaktree.memory() : undefined;
    options.inspect?.(sim);
    if (options.diagnose) writeDiagnostics(options.diagnose, sim, baseline, runId, outcomes);
    const failed = outcomes.filter((o) => !o.ok);
    const failedByCode: Record<string, number> = {};
    for (const o of failed) {
      const code = o.finalCode ?? "NONE";
      failedByCode[code] = (failedByCode[code] ?? 0) + 1;
    }
    return {
      cycles,
      concurrency,
      restarts,
      durationMs,
      ok: outcomes.length - failed.length,
      failed: failed.length,
      gaveUp: outcomes.filter((o) => o.gaveUp).length,
      failedByCode,
      callErrorsByCode: stats.errors,
      calls: stats.calls,
      hungCalls: stats.hung,
      reissuesFoundExisting: outcomes.filter((o) => o.foundExisting).length,
      faultsInjected,
      serviceOutages,
      tokenEvents,
      worldAfterCycles,
      world,
      recovery,
      state,
      ...(memoryStart && memoryEnd && { memory: { start: memoryStart, end: memoryEnd } }),
      oaktreeStderr: oaktree.stderr.slice(-4000),
    };
  } finally {
    for (const t of timers) clearInterval(t);
    await oaktree?.stop();
    await sim.stop();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The files of {@link SoakOptions.diagnose}. */
function writeDiagnostics(
  dir: string,
  sim: Simulator,
  baseline: ReturnType<typeof snapshotWorld>,
  runId: string,
  outcomes: readonly CycleOutcome[],
): void {
  const jsonl = (items: readonly unknown[]) => items.map((x) => JSON.stringify(x)).join("\n");
  writeFileSync(join(dir, "sim-requests.jsonl"), jsonl(sim.admin.log()));
  writeFileSync(join(dir, "cycles.jsonl"), jsonl(outcomes));
  writeFileSync(
    join(dir, "leaks.json"),
    JSON.stringify(leakedObjects(sim, baseline, `soak-${runId}-`), null, 1),
  );
}

/** The simulator's clouds.yaml with `api_timeout` on the `sim` cloud (oaktree's per-request timeout). */
function withApiTimeout(sim: Simulator, seconds: number): string {
  const doc = parse(sim.cloudsYaml()) as { clouds: Record<string, Record<string, unknown>> };
  doc.clouds.sim!.api_timeout = seconds;
  return stringify(doc);
}

/**
 * Waits (at most `maxMs`) until nothing the run made is left on the cloud, then checks the world once
 * more; what is still there then is a leak.
 */
async function settle(
  sim: Simulator,
  baseline: ReturnType<typeof snapshotWorld>,
  runId: string,
  maxMs: number,
): Promise<WorldCheck> {
  const deadline = Date.now() + maxMs;
  for (;;) {
    sim.admin.finishBuilds();
    const check = checkWorld(sim, baseline, `soak-${runId}-`);
    const leaks = check.leakedServers + check.leakedPorts + check.leakedFloatingIps + check.leakedVolumes;
    if (leaks === 0 || Date.now() > deadline) return check;
    await sleep(1000);
  }
}

/** Runs `count` tasks, `width` at a time; resolves with their results in index order. */
async function pool<T>(count: number, width: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
  return results;
}

/** Bytes as MiB with one decimal. */
export function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}
