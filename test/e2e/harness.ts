import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, it } from "vitest";
import { type RawSession, rawLogin, readCloudEntry } from "./raw-client.js";

/** Where the end-to-end suite finds its real cloud (see docs/testing.md). */
export interface E2eCloud {
  /** The clouds.yaml that holds the clouds below. */
  readonly configFile: string;
  /** A cloud with an ordinary member role in its project (the recipe's `devstack`). */
  readonly cloud: string;
  /** A cloud with the admin role (the recipe's `devstack-admin`); tests that need it skip or fail without it. */
  readonly adminCloud: string | undefined;
}

/** The one-line reason printed when the suite has no cloud. */
export const E2E_MISSING_REASON =
  "no real OpenStack (set OS_CLIENT_CONFIG_FILE and OAKTREE_E2E_CLOUD, see docs/testing.md)";

/** True when running under CI (`CI=true`): a missing component is then a failure, never a skip. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === "true";
}

/**
 * Reads the suite's cloud from the environment, or undefined when none is configured.
 *
 * - `OAKTREE_E2E_CLOUD`: the member cloud's name. `OS_CLOUD` is used instead only when
 *   `OAKTREE_E2E=1`, so that a shell with OS_CLOUD set for daily work does not create test
 *   servers in that cloud by accident.
 * - `OAKTREE_E2E_ADMIN_CLOUD`: the admin cloud's name (optional).
 * - `OS_CLIENT_CONFIG_FILE`, else the first clouds.yaml of ./, ~/.config/openstack/, /etc/openstack/.
 */
export function e2eCloud(env: NodeJS.ProcessEnv = process.env): E2eCloud | undefined {
  const cloud = env.OAKTREE_E2E_CLOUD || (env.OAKTREE_E2E === "1" ? env.OS_CLOUD : undefined);
  if (!cloud) return undefined;
  const candidates = env.OS_CLIENT_CONFIG_FILE
    ? [env.OS_CLIENT_CONFIG_FILE]
    : ["clouds.yaml", join(homedir(), ".config/openstack/clouds.yaml"), "/etc/openstack/clouds.yaml"];
  const configFile = candidates.find((f) => existsSync(f));
  if (!configFile) return undefined;
  return { configFile, cloud, adminCloud: env.OAKTREE_E2E_ADMIN_CLOUD || undefined };
}

/** A component some tests need (a real cloud, redis-server, python3-grpcio, ...), checked once. */
export interface ComponentGate {
  readonly name: string;
  readonly available: boolean;
  readonly reason: string;
  /**
   * Like vitest's `describe`, gated on the component: runs the block when it is available;
   * otherwise skips it (printing one line with the reason, once per test file), or under
   * `CI=true` replaces it with one failing test that names the component and the reason.
   */
  describe(title: string, body: () => void): void;
}

const announced = new Set<string>();

/**
 * What a gate does with its block: run it when the component is there; otherwise skip it by
 * hand, and fail it under `CI=true` (a missing component is never a skip in CI).
 */
export function gateMode(available: boolean, env: NodeJS.ProcessEnv = process.env): "run" | "skip" | "fail" {
  if (available) return "run";
  return isCi(env) ? "fail" : "skip";
}

/**
 * Checks a component that some tests need. `check` runs once, at collection time; it returns
 * true when the component is usable. `reason` says what is missing and how to get it.
 *
 * @example
 * const redis = requireComponent("redis-server", () => existsSync("/usr/bin/redis-server"),
 *   "no /usr/bin/redis-server (apt-get install redis-server)");
 * redis.describe("redis backend", () => { it("...", async () => { ... }); });
 */
export function requireComponent(
  name: string,
  check: () => boolean,
  reason: string,
  env: NodeJS.ProcessEnv = process.env,
): ComponentGate {
  let available: boolean;
  try {
    available = check();
  } catch {
    available = false;
  }
  const mode = gateMode(available, env);
  return {
    name,
    available,
    reason,
    describe(title, body) {
      if (mode === "run") {
        describe(title, body);
      } else if (mode === "fail") {
        describe(title, () => {
          it(`needs ${name}`, () => {
            throw new Error(`${name} is required under CI=true but is missing: ${reason}`);
          });
        });
      } else {
        if (!announced.has(name)) {
          announced.add(name);
          console.info(`${name}: skipped: ${reason}`);
        }
        describe.skip(title, body);
      }
    },
  };
}

/** The gate of the real-OpenStack suite. */
export function e2eGate(env: NodeJS.ProcessEnv = process.env): ComponentGate {
  return requireComponent("e2e", () => e2eCloud(env) !== undefined, E2E_MISSING_REASON, env);
}

/**
 * A unique name prefix for this run, `oaktree-e2e-<runid>-`: everything the suite creates is
 * named with it, so that the leak check and a human can find it.
 */
export const runPrefix = `oaktree-e2e-${Date.now().toString(36)}${Math.floor(Math.random() * 1296)
  .toString(36)
  .padStart(2, "0")}-`;

/** Logs into the suite's member cloud (or the admin cloud) with the suite's own raw client. */
export async function loginE2e(which: "member" | "admin" = "member"): Promise<RawSession> {
  const e2e = e2eCloud();
  if (!e2e) throw new Error(E2E_MISSING_REASON);
  const name = which === "admin" ? e2e.adminCloud : e2e.cloud;
  if (!name)
    throw new Error("this test needs OAKTREE_E2E_ADMIN_CLOUD (an admin cloud in the same clouds.yaml)");
  return rawLogin(readCloudEntry(e2e.configFile, name));
}

/**
 * An ordered list of undo actions: tests push one for each thing they create and `run()`
 * (in afterAll) undoes them newest first, trying every one and reporting all failures at once.
 */
export class Cleanup {
  private readonly steps: { what: string; undo: () => Promise<unknown> }[] = [];

  /** Registers how to undo one creation. */
  push(what: string, undo: () => Promise<unknown>): void {
    this.steps.push({ what, undo });
  }

  /** Undoes everything registered, newest first; throws one error listing every failed step. */
  async run(): Promise<void> {
    const failures: string[] = [];
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.undo();
      } catch (error) {
        failures.push(`${step.what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length > 0) throw new Error(`cleanup failed:\n${failures.join("\n")}`);
  }
}
