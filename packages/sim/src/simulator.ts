import { writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getRequestListener } from "@hono/node-server";
import { SimAdmin } from "./admin/admin.js";
import { registerAdminRoutes } from "./admin/http.js";
import { applySeed, type SeedSpec } from "./admin/seed.js";
import { cloudsYaml } from "./clouds-yaml.js";
import { createApp } from "./core/app.js";
import { FaultTable } from "./core/faults.js";
import { RequestLog } from "./core/request-log.js";
import type { ServiceModule, SimState } from "./core/service.js";
import { World } from "./core/world.js";
import { getProfile, type Profile, type ProfileName } from "./profiles.js";
import { SERVICE_MODULES } from "./services/index.js";

/** Options of {@link startSimulator}. */
export interface SimulatorOptions {
  /** Cloud profile (default `modern`). */
  readonly profile?: ProfileName;
  /** Listen address; loopback only (default `127.0.0.1`). */
  readonly host?: string;
  /** Port; 0 (default) picks a free one. */
  readonly port?: number;
  /** How long new servers stay in BUILD, ms (default 500). */
  readonly buildDelayMs?: number;
  /** How long deleted servers show `deleting` before they are gone, ms (default 200). */
  readonly deleteDelayMs?: number;
  /** Lifetime of issued tokens, seconds (default 3600). */
  readonly tokenLifetimeSeconds?: number;
  /**
   * Whether nova shows floating IPs in server addresses (default true). false mimics a cloud
   * without an L3 agent, where nova never learns of them (the CI's OpenStack Zed).
   */
  readonly floatingIpsInAddresses?: boolean;
  /** Extra state on top of the fresh-devstack one. */
  readonly seed?: SeedSpec;
  /** Replaces the service modules (tests of the framework). */
  readonly modules?: readonly ServiceModule[];
  /** Request log capacity (default 10,000 entries). */
  readonly logCapacity?: number;
}

/** A running simulator. */
export interface Simulator {
  /** Base URL, `http://127.0.0.1:PORT` (services under `/identity`, `/compute`, ...). */
  readonly url: string;
  readonly profile: Profile;
  /** A clouds.yaml with clouds `sim` (demo member) and `sim-admin` (admin). */
  cloudsYaml(): string;
  /** Writes {@link cloudsYaml} (default: a fresh file under the OS temp dir); returns the path. */
  writeCloudsYaml(path?: string): Promise<string>;
  /** Request log, counters, faults, clock, seeding. */
  readonly admin: SimAdmin;
  /** Closes the listener and every open connection. */
  stop(): Promise<void>;
}

/**
 * Starts an OpenStack API simulator on loopback.
 *
 * @example
 * const sim = await startSimulator({ profile: "kilo" });
 * process.env.OS_CLIENT_CONFIG_FILE = await sim.writeCloudsYaml();
 * // ... run clients against cloud "sim" ...
 * await sim.stop();
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const profile = getProfile(options.profile ?? "modern");
  const host = options.host ?? "127.0.0.1";
  if (!["127.0.0.1", "localhost", "::1"].includes(host)) {
    throw new TypeError(`host: the simulator listens on loopback only, got "${host}"`);
  }
  const world = new World(profile, {
    buildDelayMs: options.buildDelayMs ?? 500,
    deleteDelayMs: options.deleteDelayMs ?? 200,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
  });
  world.floatingIpsInAddresses = options.floatingIpsInAddresses ?? true;
  const modules = (options.modules ?? SERVICE_MODULES).filter((m) => m.enabled(profile));
  const sim: SimState = {
    world,
    profile,
    log: new RequestLog(options.logCapacity ?? 10_000),
    faults: new FaultTable(),
    modules,
    baseUrl: "",
  };
  for (const m of modules) m.seed?.(world);
  if (options.seed) applySeed(world, options.seed);
  let relisten: NodeJS.Timeout | undefined;
  let stopped: Promise<void> | undefined;
  const admin = new SimAdmin(sim, {
    // An outage: nothing listens on the port for `ms` (connection refused), then the same port again.
    async pause(ms) {
      if (relisten || stopped) return;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      relisten = setTimeout(() => {
        relisten = undefined;
        if (!stopped) server.listen(port, host);
      }, ms);
    },
  });
  const app = createApp(sim, (a) => registerAdminRoutes(a, admin));

  const server: Server = createServer(getRequestListener(app.fetch));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  sim.baseUrl = url;
  const identityVersion = profile.identity.v3 ? "3" : "2.0";
  return {
    url,
    profile,
    admin,
    cloudsYaml: () => cloudsYaml(url, profile.region, identityVersion, profile.name),
    async writeCloudsYaml(path) {
      const target = path ?? join(tmpdir(), `oaktree-sim-${port}-clouds.yaml`);
      await writeFile(target, cloudsYaml(url, profile.region, identityVersion, profile.name));
      return target;
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        clearTimeout(relisten);
        // During an outage the server is already closed: close() then calls back with an error.
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
