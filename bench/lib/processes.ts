/**
 * The processes a benchmark runs: the simulator (bench/lib/sim-child.ts) and `oaktree serve` as
 * a child process, as in production. Both listen on 127.0.0.1 only, and both are killed when the
 * benchmark ends, however it ends.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { SimulatorOptions } from "@oaktree/sim";
import { ROOT } from "./result.js";

const children = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});

/** The first stdout line of `child` matching `pattern`, or an error after `timeoutMs`. */
function firstLine(child: ChildProcess, pattern: RegExp, timeoutMs: number, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`${what}: not ready after ${timeoutMs} ms`)), timeoutMs);
    lines.on("line", (line) => {
      if (!pattern.test(line)) return;
      clearTimeout(timer);
      lines.removeAllListeners("line");
      child.stdout!.resume();
      resolve(line);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before it was ready`));
    });
  });
}

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
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "--conditions=oaktree-source",
      join(ROOT, "bench/lib/sim-child.ts"),
      JSON.stringify(options),
    ],
    { stdio: ["pipe", "pipe", "inherit"], cwd: ROOT },
  );
  children.add(child);
  const { url, cloudsYaml } = JSON.parse(await firstLine(child, /^\{/, 60_000, "simulator")) as {
    url: string;
    cloudsYaml: string;
  };
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
    pid: child.pid!,
    admin,
    counters,
    async requests() {
      return Object.values(await counters()).reduce((a, b) => a + b, 0);
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.stdin!.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
      children.delete(child);
    },
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
  const child = spawn(
    process.execPath,
    [
      ...profile,
      ...nodeArgs,
      join(ROOT, "packages/cli/bin/oaktree.js"),
      "serve",
      "--listen",
      "127.0.0.1:0",
      "--http-listen",
      "127.0.0.1:0",
      "--config",
      configPath,
    ],
    {
      stdio: ["ignore", "pipe", "inherit"],
      cwd: dir,
      env: { ...process.env, OS_CLIENT_CONFIG_FILE: cloudsYaml, OS_CLOUD: defaultCloud, HOME: dir },
    },
  );
  children.add(child);
  const line = await firstLine(child, /^oaktree is serving gRPC on /, 60_000, "oaktree serve");
  const match = /gRPC on (\S+) and Connect\/JSON on (\S+) /.exec(line);
  if (!match) throw new Error(`oaktree serve: unexpected banner: ${line}`);
  return {
    grpcAddress: match[1]!,
    httpUrl: match[2]!,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(timer);
      }
      children.delete(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The bare grpc-js baseline (bench/lib/empty-grpc-child.ts) answering `methods` (`/pkg.Service/Method`). */
export async function startEmptyGrpc(
  methods: readonly string[],
): Promise<{ address: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "bench/lib/empty-grpc-child.ts"), ...methods],
    { stdio: ["pipe", "pipe", "inherit"], cwd: ROOT },
  );
  children.add(child);
  const { address } = JSON.parse(await firstLine(child, /^\{/, 60_000, "empty gRPC server")) as {
    address: string;
  };
  return {
    address,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.stdin!.end();
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
      children.delete(child);
    },
  };
}
