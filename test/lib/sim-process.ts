/**
 * Starts the simulator in a child process (sim-child.ts) for the load run and the benchmarks,
 * which measure oaktree and its clients apart from the cloud they talk to.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { SimulatorOptions } from "@oaktree/sim";
import { endChild, killOnExit, waitForLine } from "./processes.js";

const simChildFile = fileURLToPath(new URL("./sim-child.ts", import.meta.url));
const root = fileURLToPath(new URL("../../", import.meta.url));

/** What sim-child.ts is told (its argument, as JSON). */
export interface SimChildOptions {
  readonly simulator?: SimulatorOptions;
  /** Lifts the demo project's compute and port quotas (a load run creates thousands of servers). */
  readonly liftQuotas?: boolean;
}

/** A simulator in a child process. */
export interface SimChild {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Its base URL (`http://127.0.0.1:PORT`); the admin API is under `/_sim/`. */
  readonly url: string;
  /** Its clouds.yaml (clouds `sim` and `sim-admin`). */
  readonly cloudsYaml: string;
  /** Closes its stdin (it stops and removes its files), SIGKILL after 5 s; resolves once it is gone. */
  stop(): Promise<void>;
}

/** Starts the simulator in a child process; resolves once it serves (bounded: 60 s). */
export async function startSimChild(options: SimChildOptions = {}): Promise<SimChild> {
  const child = killOnExit(
    spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=oaktree-source", simChildFile, JSON.stringify(options)],
      { stdio: ["pipe", "pipe", "inherit"], cwd: root },
    ),
  );
  const line = await waitForLine(child, /^\{/, { timeoutMs: 60_000, what: "the simulator" }).catch(
    async (error: unknown) => {
      await endChild(child, { signal: "SIGKILL" });
      throw error;
    },
  );
  const { url, cloudsYaml } = JSON.parse(line) as { url: string; cloudsYaml: string };
  return {
    child,
    pid: child.pid as number,
    url,
    cloudsYaml,
    stop: () => endChild(child, { graceMs: 5000, end: () => child.stdin?.end() }),
  };
}
