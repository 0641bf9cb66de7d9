/**
 * The processes a benchmark runs: the simulator (test/lib/sim-child.ts) and `oaktree serve` as
 * a child process, as in production. Both listen on 127.0.0.1 only, and both are killed when the
 * benchmark ends, however it ends.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SimulatorOptions } from "@oaktree/sim";
import { OaktreeServeChild } from "../../test/lib/oaktree-serve-child.js";
import { endChild, killOnExit, waitForLine } from "../../test/lib/processes.js";
import { startSimChild } from "../../test/lib/sim-process.js";
import { ROOT } from "./result.js";

/** CPU time (user + system) of a process so far, ms, from /proc (Linux). */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after "pid (comm) ".
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Resident set size of a process now, bytes, from /proc (Linux). */
export function processRssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** A simulator child process. */
export interface SimProcess {
  readonly url: string;
  readonly cloudsYaml: string;
  readonly pid: number;
  /** Calls the admin API, `/_sim/<path>`; returns the JSON answer (or null for 204). */
  admin<T = unknown>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<T>;
  /** The request counters by `service METHOD /route`, admin routes left out. */
  counters(): Promise<Record<string, number>>;
  /** The total of {@link counters}. */
  requests(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts the simulator in a child process with `options`. */
export async function startSim(options: SimulatorOptions = {}): Promise<SimProcess> {
  const { url, cloudsYaml, pid, stop } = await startSimChild({ simulator: options });
  const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/_sim/${path}`, {
      method,
      ...(body !== undefined && {
        body: JSON.stringify(body),
        headers: { "content-type": "application/json" },
      }),
    });
    if (!res.ok) throw new Error(`simulator admin ${method} ${path}: ${res.status} ${await res.text()}`);
    return (res.status === 204 ? null : await res.json()) as T;
  };
  const counters = async () => {
    const { counters } = await admin<{ counters: Record<string, number> }>("GET", "counters");
    return Object.fromEntries(Object.entries(counters).filter(([key]) => !key.startsWith("admin ")));
  };
  return {
    url,
    cloudsYaml,
    pid,
    admin,
    counters,
    async requests() {
      return Object.values(await counters()).reduce((a, b) => a + b, 0);
    },
    stop,
  };
}

/** A running `oaktree serve`. */
export interface OaktreeProcess {
  /** `127.0.0.1:PORT` of the gRPC listener. */
  readonly grpcAddress: string;
  /** `http://127.0.0.1:PORT` of the Connect/JSON listener. */
  readonly httpUrl: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `oaktree serve` (packages/cli/bin/oaktree.js) on `cloudsYaml` with the server config
 * `config` (YAML text, docs/server.md), both listeners on free loopback ports. `nodeArgs` go to
 * node (e.g. `--cpu-prof`); `defaultCloud` is its OS_CLOUD.
 */
export async function startOaktree(
  cloudsYaml: string,
  config = "",
  nodeArgs: readonly string[] = [],
  defaultCloud = "sim",
): Promise<OaktreeProcess> {
  const dir = mkdtempSync(join(tmpdir(), "oaktree-bench-serve-"));
  const configPath = join(dir, "server.yaml");
  writeFileSync(configPath, `log:\n  level: warn\n${config}`);
  // BENCH_CPU_PROF=DIR: every oaktree serve writes a V8 CPU profile there when it stops
  // (summarize with `npx tsx bench/profile.ts FILE`).
  const profile = process.env.BENCH_CPU_PROF
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  // BENCH_HEAP_SNAPSHOT=DIR: SIGUSR2 makes it write a heap snapshot there (bench/heap.ts reads it).
  if (process.env.BENCH_HEAP_SNAPSHOT) {
    profile.push("--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${process.env.BENCH_HEAP_SNAPSHOT}`);
  }
  const oaktree = await OaktreeServeChild.create(cloudsYaml, {
    config: configPath,
    nodeArgs: [...profile, ...nodeArgs],
    cloud: defaultCloud,
    // No clouds.yaml or secure.yaml of the developer's home is read.
    env: { HOME: dir },
    cwd: dir,
    echoStderr: true,
  });
  try {
    await oaktree.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    grpcAddress: oaktree.address,
    httpUrl: oaktree.httpUrl as string,
    pid: oaktree.pid as number,
    async stop() {
      await oaktree.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The bare grpc-js baseline (bench/lib/empty-grpc-child.ts) answering `methods` (`/pkg.Service/Method`). */
export async function startEmptyGrpc(
  methods: readonly string[],
): Promise<{ address: string; pid: number; stop(): Promise<void> }> {
  const child = killOnExit(
    spawn(process.execPath, ["--import", "tsx", join(ROOT, "bench/lib/empty-grpc-child.ts"), ...methods], {
      stdio: ["pipe", "pipe", "inherit"],
      cwd: ROOT,
    }),
  );
  const line = await waitForLine(child, /^\{/, { timeoutMs: 60_000, what: "the empty gRPC server" });
  const { address } = JSON.parse(line) as { address: string };
  return {
    address,
    pid: child.pid as number,
    stop: () => endChild(child, { graceMs: 5000, end: () => child.stdin?.end() }),
  };
}
