/**
 * Restart recovery with shared state (issue #11): `oaktree serve --state redis://...` in a child
 * process, SIGKILL during 100 concurrent boots, a restart on the same Redis; 85 clients reissue
 * their call with its token, 15 never do: the reclaimer deletes the leftovers of the latter
 * after the grace, and never touches a server a client received (10 that finished before).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { redisSkipReason, startRedis, type TestRedis } from "@oaktree/core/testing/redis.js";
import { type Simulator, startSimulator } from "@oaktree/sim";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type CreateServerRequest,
  CreateServerRequestSchema,
  type CreateServerResponse,
  ServerService,
} from "../../packages/server/src/gen/oaktree/v1/server_pb.js";
import { requireComponent } from "../e2e/harness.js";
import { OaktreeServeChild } from "../lib/oaktree-serve-child.js";

const CLIENT_TOKEN_KEY = "oaktree_client_token";
const DELIVERED = 10;
const INTERRUPTED = 100;
const REISSUED = 85;

let skip: string | undefined;
const redisGate = requireComponent(
  "redis-server",
  () => {
    skip = redisSkipReason();
    return skip === undefined;
  },
  "redis-server not found (apt-get install redis-server)",
);

let sim: Simulator;
let redis: TestRedis;
let dir: string;

redisGate.describe(
  "restart recovery with Redis: SIGKILL during 100 concurrent boots, 85 reissued, 15 never",
  () => {
    beforeAll(async () => {
      redis = await startRedis();
      sim = await startSimulator({ profile: "modern", buildDelayMs: 2000 });
      sim.admin.setQuota("compute", "demo", { instances: -1, cores: -1, ram: -1 });
      sim.admin.setQuota("network", "demo", { floatingip: -1, port: -1 });
      dir = mkdtempSync(join(tmpdir(), "oaktree-reclaim-"));
    });

    afterAll(async () => {
      await sim?.stop();
      await redis?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("delivered servers stay, reissued ones finish, abandoned ones are reclaimed after the grace: nothing leaks", async () => {
      const cloudsYaml = await sim.writeCloudsYaml(join(dir, "clouds.yaml"));
      const config = join(dir, "server.yaml");
      writeFileSync(
        config,
        "watch: { poll_interval_ms: 250 }\nrecovery: { grace_seconds: 2, interval_seconds: 1 }\n",
      );
      const oaktree = await OaktreeServeChild.create(cloudsYaml, {
        config,
        args: ["--state", redis.url],
        logLevel: "warn",
      });
      const world = sim.admin.state.world;
      const before = {
        ports: new Set(world.ports.all().map((port) => port.id)),
        floatingIps: new Set(world.floatingIps.all().map((ip) => ip.id)),
        volumes: new Set(world.volumes.all().map((volume) => volume.id)),
      };
      const ours = () =>
        world.servers.all().filter((server) => server.metadata[CLIENT_TOKEN_KEY]?.startsWith("x-"));
      const alive = () => ours().filter((server) => server.deleted_at === null);

      await oaktree.start();
      try {
        let client = connect(oaktree);
        // Clients that got their server, then never call again.
        const delivered = await Promise.all(
          Array.from({ length: DELIVERED }, (_, i) => boot(client, req("d", i))),
        );
        expect(delivered.every((outcome) => outcome.last?.floatingIp)).toBe(true);

        // Boots that die with the process, mid-build.
        const interrupted = Array.from({ length: INTERRUPTED }, (_, i) => boot(client, req("p", i)));
        await until(() => alive().length >= DELIVERED + INTERRUPTED * 0.8, "the boots to reach nova", 30_000);
        await oaktree.kill();
        await Promise.all(interrupted);
        // The dead process's token leases would lapse after their 60 s TTL (decision 0011):
        // remove them now instead of waiting (the records stay).
        await dropLeases(redis.url);

        await oaktree.start();
        client = connect(oaktree);
        const reissued = await Promise.all(
          Array.from({ length: REISSUED }, (_, i) => boot(client, req("p", i))),
        );
        expect(reissued.map((outcome) => String(outcome.error ?? ""))).toEqual(Array(REISSUED).fill(""));
        expect(reissued.every((outcome) => outcome.last?.floatingIp)).toBe(true);
        expect(new Set(reissued.map((outcome) => outcome.last?.server?.id)).size).toBe(REISSUED);
        expect(new Set(reissued.map((outcome) => outcome.last?.floatingIp)).size).toBe(REISSUED);

        // The others never come back: after the 2 s grace the reclaimer deletes what they left.
        await until(() => alive().length === DELIVERED + REISSUED, "the reclaimer", 30_000);
        const keep = new Set(
          [...delivered, ...reissued].map((outcome) => outcome.last?.server?.id as string),
        );
        expect(new Set(alive().map((server) => server.id))).toEqual(keep);
        const aliveIds = keep;
        const ports = world.ports.all().filter((port) => !before.ports.has(port.id));
        const portOwner = new Map(ports.map((port) => [port.id, port.device_id]));
        await until(
          () => world.floatingIps.all().filter((ip) => !before.floatingIps.has(ip.id)).length === keep.size,
          "the abandoned floating IPs to go",
          10_000,
        );
        const floatingIps = world.floatingIps.all().filter((ip) => !before.floatingIps.has(ip.id));
        expect(floatingIps.every((ip) => aliveIds.has(portOwner.get(ip.port_id ?? "") ?? ""))).toBe(true);
        expect(ports.filter((port) => !aliveIds.has(port.device_id))).toEqual([]);
        expect(world.volumes.all().filter((volume) => !before.volumes.has(volume.id))).toEqual([]);
        // One server per token ever, except the abandoned ones (made once, then reclaimed).
        const perToken = new Map<string, number>();
        for (const server of ours()) {
          const token = server.metadata[CLIENT_TOKEN_KEY] as string;
          perToken.set(token, (perToken.get(token) ?? 0) + 1);
        }
        expect([...perToken.values()].every((count) => count === 1)).toBe(true);
        // The pass reports once it has been through every record.
        const reclaimedCount = async () => {
          const metrics = await (await fetch(`http://127.0.0.1:${oaktree.httpPort}/metrics`)).text();
          return Number(/^oaktree_reclaimed_creates_total\{[^}]*\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
        };
        await expect
          .poll(reclaimedCount, { timeout: 20_000, interval: 200 })
          .toBeGreaterThanOrEqual(INTERRUPTED - REISSUED - INTERRUPTED * 0.2);
      } finally {
        await oaktree.stop();
      }
    }, 120_000);
  },
);

function connect(oaktree: OaktreeServeChild): Client<typeof ServerService> {
  return createClient(ServerService, createGrpcTransport({ baseUrl: `http://${oaktree.address}` }));
}

function req(group: string, index: number): CreateServerRequest {
  return create(CreateServerRequestSchema, {
    location: { cloud: "sim" },
    name: `x-${group}-${index}`,
    image: "cirros-0.6.2-x86_64-disk",
    flavor: "m1.tiny",
    clientToken: `x-${group}-token-${index}`,
    timeoutSeconds: 120,
  });
}

async function boot(
  client: Client<typeof ServerService>,
  request: CreateServerRequest,
): Promise<{ last?: CreateServerResponse; error?: unknown }> {
  let last: CreateServerResponse | undefined;
  try {
    for await (const response of client.createServer(request)) last = response;
    return last ? { last } : {};
  } catch (error) {
    return { error };
  }
}

/** Deletes the client-token leases (not the records nor the hand-over keys) from Redis. */
async function dropLeases(url: string): Promise<void> {
  const connection = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await connection.connect();
  try {
    const keys = await connection.keys("*client-token:*");
    if (keys.length > 0) await connection.del(...keys);
  } finally {
    connection.disconnect();
  }
}

async function until(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out (${timeoutMs} ms) waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
