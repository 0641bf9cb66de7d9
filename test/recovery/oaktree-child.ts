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

/**
 * `oaktree serve` in a child process on fixed loopback ports (so that a restart is found where
 * the clients point), as a user runs it: the CLI's bin, a clouds.yaml, a server config file.
 */
export class OaktreeChild {
  #child: ChildProcess | undefined;
  #stderr = "";

  private constructor(
    readonly grpcPort: number,
    readonly httpPort: number,
    private readonly args: readonly string[],
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** `cloudsYaml` with default cloud `sim`; `configFile`: the server config; `extra`: more flags. */
  static async create(cloudsYaml: string, configFile: string, extra: readonly string[] = []) {
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) if (!name.startsWith("OS_")) env[name] = value;
    Object.assign(env, { OS_CLIENT_CONFIG_FILE: cloudsYaml, OS_CLOUD: "sim" });
    return new OaktreeChild(await freePort(), await freePort(), ["--config", configFile, ...extra], env);
  }

  get address(): string {
    return `127.0.0.1:${this.grpcPort}`;
  }

  /** What it wrote on stderr since it last started (JSON log lines). */
  get stderr(): string {
    return this.#stderr;
  }

  /** Starts it; resolves once it says it serves (bounded: 60 s). */
  async start(): Promise<void> {
    const child = spawn(
      process.execPath,
      [
        bin,
        "serve",
        "--listen",
        this.address,
        "--http-listen",
        `127.0.0.1:${this.httpPort}`,
        "--log-level",
        "warn",
        ...this.args,
      ],
      { env: this.env, stdio: ["ignore", "pipe", "pipe"] },
    );
    this.#child = child;
    this.#stderr = "";
    child.stderr?.on("data", (data: Buffer) => {
      this.#stderr += String(data);
    });
    let out = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`oaktree serve did not start in 60 s: ${out}${this.#stderr}`)),
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
        reject(new Error(`oaktree serve exited (${code}) before serving: ${out}${this.#stderr}`));
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
