/**
 * Restart recovery end to end (issue #11): `oaktree serve` in a child process on an HTTP
 * simulator, 100 concurrent CreateServer calls with client tokens through gRPC, SIGKILL in the
 * middle, a restart, and every client reissuing its call with its token.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { type Simulator, startSimulator } from "@oaktree/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CreateServerRequest,
  CreateServerRequestSchema,
  type CreateServerResponse,
  ServerService,
} from "../../packages/server/src/gen/oaktree/v1/server_pb.js";
import { OaktreeServeChild } from "../lib/oaktree-serve-child.js";

const CLIENT_TOKEN_KEY = "oaktree_client_token";
const BOOTS = 100;

let sim: Simulator;
let dir: string;
let cloudsYaml: string;

beforeAll(async () => {
  // Builds take 2 s: a SIGKILL a moment after the POSTs catches most boots mid-build.
  sim = await startSimulator({ profile: "modern", buildDelayMs: 2000 });
  dir = mkdtempSync(join(tmpdir(), "oaktree-recovery-"));
  cloudsYaml = await sim.writeCloudsYaml(join(dir, "clouds.yaml"));
  sim.admin.setQuota("compute", "demo", { instances: -1, cores: -1, ram: -1 });
  sim.admin.setQuota("network", "demo", { floatingip: -1, port: -1 });
});

afterAll(async () => {
  await sim?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function serverConfig(name: string, yaml: string): string {
  const path = join(dir, name);
  writeFileSync(path, yaml);
  return path;
}

function request(prefix: string, index: number): CreateServerRequest {
  return create(CreateServerRequestSchema, {
    location: { cloud: "sim" },
    name: `${prefix}-${index}`,
    image: "cirros-0.6.2-x86_64-disk",
    flavor: "m1.tiny",
    clientToken: `${prefix}-token-${index}`,
    timeoutSeconds: 120,
  });
}

/** Follows one CreateServer stream to its last message (or its error). */
async function boot(
  client: Client<typeof ServerService>,
  req: CreateServerRequest,
): Promise<{ last?: CreateServerResponse; error?: unknown }> {
  let last: CreateServerResponse | undefined;
  try {
    for await (const response of client.createServer(req)) last = response;
    return last ? { last } : {};
  } catch (error) {
    return { error };
  }
}

/** What the simulator's world holds that the run with `prefix` made. */
function worldOf(
  prefix: string,
  before: { ports: Set<string>; floatingIps: Set<string>; volumes: Set<string> },
) {
  const world = sim.admin.state.world;
  const servers = world.servers
    .all()
    .filter((server) => server.metadata[CLIENT_TOKEN_KEY]?.startsWith(`${prefix}-token-`));
  const alive = servers.filter((server) => server.deleted_at === null);
  const aliveIds = new Set(alive.map((server) => server.id));
  const ports = world.ports.all().filter((port) => !before.ports.has(port.id));
  const floatingIps = world.floatingIps.all().filter((ip) => !before.floatingIps.has(ip.id));
  const volumes = world.volumes.all().filter((volume) => !before.volumes.has(volume.id));
  const perToken = new Map<string, number>();
  for (const server of servers) {
    const token = server.metadata[CLIENT_TOKEN_KEY] as string;
    perToken.set(token, (perToken.get(token) ?? 0) + 1);
  }
  const portOwner = new Map(ports.map((port) => [port.id, port.device_id]));
  return {
    servers,
    alive,
    /** Tokens that ever had more than one server. */
    duplicates: [...perToken.values()].filter((count) => count > 1).length,
    /** Ports not on a living server of the run. */
    leakedPorts: ports.filter((port) => !aliveIds.has(port.device_id)),
    /** Floating IPs not bound to a port of a living server of the run. */
    leakedFloatingIps: floatingIps.filter(
      (ip) =>
        ip.port_id === null || ip.port_id === undefined || !aliveIds.has(portOwner.get(ip.port_id) ?? ""),
    ),
    floatingIps,
    volumes,
  };
}

function snapshot() {
  const world = sim.admin.state.world;
  return {
    ports: new Set(world.ports.all().map((port) => port.id)),
    floatingIps: new Set(world.floatingIps.all().map((ip) => ip.id)),
    volumes: new Set(world.volumes.all().map((volume) => volume.id)),
  };
}

async function until(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out (${timeoutMs} ms) waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("restart recovery: SIGKILL during 100 concurrent boots, restart, reissue", () => {
  // With Redis state (the records survive): test/recovery/reclaim.test.ts.
  it("memory state (the restart forgets everything; the marks on the cloud suffice): 100 servers, one floating IP each, no duplicate, nothing leaked", async () => {
    await killRestartReissue("m", []);
  }, 120_000);
});

/**
 * 100 boots with tokens `<prefix>-token-<i>`, SIGKILL once 80 reached nova, `afterKill`, a
 * restart with the same flags, every call reissued: checks the results and the world.
 */
async function killRestartReissue(prefix: string, flags: readonly string[], afterKill?: () => Promise<void>) {
  {
    const before = snapshot();
    const config = serverConfig(
      `${prefix}.yaml`,
      "watch: { poll_interval_ms: 250 }\nrecovery: { interval_seconds: 0 }\n",
    );
    const oaktree = await OaktreeServeChild.create(cloudsYaml, { config, args: flags, logLevel: "warn" });
    await oaktree.start();
    try {
      const transport = createGrpcTransport({ baseUrl: `http://${oaktree.address}` });
      const client = createClient(ServerService, transport);
      const already = sim.admin.count("compute", "POST /servers");
      const posts = () => sim.admin.count("compute", "POST /servers") - already;
      const first = Array.from({ length: BOOTS }, (_, i) => boot(client, request(prefix, i)));
      // Die in the middle: most boots posted and building, a few already past their IP.
      await until(() => posts() >= BOOTS * 0.8, "80 boots to reach nova", 30_000);
      await oaktree.kill();
      await afterKill?.();
      const outcomes = await Promise.all(first);
      const finished = outcomes.filter((outcome) => outcome.last?.floatingIp).length;
      const interrupted = outcomes.filter((outcome) => outcome.error !== undefined).length;
      expect(finished + interrupted).toBe(BOOTS);
      expect(interrupted).toBeGreaterThan(BOOTS / 2);
      // What the dead process left: servers mid-build, some with their floating IP already.
      const leftByTheDead = worldOf(prefix, before);
      const posted = leftByTheDead.alive.length;
      expect(posted).toBeGreaterThanOrEqual(BOOTS * 0.8);

      await oaktree.start();
      const again = createClient(
        ServerService,
        createGrpcTransport({ baseUrl: `http://${oaktree.address}` }),
      );
      const reissued = await Promise.all(
        Array.from({ length: BOOTS }, (_, i) => boot(again, request(prefix, i))),
      );
      const failed = reissued.filter((outcome) => outcome.error !== undefined);
      expect(failed.map((outcome) => String(outcome.error))).toEqual([]);
      const results = reissued.map((outcome) => outcome.last as CreateServerResponse);
      expect(new Set(results.map((result) => result.server?.id)).size).toBe(BOOTS);
      expect(results.every((result) => result.floatingIp !== "")).toBe(true);
      expect(new Set(results.map((result) => result.floatingIp)).size).toBe(BOOTS);
      // Each server the dead process had posted was found and finished, not booted again.
      expect(results.filter((result) => result.existing)).toHaveLength(posted);

      const world = worldOf(prefix, before);
      expect(world.alive).toHaveLength(BOOTS);
      expect(world.duplicates).toBe(0);
      expect(world.floatingIps).toHaveLength(BOOTS);
      expect(world.leakedFloatingIps).toEqual([]);
      expect(world.leakedPorts).toEqual([]);
      expect(world.volumes).toEqual([]);
      // Every result is the cloud's truth: its server alive, its address the one bound to it.
      const aliveIds = new Set(world.alive.map((server) => server.id));
      expect(results.every((result) => aliveIds.has(result.server?.id ?? ""))).toBe(true);
    } finally {
      await oaktree.stop();
    }
  }
}
