/**
 * One oaktree replica for the scale-out tests and bench: `oaktree serve` in a child process
 * (the CLI's bin, as an operator runs it) on fixed loopback ports, with a server config file.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../../packages/cli/bin/oaktree.js", import.meta.url));

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

/** A running (or killed) `oaktree serve`. */
export class Replica {
  #child: ChildProcess | undefined;
  #stderr = "";

  private constructor(
    readonly name: string,
    readonly grpcPort: number,
    readonly httpPort: number,
    private readonly args: readonly string[],
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** A replica serving `cloudsYaml` (default cloud `sim`) with `configFile` and more flags. */
  static async create(name: string, cloudsYaml: string, args: readonly string[]): Promise<Replica> {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("OS_")) env[key] = value;
    Object.assign(env, { OS_CLIENT_CONFIG_FILE: cloudsYaml, OS_CLOUD: "sim" });
    return new Replica(name, await freePort(), await freePort(), args, env);
  }

  get address(): string {
    return `127.0.0.1:${this.grpcPort}`;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  /** What it logged on stderr (JSON lines) since it started. */
  get stderr(): string {
    return this.#stderr;
  }

  /** `/healthz`'s body. */
  async health(): Promise<{ status: string; state?: { backend: string; mode: string; failovers: number } }> {
    const response = await fetch(`http://127.0.0.1:${this.httpPort}/healthz`, {
      signal: AbortSignal.timeout(5000),
    });
    return (await response.json()) as { status: string };
  }

  /** Starts it; resolves once it says it serves (bounded: 60 s). */
  async start(): Promise<void> {
    const child = spawn(
      process.execPath,
      [bin, "serve", "--listen", this.address, "--http-listen", `127.0.0.1:${this.httpPort}`, ...this.args],
      { env: this.env, stdio: ["ignore", "pipe", "pipe"] },
    );
    this.#child = child;
    this.#stderr = "";
    child.stderr?.on("data", (data: Buffer) => {
      this.#stderr += String(data);
    });
    child.once("exit", () => {
      if (this.#child === child) this.#child = undefined;
    });
    let out = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name}: oaktree serve did not start in 60 s: ${out}${this.#stderr}`)),
        60_000,
      );
      child.stdout?.on("data", (data: Buffer) => {
        out += String(data);
        if (out.includes("oaktree is serving gRPC")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(
          new Error(`${this.name}: oaktree serve exited (${code}) before serving: ${out}${this.#stderr}`),
        );
      });
    });
  }

  /** SIGKILL: no shutdown code runs (a crash, an OOM kill, a lost node). */
  async kill(): Promise<void> {
    await this.#end("SIGKILL");
  }

  /** SIGTERM, SIGKILL after 15 s. */
  async stop(): Promise<void> {
    const child = this.#child;
    const timer = setTimeout(() => child?.kill("SIGKILL"), 15_000);
    await this.#end("SIGTERM");
    clearTimeout(timer);
  }

  async #end(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill(signal);
    await gone;
    this.#child = undefined;
  }
}
