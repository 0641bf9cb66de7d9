import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DescService } from "@bufbuild/protobuf";
import { type Client, createClient, createRouterTransport, type Transport } from "@connectrpc/connect";
import { type CloudOptions, listCloudConfigsFromDisk } from "@oaktree/core";
import { type ProfileName, type Simulator, type SimulatorOptions, startSimulator } from "@oaktree/sim";
import { CloudRegistry } from "../clouds.js";
import { createHandlers, type HandlerDeps, type ServiceHandlers } from "../handlers/index.js";

/** A simulator, a CloudRegistry on its clouds.yaml, and oaktree's handlers in memory (tests). */
export interface SimServer {
  readonly sim: Simulator;
  readonly clouds: CloudRegistry;
  /** An in-memory Connect transport serving every handler (errors mapped as the listeners do). */
  readonly transport: Transport;
  /** A typed client of one service over {@link transport}. */
  client<S extends DescService>(service: S): Client<S>;
  close(): Promise<void>;
}

export interface SimServerOptions {
  readonly simulator?: Omit<SimulatorOptions, "profile">;
  /** Poll interval etc.; pollIntervalMs defaults to 50 so that waits are quick. */
  readonly cloudOptions?: CloudOptions;
  /** Which handlers to serve (default: createHandlers). */
  readonly handlers?: (deps: HandlerDeps) => ServiceHandlers[];
}

/**
 * Starts a simulator with `profile` and serves oaktree's handlers over an in-memory Connect
 * transport, with the simulator's clouds "sim" (default) and "sim-admin" configured.
 */
export async function startSimServer(
  profile: ProfileName = "modern",
  options: SimServerOptions = {},
): Promise<SimServer> {
  const sim = await startSimulator({ ...options.simulator, profile });
  const dir = mkdtempSync(join(tmpdir(), "oaktree-sim-server-"));
  try {
    const path = await sim.writeCloudsYaml(join(dir, "clouds.yaml"));
    const configs = await listCloudConfigsFromDisk({
      env: { OS_CLIENT_CONFIG_FILE: path },
      cwd: dir,
      home: dir,
    });
    const clouds = new CloudRegistry({
      configs,
      defaultCloud: "sim",
      cloudOptions: { pollIntervalMs: 50, ...options.cloudOptions },
    });
    const services = (options.handlers ?? createHandlers)({ clouds });
    const transport = createRouterTransport((router) => {
      for (const { service, impl } of services) router.service(service, impl);
    });
    return {
      sim,
      clouds,
      transport,
      client: (service) => createClient(service, transport),
      async close() {
        await clouds.close();
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
