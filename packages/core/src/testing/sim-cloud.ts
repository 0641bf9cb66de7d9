import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ProfileName, type Simulator, type SimulatorOptions, startSimulator } from "@oaktree/sim";
import { type CloudContext, type CloudOptions, createCloudContext } from "../cloud/context.js";
import { loadCloudConfigFromDisk } from "../config/load.js";
import type { CloudConfig } from "../config/types.js";
import { type CloudConnection, type ConnectOptions, connect } from "../connection/connect.js";

/** A simulator plus a porcelain context connected to it (integration tests only). */
export interface SimCloud {
  readonly sim: Simulator;
  readonly config: CloudConfig;
  readonly connection: CloudConnection;
  readonly ctx: CloudContext;
  /** Another context on the same simulator (a fresh connection; `cloud: "sim-admin"` for admin). */
  context(options?: SimContextOptions): Promise<CloudContext>;
  /** Stops the watches, closes the connections, stops the simulator, removes the temp dir. */
  close(): Promise<void>;
}

/** Options of {@link startSimCloud} and {@link SimCloud.context}. */
export interface SimContextOptions {
  /** Cloud name in the simulator's clouds.yaml: `sim` (demo member, default) or `sim-admin`. */
  readonly cloud?: string;
  /** clouds.yaml-shaped settings that beat the file (e.g. `{ floating_ip_source: "nova" }`). */
  readonly overrides?: Readonly<Record<string, unknown>>;
  /** Context tunables; `pollIntervalMs` defaults to 50 here so that waits are quick. */
  readonly cloudOptions?: CloudOptions;
  /** connect() options; `retry` defaults to false so that injected faults surface. */
  readonly connectOptions?: ConnectOptions;
}

/**
 * Starts a simulator with `profile` and builds a {@link CloudContext} against it, the way a
 * user would: clouds.yaml written by the simulator, loaded through the config layer.
 *
 * @example
 * const cloud = await startSimCloud("kilo");
 * try {
 *   const caps = await getCapabilities(cloud.ctx);
 * } finally {
 *   await cloud.close();
 * }
 */
export async function startSimCloud(
  profile: ProfileName = "modern",
  options: SimContextOptions & { readonly simulator?: Omit<SimulatorOptions, "profile"> } = {},
): Promise<SimCloud> {
  const sim = await startSimulator({ ...options.simulator, profile });
  const dir = mkdtempSync(join(tmpdir(), "oaktree-sim-cloud-"));
  const path = await sim.writeCloudsYaml(join(dir, "clouds.yaml"));
  const contexts: { ctx: CloudContext; connection: CloudConnection }[] = [];

  async function open(opts: SimContextOptions) {
    const config = await loadCloudConfigFromDisk({
      cloud: opts.cloud ?? "sim",
      env: { OS_CLIENT_CONFIG_FILE: path },
      cwd: dir,
      home: dir,
      ...(opts.overrides && { overrides: opts.overrides }),
    });
    const connection = await connect(config, { retry: false, ...opts.connectOptions });
    const ctx = createCloudContext(connection, { pollIntervalMs: 50, ...opts.cloudOptions });
    contexts.push({ ctx, connection });
    return { config, connection, ctx };
  }

  try {
    const first = await open(options);
    return {
      sim,
      ...first,
      context: async (opts = {}) => (await open(opts)).ctx,
      async close() {
        for (const { ctx, connection } of contexts.splice(0)) {
          await ctx.watches.close();
          await connection.close();
        }
        await sim.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
