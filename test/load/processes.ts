import { type ChildProcess, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The client children of a load run (watchers, creators), with what the run reads of its
 * processes from /proc (CPU seconds, RSS). The simulator and `oaktree serve` are started by
 * test/lib (sim-process.ts, oaktree-serve-child.ts).
 */

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes on one machine. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
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
