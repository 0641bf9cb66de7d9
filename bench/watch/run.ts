/**
 * Watch benchmark: what the shared watch saves the cloud. For N = 1, 10, 100, 500 servers booted
 * on the simulator (BUILD lasts BUILD_DELAY_MS plus a jitter of up to one poll interval), waits for
 * all of them to be ACTIVE two ways, side by side in the same run:
 *
 * - A: oaktree's `waitForServer(ctx, id)`: one shared watch per project (`GET /servers/detail`,
 *   incremental with `changes-since`, once per interval however many waiters);
 * - B: the naive per-server loop (openstacksdk's `wait_for_server` today; shade batched instead): each waiter
 *   `GET /servers/{id}`, sleep the interval, again, until ACTIVE, through the same core
 *   ServiceClient (same auth, same keep-alive transport).
 *
 * Counts the requests the simulator received during the waits (everything but the boots'
 * `POST /servers`) and the latency from the moment a server turned ACTIVE (its build timer's due
 * time in the simulator's clock) to the moment its waiter resolved. Each phase gets a fresh
 * simulator and a fresh connection. Loopback only; bounded in servers, per-wait time and total
 * time. Run with `npm run bench:watch` (prints JSON and a markdown table; writes nothing).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import {
  Cloud,
  connect,
  createCloudContext,
  loadCloudConfigFromDisk,
  type ServiceClient,
} from "@oaktree/core";

const SIZES = (process.env.BENCH_SIZES ?? "1,10,100,500").split(",").map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const POLL_INTERVAL_MS = Number(process.env.BENCH_INTERVAL_MS ?? 1000);
const BUILD_DELAY_MS = Number(process.env.BENCH_BUILD_DELAY_MS ?? 3000);
/** Builds last BUILD_DELAY_MS plus up to this much more (uniform): ACTIVE at any phase of a poll. */
const BUILD_JITTER_MS = Number(process.env.BENCH_BUILD_JITTER_MS ?? POLL_INTERVAL_MS);
/** Boots in flight at once (a client booting a fleet does not open 500 POSTs at once). */
const CREATE_CONCURRENCY = 16;
/** A single wait longer than this is a failure of the benchmark, not a data point. */
const WAIT_TIMEOUT_MS = 30_000;
/** The whole run is killed after this. */
const HARD_TIMEOUT_MS = Number(process.env.BENCH_HARD_TIMEOUT_MS ?? 180_000);
const MAX_SERVERS = 500;

type Strategy = "A" | "B";

interface Phase {
  readonly n: number;
  readonly strategy: Strategy;
  /** Requests the simulator received during the waits (boots excluded). */
  readonly requests: number;
  /** The same, by `service METHOD /route`. */
  readonly routes: Record<string, number>;
  /** The simulator's summed handler time for those requests, ms. */
  readonly simHandlerMs: number;
  /** ACTIVE -> waiter resolved, ms, per server. */
  readonly latenciesMs: readonly number[];
  /** Median gap between consecutive `GET /servers/detail` (the watch's real period), ms. */
  readonly listGapMs?: number;
  /** First boot sent -> last boot answered, ms. */
  readonly bootMs: number;
  /** First boot sent -> last waiter resolved, ms. */
  readonly wallMs: number;
  /** CPU time of this (client) process during the phase, ms. */
  readonly clientCpuMs: number;
}

/** The simulator child process, one JSON command and one JSON answer at a time. */
class SimProcess {
  private readonly child = spawn(
    process.execPath,
    ["--import", "tsx", new URL("./server.ts", import.meta.url).pathname],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  private readonly answers: ((line: string) => void)[] = [];

  constructor() {
    createInterface({ input: this.child.stdout! }).on("line", (line) => this.answers.shift()?.(line));
  }

  async send<T>(command: Record<string, unknown>): Promise<T> {
    const answer = new Promise<string>((resolve) => this.answers.push(resolve));
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
    const parsed = JSON.parse(await answer) as { ok?: T; error?: string };
    if (parsed.error !== undefined) throw new Error(`simulator: ${parsed.error}`);
    return parsed.ok as T;
  }

  close(): void {
    this.child.stdin!.end();
  }

  kill(): void {
    this.child.kill();
  }
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

const median = (xs: readonly number[]) => quantile(xs, 0.5);

/** B: openstacksdk's wait_for_server, one GET per server per interval until ACTIVE (shade batched). */
async function naiveWait(compute: ServiceClient, id: string): Promise<number> {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const res = await compute.request({ method: "GET", path: `/servers/${id}` });
    const status = res.json<{ server: { status: string } }>().server.status;
    if (status === "ACTIVE") return Date.now();
    if (status === "ERROR") throw new Error(`server ${id} went to ERROR`);
    await sleep(POLL_INTERVAL_MS);
  }
  throw new Error(`server ${id}: naive wait timed out`);
}

/** A: oaktree's shared watch (`Cloud.waitForServer` is `waitForServer(ctx, id)` of cloud/servers.ts). */
async function sharedWait(cloud: Cloud, id: string): Promise<number> {
  const result = await cloud.waitForServer(id, { timeoutMs: WAIT_TIMEOUT_MS });
  if (result.state !== "success") throw new Error(`server ${id}: shared wait ended ${result.state}`);
  return Date.now();
}

/** Runs `task` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function phase(sim: SimProcess, n: number, strategy: Strategy): Promise<Phase> {
  const { cloudsYaml } = await sim.send<{ cloudsYaml: string }>({
    cmd: "start",
    buildDelayMs: BUILD_DELAY_MS,
    buildJitterMs: BUILD_JITTER_MS,
    instances: n + 10,
  });
  const home = mkdtempSync(join(tmpdir(), "oaktree-bench-watch-home-"));
  const config = await loadCloudConfigFromDisk({
    cloud: "sim",
    env: { OS_CLIENT_CONFIG_FILE: cloudsYaml },
    cwd: home,
    home,
  });
  const connection = await connect(config, { retry: false });
  const ctx = createCloudContext(connection, { pollIntervalMs: POLL_INTERVAL_MS });
  const cloud = new Cloud(ctx);
  try {
    const compute = await ctx.client("compute");
    const image = await ctx.client("image");
    const imageRef = (await image.request({ method: "GET", path: "/images" })).json<{
      images: { id: string }[];
    }>().images[0]!.id;
    // What a long-lived client has already done once: token, catalog, the external-network list
    // the normalizer reads. Not part of either wait.
    await ctx.normalizeContext();
    await ctx.scope();
    await sim.send({ cmd: "reset" });

    const ids: string[] = [];
    const resolved: Promise<number>[] = [];
    const cpu0 = process.cpuUsage();
    const t0 = Date.now();
    await pool(
      Array.from({ length: n }, (_, i) => i),
      CREATE_CONCURRENCY,
      async (i) => {
        const created = await compute.request({
          method: "POST",
          path: "/servers",
          json: { server: { name: `bench-${i}`, imageRef, flavorRef: "1", networks: "none" } },
        });
        const id = created.json<{ server: { id: string } }>().server.id;
        ids[i] = id;
        // Each boot's wait starts as soon as its POST answers, as create_server(wait=True) does.
        const wait = strategy === "A" ? sharedWait(cloud, id) : naiveWait(compute, id);
        // Awaited below with the others; a failure before then must not be an unhandled rejection.
        wait.catch(() => {});
        resolved[i] = wait;
      },
    );
    const bootMs = Date.now() - t0;
    const doneAt = await Promise.all(resolved);
    const wallMs = Date.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const stats = await sim.send<{
      routes: Record<string, { count: number; handlerMs: number }>;
      complete: boolean;
      listedAt: number[];
      buildEnds: (number | null)[];
    }>({ cmd: "stats", ids });
    if (!stats.complete) throw new Error("the simulator's request log wrapped: raise logCapacity");
    const routes: Record<string, number> = {};
    let requests = 0;
    let simHandlerMs = 0;
    for (const [route, row] of Object.entries(stats.routes)) {
      if (route === "compute POST /servers") continue;
      routes[route] = row.count;
      requests += row.count;
      simHandlerMs += row.handlerMs;
    }
    const latenciesMs = doneAt.map((at, i) => {
      const activeAt = stats.buildEnds[i];
      if (activeAt === null || activeAt === undefined) throw new Error(`no build end for ${ids[i]}`);
      return at - activeAt;
    });
    const gaps = stats.listedAt.slice(1).map((at, i) => at - stats.listedAt[i]!);
    return {
      n,
      strategy,
      ...(gaps.length > 0 && { listGapMs: median(gaps) }),
      requests,
      routes,
      simHandlerMs,
      latenciesMs,
      bootMs,
      wallMs,
      clientCpuMs: (cpu.user + cpu.system) / 1000,
    };
  } finally {
    await ctx.watches.close();
    await connection.close();
    rmSync(home, { recursive: true, force: true });
  }
}

interface Cell {
  readonly requests: number[];
  readonly perServer: number[];
  readonly p50: number[];
  readonly p95: number[];
  readonly simHandlerMs: number[];
  readonly clientCpuMs: number[];
  readonly wallMs: number[];
  readonly maxMs: number[];
  readonly listGapMs: number[];
  readonly routes: Record<string, number>[];
}

async function main(): Promise<void> {
  if (SIZES.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_SERVERS)) {
    throw new RangeError(`BENCH_SIZES: each size must be an integer in 1..${MAX_SERVERS}, got ${SIZES}`);
  }
  const sim = new SimProcess();
  const hard = setTimeout(() => {
    console.error(`bench:watch: hard timeout after ${HARD_TIMEOUT_MS} ms`);
    sim.kill();
    process.exit(1);
  }, HARD_TIMEOUT_MS);
  hard.unref();
  const started = Date.now();
  const cells = new Map<string, Cell>();
  const ratios = new Map<number, number[]>();
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const n of SIZES) {
        // Alternate which strategy goes first, so that neither always gets the warmer process.
        const order: Strategy[] = run % 2 === 0 ? ["A", "B"] : ["B", "A"];
        const byStrategy: Partial<Record<Strategy, Phase>> = {};
        for (const strategy of order) {
          const result = await phase(sim, n, strategy);
          byStrategy[strategy] = result;
          const key = `${n}/${strategy}`;
          const cell = cells.get(key) ?? {
            requests: [],
            perServer: [],
            p50: [],
            p95: [],
            simHandlerMs: [],
            clientCpuMs: [],
            wallMs: [],
            maxMs: [],
            listGapMs: [],
            routes: [],
          };
          cell.requests.push(result.requests);
          cell.perServer.push(result.requests / n);
          cell.p50.push(median(result.latenciesMs));
          cell.p95.push(quantile(result.latenciesMs, 0.95));
          cell.simHandlerMs.push(result.simHandlerMs);
          cell.clientCpuMs.push(result.clientCpuMs);
          cell.wallMs.push(result.wallMs);
          cell.maxMs.push(quantile(result.latenciesMs, 1));
          if (result.listGapMs !== undefined) cell.listGapMs.push(result.listGapMs);
          cell.routes.push(result.routes);
          cells.set(key, cell);
          console.error(
            `run ${run + 1} N=${n} ${strategy}: ${result.requests} requests, p50 ${Math.round(median(result.latenciesMs))} ms, ` +
              `p95 ${Math.round(quantile(result.latenciesMs, 0.95))} ms, max ${Math.round(quantile(result.latenciesMs, 1))} ms, ` +
              `boots ${result.bootMs} ms, ${result.wallMs} ms wall` +
              (result.listGapMs === undefined ? "" : `, list every ${result.listGapMs} ms`),
          );
        }
        const ratio = byStrategy.B!.requests / byStrategy.A!.requests;
        ratios.set(n, [...(ratios.get(n) ?? []), ratio]);
      }
    }
  } finally {
    sim.close();
  }
  clearTimeout(hard);

  const round = (x: number, digits = 0) => Number(x.toFixed(digits));
  const summary = SIZES.flatMap((n) =>
    (["A", "B"] as const).map((strategy) => {
      const cell = cells.get(`${n}/${strategy}`)!;
      return {
        n,
        strategy,
        requests: { median: median(cell.requests), runs: cell.requests },
        requestsPerServer: round(median(cell.perServer), 2),
        latencyP50Ms: { median: round(median(cell.p50)), runs: cell.p50.map((x) => round(x)) },
        latencyP95Ms: { median: round(median(cell.p95)), runs: cell.p95.map((x) => round(x)) },
        simHandlerMs: round(median(cell.simHandlerMs), 1),
        clientCpuMs: round(median(cell.clientCpuMs)),
        latencyMaxMs: round(median(cell.maxMs)),
        wallMs: median(cell.wallMs),
        ...(cell.listGapMs.length > 0 && { listGapMs: median(cell.listGapMs) }),
        routesLastRun: cell.routes.at(-1),
      };
    }),
  );
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: `${cpus().length} x ${cpus()[0]?.model ?? "?"}`,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    runs: RUNS,
    pollIntervalMs: POLL_INTERVAL_MS,
    buildDelayMs: BUILD_DELAY_MS,
    buildJitterMs: BUILD_JITTER_MS,
    createConcurrency: CREATE_CONCURRENCY,
    totalMs: Date.now() - started,
    summary,
    ratioBOverA: Object.fromEntries(
      SIZES.map((n) => [
        n,
        { median: round(median(ratios.get(n)!), 1), runs: ratios.get(n)!.map((r) => round(r, 1)) },
      ]),
    ),
  };
  console.log(JSON.stringify(result, null, 2));

  // The table for RESULTS.md.
  const rows = [
    "| N | Strategy | Requests during the wait | Per server | B/A | Latency p50 | Latency p95 | Sim handler time | Client CPU |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const row of summary) {
    const ratio = row.strategy === "B" ? `**${result.ratioBOverA[row.n]!.median}×**` : "";
    rows.push(
      `| ${row.n} | ${row.strategy === "A" ? "A shared watch" : "B per-server GET"} | ${row.requests.median} (${row.requests.runs.join(" · ")}) | ` +
        `${row.requestsPerServer} | ${ratio} | ${row.latencyP50Ms.median} ms | ${row.latencyP95Ms.median} ms | ` +
        `${row.simHandlerMs} ms | ${row.clientCpuMs} ms |`,
    );
  }
  console.log(rows.join("\n"));
}

await main();
