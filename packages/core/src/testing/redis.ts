/**
 * A real redis-server for tests: started on a free loopback port with no persistence, in a
 * temporary directory, and stopped (or killed and restarted on the same port) by the test.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where Debian's redis-server lives (OAKTREE_REDIS_SERVER overrides). */
export const REDIS_SERVER_PATH = process.env.OAKTREE_REDIS_SERVER ?? "/usr/bin/redis-server";

/**
 * Why Redis tests cannot run here, or undefined when they can. Under CI=true a missing
 * redis-server is a failure, never a skip: this throws.
 */
export function redisSkipReason(): string | undefined {
  if (existsSync(REDIS_SERVER_PATH)) return undefined;
  const reason = `redis-server not found at ${REDIS_SERVER_PATH} (apt-get install redis-server)`;
  if (process.env.CI === "true") throw new Error(`CI=true: ${reason}`);
  return reason;
}

/** A redis-server started by {@link startRedis}. */
export interface TestRedis {
  readonly port: number;
  /** `redis://127.0.0.1:PORT` */
  readonly url: string;
  /** Kills the server now (SIGKILL): clients see the connection drop. Its data is lost. */
  kill(): Promise<void>;
  /** Starts a fresh (empty) server on the same port after {@link kill}. */
  restart(): Promise<void>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/** Starts redis-server on a free loopback port; resolves once it accepts connections. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "oaktree-redis-"));
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(
      REDIS_SERVER_PATH,
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
      { stdio: "ignore" },
    );
    await waitForPort(port, 10_000);
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGKILL");
    await exited;
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    restart: launch,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: "127.0.0.1" }, () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`redis-server did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
