import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listCloudConfigsFromDisk } from "@oaktree/core";
import { type ProfileName, type Simulator, startSimulator } from "@oaktree/sim";
import { resolveServerSettings, type ServerConfigFile, type ServerFlags } from "../config.js";
import { type RunningServer, type ServeOptions, serve } from "../serve.js";

/** A simulator and a real `serve()` on it, both on 127.0.0.1 with free ports (tests). */
export interface SimServe {
  readonly sim: Simulator;
  readonly server: RunningServer;
  close(): Promise<void>;
}

/**
 * Starts the simulator (`profile`) and `serve()` on its clouds.yaml (clouds "sim", the
 * default, and "sim-admin"), with listeners on 127.0.0.1:0 unless `file`/`flags` say otherwise.
 */
export async function startSimServe(
  options: {
    readonly profile?: ProfileName;
    readonly file?: ServerConfigFile;
    readonly flags?: ServerFlags;
  } & Omit<ServeOptions, "settings" | "configs"> = {},
): Promise<SimServe> {
  const { profile = "modern", file, flags, ...serveOptions } = options;
  const sim = await startSimulator({ profile });
  const dir = mkdtempSync(join(tmpdir(), "oaktree-serve-"));
  try {
    const path = await sim.writeCloudsYaml(join(dir, "clouds.yaml"));
    const configs = await listCloudConfigsFromDisk({
      env: { OS_CLIENT_CONFIG_FILE: path },
      cwd: dir,
      home: dir,
    });
    const settings = resolveServerSettings(file, {
      listen: "127.0.0.1:0",
      httpListen: "127.0.0.1:0",
      ...flags,
    });
    const server = await serve({
      settings,
      configs,
      defaultCloud: "sim",
      cloudOptions: { pollIntervalMs: 50 },
      ...serveOptions,
    });
    return {
      sim,
      server,
      async close() {
        await server.stop();
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
