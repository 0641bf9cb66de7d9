import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../../packages/cli/bin/oaktree.js", import.meta.url));
const memoryHook = fileURLToPath(new URL("./memory-hook.mjs", import.meta.url));

/** How much of its stderr is kept in memory (the rest goes to the log file, when there is one). */
const STDERR_TAIL = 16_000;

/** The memory of the oaktree process after two full GCs (bytes). */
export interface MemorySample {
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly rss: number;
  readonly external: number;
}

/** A free loopback port (bound then released; the child binds it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * `oaktree serve` in a child process on fixed loopback ports, so that it can be SIGKILLed and started
 * again where the clients' channels point. Its memory is read through the soak's memory hook.
 */
export class OaktreeProcess {
  readonly grpcPort: number;
  readonly httpPort: number;
  readonly #env: NodeJS.ProcessEnv;
  readonly #config: string | undefined;
  readonly #args: readonly string[];
  readonly #log: WriteStream | undefined;
  #child: ChildProcess | undefined;
  #stderr = "";
  #partial = "";
  #memoryWaiters: ((sample: MemorySample) => void)[] = [];
  /** How many times it was started. */
  starts = 0;

  private constructor(
    grpcPort: number,
    httpPort: number,
    env: NodeJS.ProcessEnv,
    config: string | undefined,
    args: readonly string[],
    logFile: string | undefined,
  ) {
    this.#args = args;
    this.#log = logFile === undefined ? undefined : createWriteStream(logFile, { flags: "a" });
    this.grpcPort = grpcPort;
    this.httpPort = httpPort;
    this.#env = env;
    this.#config = config;
  }

  /**
   * Picks the ports; `cloudsYaml` is the clouds.yaml it serves (default cloud `sim`), `config` its
   * server config file (`--config`), `args` more flags of `oaktree serve` (`--state URL`). With
   * `logFile`, it logs at trace level and every line is appended there (diagnostics).
   */
  static async create(
    cloudsYaml: string,
    config?: string,
    args: readonly string[] = [],
    logFile?: string,
  ): Promise<OaktreeProcess> {
    const env: NodeJS.ProcessEnv = { ...process.env, OS_CLIENT_CONFIG_FILE: cloudsYaml, OS_CLOUD: "sim" };
    for (const name of Object.keys(env))
      if (name.startsWith("OS_") && !["OS_CLIENT_CONFIG_FILE", "OS_CLOUD"].includes(name)) delete env[name];
    return new OaktreeProcess(await freePort(), await freePort(), env, config, args, logFile);
  }

  get address(): string {
    return `127.0.0.1:${this.grpcPort}`;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Starts it and resolves once it prints that it serves (bounded: 60 s). */
  async start(): Promise<void> {
    if (this.#child) throw new Error("oaktree is already running");
    const child = spawn(
      process.execPath,
      [
        "--expose-gc",
        "--trace-warnings",
        "--import",
        memoryHook,
        bin,
        "serve",
        "--listen",
        this.address,
        "--http-listen",
        `127.0.0.1:${this.httpPort}`,
        "--log-level",
        this.#log ? "trace" : "error",
        ...(this.#config ? ["--config", this.#config] : []),
        ...this.#args,
      ],
      { env: this.#env, stdio: ["ignore", "pipe", "pipe"] },
    );
    this.#child = child;
    this.starts += 1;
    this.#stderr = "";
    child.stderr!.on("data", (data: Buffer) => this.#onStderr(String(data)));
    child.on("exit", () => {
      if (this.#child === child) this.#child = undefined;
    });
    let out = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`oaktree serve did not start in 60 s: ${out}${this.#stderr}`)),
        60_000,
      );
      child.stdout!.on("data", (data: Buffer) => {
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

  /** SIGKILL: no shutdown code runs (a crash, an OOM kill, a lost node). Resolves once it is gone. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGKILL");
    await gone;
    this.#child = undefined;
  }

  /** SIGTERM (a graceful stop), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await gone;
    clearTimeout(timer);
    this.#child = undefined;
    this.#log?.end();
  }

  /** The memory after two full GCs, from the memory hook (bounded: 10 s). */
  async memory(): Promise<MemorySample> {
    const child = this.#child;
    if (!child) throw new Error("oaktree is not running");
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no memory sample from oaktree in 10 s")), 10_000);
      this.#memoryWaiters.push((sample) => {
        clearTimeout(timer);
        resolve(sample);
      });
      child.kill("SIGUSR2");
    });
  }

  /** The end of what it wrote on stderr since it last started (memory lines left out). */
  get stderr(): string {
    return this.#stderr;
  }

  #onStderr(text: string): void {
    const lines = (this.#partial + text).split("\n");
    this.#partial = lines.pop() ?? "";
    for (const line of lines) {
      if (line.startsWith("OAKTREE_SOAK_MEMORY ")) {
        const sample = JSON.parse(line.slice("OAKTREE_SOAK_MEMORY ".length)) as MemorySample;
        for (const waiter of this.#memoryWaiters.splice(0)) waiter(sample);
      } else if (line !== "") {
        this.#log?.write(`${line}\n`);
        this.#stderr = `${this.#stderr.slice(-STDERR_TAIL)}${line}\n`;
      }
    }
  }
}
