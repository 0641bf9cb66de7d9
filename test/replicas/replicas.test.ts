/**
 * Scale-out on Redis (issue #11): three `oaktree serve` replicas share one Redis; 300 clients
 * wait for their servers through WatchServers streams spread across them. The simulator's
 * request log shows the cloud one poller; a SIGKILLed lease holder is replaced within two
 * poll intervals and every wait completes (clients of the dead replica reconnect to another,
 * as behind a load balancer); Redis down for 10 s: calls still served, health says degraded,
 * waits complete, then the replicas rejoin and the cloud sees one poller again.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { redisSkipReason, startRedis, type TestRedis } from "@oaktree/core/testing/redis.js";
import { type Simulator, startSimulator } from "@oaktree/sim";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServerService } from "../../packages/server/src/gen/oaktree/v1/server_pb.js";
import { OaktreeServeChild } from "../lib/oaktree-serve-child.js";

const skip = redisSkipReason();
if (skip) console.warn(`skipping the replicas test: ${skip}`);

const POLL_MS = 500;
const WAITERS = 300;

let sim: Simulator;
let redis: TestRedis;
let dir: string;
const replicas: OaktreeServeChild[] = [];
const clients = new Map<OaktreeServeChild, Client<typeof ServerService>>();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await sleep(50);
  }
}

beforeAll(async () => {
  if (skip) return;
  redis = await startRedis();
  // Builds end only when the test says so (finishBuilds): waits outlast the kill and the outage.
  sim = await startSimulator({ profile: "modern", buildDelayMs: 3_600_000, logCapacity: 100_000 });
  sim.admin.setQuota("compute", "demo", { instances: -1, cores: -1, ram: -1 });
  sim.admin.setQuota("network", "demo", { port: -1 });
  dir = mkdtempSync(join(tmpdir(), "oaktree-replicas-"));
  const cloudsYaml = await sim.writeCloudsYaml(join(dir, "clouds.yaml"));
  const config = join(dir, "server.yaml");
  writeFileSync(
    config,
    `watch:\n  poll_interval_ms: ${POLL_MS}\nstate:\n  backend: redis\n  url: ${redis.url}\n`,
  );
  for (const name of ["r0", "r1", "r2"]) {
    replicas.push(await OaktreeServeChild.create(cloudsYaml, { name, config, logLevel: "warn" }));
  }
  await Promise.all(replicas.map((replica) => replica.start()));
  for (const replica of replicas) {
    clients.set(
      replica,
      createClient(ServerService, createGrpcTransport({ baseUrl: `http://${replica.address}` })),
    );
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()));
  await sim?.stop();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Server listings the cloud saw in [from, to): the shared polls (full or changes-since). */
function listingsBetween(from: number, to: number): number[] {
  return sim.admin
    .log()
    .filter((entry) => entry.method === "GET" && entry.path.endsWith("/servers/detail"))
    .map((entry) => entry.at)
    .filter((at) => at >= from && at < to);
}

/** Counts the cloud's listings over `intervals` poll intervals from now. */
async function listingsOver(intervals: number): Promise<number> {
  const from = Date.now();
  await sleep(intervals * POLL_MS);
  return listingsBetween(from, Date.now()).length;
}

/** The replica holding the servers watch's lease now (owner `hostname:pid:random`). */
async function leaseHolder(): Promise<{ replica: OaktreeServeChild | undefined; owner: string } | undefined> {
  const raw = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await raw.connect();
    const keys = (await raw.keys("oaktree:watch-lease:*")).filter((key) => key.endsWith("/servers"));
    if (keys.length !== 1) return undefined;
    const owner = await raw.get(keys[0]!);
    if (!owner) return undefined;
    const pid = Number(owner.split(":")[1]);
    return { replica: replicas.find((replica) => replica.pid === pid), owner };
  } finally {
    raw.disconnect();
  }
}

/**
 * One client waiting for server `name` to be ACTIVE through WatchServers, starting on replica
 * `first`; when its stream breaks it goes to the next live replica (a load balancer's job).
 */
async function waitActive(
  name: string,
  first: number,
  seen: () => void = () => {},
): Promise<{ hops: number }> {
  let at = first;
  let hops = 0;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const replica = replicas[at % replicas.length]!;
    if (replica.running) {
      try {
        const stream = clients
          .get(replica)!
          .watchServers(
            { location: { cloud: "sim" }, filter: { fields: { name } } },
            { signal: AbortSignal.timeout(60_000) },
          );
        for await (const event of stream) {
          seen();
          if (event.server?.status === "ACTIVE") return { hops };
        }
      } catch {
        // The replica died or shut the stream: reconnect elsewhere.
      }
      hops += 1;
    }
    at += 1;
    await sleep(100);
  }
  throw new Error(`${name}: never ACTIVE`);
}

/** Boots `count` servers named `prefix-N` without waiting, spread across the running replicas. */
async function boot(prefix: string, count: number): Promise<void> {
  const live = replicas.filter((replica) => replica.running);
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const stream = clients.get(live[i % live.length]!)!.createServer({
        location: { cloud: "sim" },
        name: `${prefix}-${i}`,
        image: "cirros-0.6.2-x86_64-disk",
        flavor: "m1.tiny",
        wait: false,
        autoIp: false,
      });
      for await (const _ of stream);
    }),
  );
}

describe.skipIf(skip !== undefined)("three replicas on one Redis", () => {
  it("one poller for 300 waiters; a dead holder replaced within two intervals; Redis down 10 s: served, degraded, rejoined", async () => {
    await boot("w", WAITERS);
    let seen = 0;
    const waits = Array.from({ length: WAITERS }, (_, i) => {
      let first = true;
      return waitActive(`w-${i}`, i % 3, () => {
        if (first) seen += 1;
        first = false;
      });
    });
    let done = 0;
    for (const wait of waits)
      void wait.then(
        () => (done += 1),
        () => {},
      );
    // Every waiter has its server's current state (BUILD): the streams' start-up work is over.
    await until("every waiter sees its server", 30_000, () => seen === WAITERS);
    // Every replica serves streams, so every replica has the watch; one holds its lease.
    const holder = await until("a lease holder", 15_000, leaseHolder);
    expect(holder.owner).toMatch(/^[^:]+:\d+:[0-9a-f]{8}$/);
    expect(holder.replica).toBeDefined();
    await sleep(POLL_MS * 2);

    // One poller: about one listing per interval for the three replicas (three pollers: ~18).
    const shared = await listingsOver(6);
    expect(shared).toBeGreaterThanOrEqual(3);
    expect(shared).toBeLessThanOrEqual(8);

    // SIGKILL the holder: another replica lists within two intervals.
    const killedAt = Date.now();
    await holder.replica!.kill();
    const next = await until(
      "the first listing after the kill",
      10_000,
      () => listingsBetween(killedAt, Date.now())[0],
    );
    const takeoverMs = next - killedAt;
    const newHolder = await until("a new lease holder", 10_000, async () => {
      const now = await leaseHolder();
      return now && now.replica !== holder.replica && now.replica ? now : undefined;
    });
    console.log(
      `takeover: first listing ${takeoverMs} ms after the SIGKILL (poll interval ${POLL_MS} ms); new holder ${newHolder.owner}`,
    );
    expect(takeoverMs).toBeLessThanOrEqual(2 * POLL_MS + 500);
    expect(await listingsOver(6)).toBeLessThanOrEqual(8);
    const survivors = replicas.filter((replica) => replica.running);
    expect(survivors).toHaveLength(2);

    // Redis down: every replica keeps serving from its own memory, and says so.
    const outageAt = Date.now();
    await redis.kill();
    for (const replica of survivors) {
      await until(
        `${replica.name} degraded`,
        5000,
        async () => (await health(replica)).state?.mode === "degraded",
      );
      expect(await health(replica)).toMatchObject({
        status: "SERVING",
        state: { backend: "redis", mode: "degraded" },
      });
      const listed = await clients.get(replica)!.listServers({ location: { cloud: "sim" } });
      expect(listed.servers.length).toBe(WAITERS);
    }
    // The builds end during the outage: every wait completes, served by each replica's own polls.
    expect(done).toBe(0);
    sim.admin.finishBuilds();
    const results = await Promise.all(waits);
    expect(results).toHaveLength(WAITERS);
    const hopped = results.filter((result) => result.hops > 0).length;
    console.log(
      `all ${WAITERS} waits completed ${Date.now() - outageAt} ms into the outage; ${hopped} reconnected to another replica`,
    );
    // Still degraded: the waits were served without Redis.
    for (const replica of survivors) expect((await health(replica)).state?.mode).toBe("degraded");
    await sleep(Math.max(0, 10_000 - (Date.now() - outageAt)));

    // Redis back (empty, as a restarted Redis without persistence): rejoin, one poller again.
    await redis.restart();
    for (const replica of survivors) {
      await until(
        `${replica.name} shared again`,
        15_000,
        async () => (await health(replica)).state?.mode === "shared",
      );
      const metrics = await (await fetch(`http://127.0.0.1:${replica.httpPort}/metrics`)).text();
      expect(metrics).toMatch(/^oaktree_state_backend_up\{backend="redis"\} 1$/m);
      expect(metrics).toMatch(/^oaktree_state_failovers_total\{backend="redis"\} 1$/m);
    }
    await until("a lease holder after the rejoin", 10_000, leaseHolder);
    await sleep(POLL_MS * 2);
    const rejoined = await listingsOver(6);
    expect(rejoined).toBeGreaterThanOrEqual(3);
    expect(rejoined).toBeLessThanOrEqual(8);
    // And the shared view works again: new servers, new waiters on both replicas.
    await boot("after", 10);
    const after = Array.from({ length: 10 }, (_, i) => waitActive(`after-${i}`, i));
    await sleep(POLL_MS * 2);
    sim.admin.finishBuilds();
    expect(await Promise.all(after)).toHaveLength(10);
  }, 150_000);
});

/** A replica's `/healthz` body. */
async function health(
  replica: OaktreeServeChild,
): Promise<{ status: string; state?: { backend: string; mode: string; failovers: number } }> {
  const response = await fetch(`${replica.httpUrl}/healthz`, { signal: AbortSignal.timeout(5000) });
  return (await response.json()) as { status: string };
}
