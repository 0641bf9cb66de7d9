import { type ChildProcess, fork, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import type { SimulatorOptions } from "@oaktree/sim";

/**
 * The processes of a load run: the simulator, `oaktree serve`, and the client children
 * (watchers, creators), with what the run reads of them from /proc (CPU seconds, RSS).
 */

const bin = fileURLToPath(new URL("../../packages/cli/bin/oaktree.js", import.meta.url));
const simChildFile = fileURLToPath(new URL("./sim-child.ts", import.meta.url));

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes on one machine. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/** The simulator in a child process (sim-child.ts); resolves with its URL and clouds.yaml. */
export async function startSimChild(
  options: SimulatorOptions,
): Promise<{ child: ChildProcess; url: string; cloudsYaml: string }> {
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
  const { url, cloudsYaml } = JSON.parse(line) as { url: string; cloudsYaml: string };
  return { child, url, cloudsYaml };
}

/** `oaktree serve` on 127.0.0.1:`port`; resolves once it says it is serving. */
export async function startOaktree(port: number, cloudsYaml: string, config: string): Promise<ChildProcess> {
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

/**
 * A client child (watcher-child.ts, creator-child.ts) run by tsx with an IPC channel: its
 * argument is `options` as JSON; it talks in JSON messages.
 */
export function forkClient(file: string, options: unknown): ChildProcess {
  return fork(fileURLToPath(new URL(file, import.meta.url)), [JSON.stringify(options)], {
    execArgv: ["--import", "tsx", "--conditions=oaktree-source"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}

/** The next message from `child` that `pick` accepts (undefined: not that one), within `withinMs`. */
export function nextMessage<T>(
  child: ChildProcess,
  pick: (message: unknown) => T | undefined,
  withinMs: number,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      const picked = pick(message);
      if (picked === undefined) return;
      cleanup();
      resolve(picked);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`client process ${child.pid} exited (${code}) while waiting for ${what}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${withinMs} ms waiting for ${what} from process ${child.pid}`));
    }, withinMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/** Stops a child: SIGTERM, then SIGKILL after 15 s. */
export async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, sleep(15_000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

/** User + system CPU seconds of a process (/proc/PID/stat, clock ticks of 1/100 s). */
export function cpuSecondsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Resident memory of a process in MB (/proc/PID/status). */
export function rssMb(pid: number | undefined): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Math.round(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function until(done: () => boolean, withinMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${withinMs} ms: ${what()}`);
    await sleep(100);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
