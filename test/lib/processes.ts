/**
 * What every test or benchmark that runs child processes needs: free loopback ports, the wait for
 * a child's "ready" line, and ending a child (gracefully, then by force). Every child started
 * through {@link killOnExit} is SIGKILLed when this process exits, however it exits.
 */
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { createInterface } from "node:readline";

/** A free loopback port (bound then released; the child binds it right after). */
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

const living = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of living) child.kill("SIGKILL");
});

/** SIGKILLs `child` when this process exits, unless it is gone by then; returns it. */
export function killOnExit<T extends ChildProcess>(child: T): T {
  living.add(child);
  child.once("exit", () => living.delete(child));
  return child;
}

/** Whether `child` has not exited yet. */
export function isAlive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * The first stdout line of `child` that matches `pattern`. Rejects when the child exits first or
 * after `timeoutMs`, with `what` and `output()` (what the child said, for the diagnosis). Its
 * stdout keeps being drained afterwards, so that a chatty child never blocks on a full pipe.
 */
export function waitForLine(
  child: ChildProcess,
  pattern: RegExp,
  options: { timeoutMs: number; what: string; output?: () => string },
): Promise<string> {
  const { timeoutMs, what, output = () => "" } = options;
  const stdout = child.stdout;
  if (!stdout) return Promise.reject(new Error(`${what}: its stdout is not a pipe`));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: stdout });
    let seen = "";
    const done = () => {
      clearTimeout(timer);
      child.off("exit", onExit);
      lines.close();
      stdout.resume();
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      done();
      reject(new Error(`${what} exited (${code ?? signal}) before it was ready: ${seen}${output()}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${what} was not ready after ${timeoutMs / 1000} s: ${seen}${output()}`));
    }, timeoutMs);
    lines.on("line", (line) => {
      if (!pattern.test(line)) {
        seen = `${seen}${line}\n`.slice(-4000);
        return;
      }
      done();
      resolve(line);
    });
    child.once("exit", onExit);
  });
}

/**
 * Ends `child` and resolves once it is gone: `signal` (SIGTERM: a graceful stop), then SIGKILL
 * after `graceMs`. `end` replaces the signal (e.g. closing its stdin, which some children treat
 * as "stop"). A child already gone resolves at once.
 */
export async function endChild(
  child: ChildProcess | undefined,
  options: { signal?: NodeJS.Signals; graceMs?: number; end?: () => void } = {},
): Promise<void> {
  if (!child || !isAlive(child)) return;
  const { signal = "SIGTERM", graceMs = 15_000, end = () => child.kill(signal) } = options;
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  end();
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await gone;
  clearTimeout(timer);
}
