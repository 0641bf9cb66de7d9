import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ProfileName, type Simulator, type SimulatorOptions, startSimulator } from "@oaktree/sim";
import { vi } from "vitest";
import { main } from "../../main.js";

/** What one `oaktree …` run printed, and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** A simulator and the environment that points the CLI's in-process service at it (tests). */
export interface CliSim {
  readonly sim: Simulator;
  /** Its clouds.yaml (clouds "sim", the default, and "sim-admin"). */
  readonly cloudsFile: string;
  /** A server config with a 50 ms poll interval (OAKTREE_CONFIG), so that waits are quick. */
  readonly configFile: string;
  readonly dir: string;
  /** The variables a child `oaktree` process needs (for tmux tests). */
  readonly env: Record<string, string>;
  /** Runs main() in this process with stdout and stderr captured. */
  run(...argv: string[]): Promise<CliRun>;
  close(): Promise<void>;
}

/**
 * Starts a simulator and stubs the environment (OS_CLIENT_CONFIG_FILE, OAKTREE_CONFIG, HOME;
 * no other OS_* variable) so that `oaktree` commands run by {@link CliSim.run} use it.
 * Call close() in afterAll/afterEach; it restores the environment.
 */
export async function startCliSim(
  profile: ProfileName = "modern",
  options: Omit<SimulatorOptions, "profile"> = {},
): Promise<CliSim> {
  const sim = await startSimulator({ buildDelayMs: 300, ...options, profile });
  const dir = mkdtempSync(join(tmpdir(), "oaktree-cli-sim-"));
  const cloudsFile = await sim.writeCloudsYaml(join(dir, "clouds.yaml"));
  const configFile = join(dir, "oaktree.yaml");
  writeFileSync(configFile, "watch:\n  poll_interval_ms: 50\n");
  const env = { OS_CLIENT_CONFIG_FILE: cloudsFile, OAKTREE_CONFIG: configFile, HOME: dir, OS_CLOUD: "sim" };
  isolateCliEnv(env);
  return {
    sim,
    cloudsFile,
    configFile,
    dir,
    env,
    run: runCli,
    async close() {
      vi.unstubAllEnvs();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Stubs the environment so that the CLI sees only `env`: no OS_* variable, OAKTREE_SERVER or
 * XDG_CONFIG_HOME of the developer's shell. Undo with `vi.unstubAllEnvs()`.
 */
export function isolateCliEnv(env: Record<string, string>): void {
  for (const name of Object.keys(process.env)) if (name.startsWith("OS_")) vi.stubEnv(name, undefined);
  vi.stubEnv("OAKTREE_SERVER", undefined);
  vi.stubEnv("XDG_CONFIG_HOME", undefined);
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}

/** Runs the CLI in-process with stdout and stderr captured (stdout is not a TTY). */
export async function runCli(...argv: string[]): Promise<CliRun> {
  let out = "";
  let err = "";
  const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  try {
    return { code: await main(argv), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}
