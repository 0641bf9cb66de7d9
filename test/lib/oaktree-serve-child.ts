/**
 * `oaktree serve` in a child process, as an operator runs it (the CLI's bin, a clouds.yaml, a
 * server config file), for the tests and benchmarks that need a real process: to SIGKILL it, to
 * restart it, to run several, or to measure it apart from the clients.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { endChild, freePort, isAlive, killOnExit, waitForLine } from "./processes.js";

const bin = fileURLToPath(new URL("../../packages/cli/bin/oaktree.js", import.meta.url));
const memoryHookFile = fileURLToPath(new URL("../soak/memory-hook.mjs", import.meta.url));

/** The line the memory hook prints on SIGUSR2 (test/soak/memory-hook.mjs). */
const MEMORY_LINE = "OAKTREE_SOAK_MEMORY ";
/** How much of its stderr is kept in memory (the rest goes to the log file, when there is one). */
const STDERR_TAIL = 16_000;
/** How long a start may take before it counts as failed (a loaded 2-core machine is slow). */
const START_TIMEOUT_MS = 60_000;

/** The memory of the oaktree process after two full GCs (bytes). */
export interface MemorySample {
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly rss: number;
  readonly external: number;
}

/** How to run it; every field is optional. */
export interface OaktreeServeOptions {
  /** Its server config file (`--config`). */
  readonly config?: string;
  /** More flags of `oaktree serve` (`--state URL`, `--auth deployer`). */
  readonly args?: readonly string[];
  /** Flags for node itself, before the bin (`--cpu-prof`, `--trace-warnings`). */
  readonly nodeArgs?: readonly string[];
  /** `--log-level`; left to its config when absent. With `logFile`, always `trace`. */
  readonly logLevel?: string;
  /** Every stderr line is appended to this file, and it logs at trace level (diagnostics). */
  readonly logFile?: string;
  /** Loads the soak's memory hook (`--expose-gc`), which {@link OaktreeServeChild.memory} reads. */
  readonly memoryHook?: boolean;
  /** `false`: `--http-listen off` (gRPC only; {@link OaktreeServeChild.httpPort} is undefined). */
  readonly http?: boolean;
  /** Its default cloud, OS_CLOUD (default `sim`). */
  readonly cloud?: string;
  /** More environment variables (over this process's, whose OS_* are left out). */
  readonly env?: NodeJS.ProcessEnv;
  /** Its working directory. */
  readonly cwd?: string;
  /** Also copy its stderr to this process's stderr (a benchmark's console). */
  readonly echoStderr?: boolean;
  /** A name for error messages (several replicas). */
  readonly name?: string;
}

/**
 * One `oaktree serve` on fixed free loopback ports, picked once, so that a restart is found where
 * the clients' channels point. start() after kill() or stop() is a restart.
 */
export class OaktreeServeChild {
  readonly #argv: readonly string[];
  readonly #env: NodeJS.ProcessEnv;
  readonly #options: OaktreeServeOptions;
  readonly #log: WriteStream | undefined;
  #child: ChildProcess | undefined;
  #stderr = "";
  #partial = "";
  #memoryWaiters: ((sample: MemorySample) => void)[] = [];
  /** How many times it was started. */
  starts = 0;

  private constructor(
    readonly grpcPort: number,
    readonly httpPort: number | undefined,
    cloudsYaml: string,
    options: OaktreeServeOptions,
  ) {
    this.#options = options;
    this.#log =
      options.logFile === undefined ? undefined : createWriteStream(options.logFile, { flags: "a" });
    // Only the clouds.yaml says which cloud: an OS_* of the developer's shell would change it.
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) if (!name.startsWith("OS_")) env[name] = value;
    this.#env = {
      ...env,
      ...options.env,
      OS_CLIENT_CONFIG_FILE: cloudsYaml,
      OS_CLOUD: options.cloud ?? "sim",
    };
    const logLevel = this.#log ? "trace" : options.logLevel;
    this.#argv = [
      ...(options.memoryHook ? ["--expose-gc", "--import", memoryHookFile] : []),
      ...(options.nodeArgs ?? []),
      bin,
      "serve",
      "--listen",
      this.address,
      "--http-listen",
      httpPort === undefined ? "off" : `127.0.0.1:${httpPort}`,
      ...(logLevel === undefined ? [] : ["--log-level", logLevel]),
      ...(options.config === undefined ? [] : ["--config", options.config]),
      ...(options.args ?? []),
    ];
  }

  /** Picks its ports; `cloudsYaml` is the clouds.yaml it serves. Start it with {@link start}. */
  static async create(cloudsYaml: string, options: OaktreeServeOptions = {}): Promise<OaktreeServeChild> {
    const httpPort = options.http === false ? undefined : await freePort();
    return new OaktreeServeChild(await freePort(), httpPort, cloudsYaml, options);
  }

  /** `127.0.0.1:PORT` of its gRPC listener. */
  get address(): string {
    return `127.0.0.1:${this.grpcPort}`;
  }

  /** `http://127.0.0.1:PORT` of its Connect/JSON listener (`/healthz`, `/metrics`), if it has one. */
  get httpUrl(): string | undefined {
    return this.httpPort === undefined ? undefined : `http://127.0.0.1:${this.httpPort}`;
  }

  /** Its name (for messages): the `name` option, else `oaktree`. */
  get name(): string {
    return this.#options.name ?? "oaktree";
  }

  /** Its process id while it runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Whether it was started and has not exited since. */
  get running(): boolean {
    return this.#child !== undefined;
  }

  /** The end of what it wrote on stderr since it last started (JSON log lines; memory lines left out). */
  get stderr(): string {
    return this.#stderr;
  }

  /** Starts it; resolves once it says it serves, rejects with its output if it exits or takes 60 s. */
  async start(): Promise<void> {
    if (this.#child) throw new Error(`${this.#what}: already running (pid ${this.#child.pid})`);
    const child = killOnExit(
      spawn(process.execPath, this.#argv, {
        env: this.#env,
        stdio: ["ignore", "pipe", "pipe"],
        ...(this.#options.cwd !== undefined && { cwd: this.#options.cwd }),
      }),
    );
    this.#child = child;
    this.starts += 1;
    this.#stderr = "";
    this.#partial = "";
    child.stderr?.on("data", (data: Buffer) => this.#onStderr(String(data)));
    child.once("exit", () => {
      if (this.#child === child) this.#child = undefined;
    });
    try {
      await waitForLine(child, /oaktree is serving gRPC/, {
        timeoutMs: START_TIMEOUT_MS,
        what: this.#what,
        output: () => this.#stderr + this.#partial,
      });
    } catch (error) {
      // One that never said it serves is not left behind, holding the ports.
      await this.kill();
      throw error;
    }
  }

  /** SIGKILL: no shutdown code runs (a crash, an OOM kill, a lost node). Resolves once it is gone. */
  async kill(): Promise<void> {
    await endChild(this.#child, { signal: "SIGKILL" });
    this.#child = undefined;
  }

  /** SIGTERM (a graceful stop), SIGKILL after 15 s; resolves once it is gone, and closes the log file. */
  async stop(): Promise<void> {
    await endChild(this.#child, { signal: "SIGTERM", graceMs: 15_000 });
    this.#child = undefined;
    this.#log?.end();
  }

  /** Its memory after two full GCs, from the memory hook (bounded: 10 s). */
  async memory(): Promise<MemorySample> {
    if (!this.#options.memoryHook) throw new Error(`${this.#what}: started without the memory hook`);
    const child = this.#child;
    if (!child || !isAlive(child)) throw new Error(`${this.#what}: not running`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.#what}: no memory sample in 10 s`)), 10_000);
      this.#memoryWaiters.push((sample) => {
        clearTimeout(timer);
        resolve(sample);
      });
      child.kill("SIGUSR2");
    });
  }

  get #what(): string {
    return this.#options.name === undefined ? "oaktree serve" : `${this.#options.name}: oaktree serve`;
  }

  #onStderr(text: string): void {
    if (this.#options.echoStderr) process.stderr.write(text);
    const lines = (this.#partial + text).split("\n");
    this.#partial = (lines.pop() ?? "").slice(-STDERR_TAIL);
    for (const line of lines) {
      if (line.startsWith(MEMORY_LINE)) {
        const sample = JSON.parse(line.slice(MEMORY_LINE.length)) as MemorySample;
        for (const waiter of this.#memoryWaiters.splice(0)) waiter(sample);
      } else if (line !== "") {
        this.#log?.write(`${line}\n`);
        this.#stderr = `${this.#stderr}${line}\n`.slice(-STDERR_TAIL);
      }
    }
  }
}
