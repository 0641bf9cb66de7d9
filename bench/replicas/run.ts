/**
 * 1 vs 3 oaktree replicas under the same load (issue #11): the same waiters and listers against
 * one replica (state: memory) and three (state: redis), on one simulator. Figures: the cloud's
 * requests (from the simulator's log), client latency p50/p99 of ListServers, and how long the
 * waiters took to see their servers ACTIVE.
 *
 *   npm run bench -- replicas          (once registered in bench/benchmarks.ts)
 *   npx tsx --conditions=oaktree-source bench/replicas/run.ts [--tiny]   (writes RESULTS.md)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ServerService } from "@oaktree/server/gen/oaktree/v1/server_pb.js";
import { startSimulator } from "@oaktree/sim";
import { startRedis } from "../../packages/core/src/testing/redis.js";
import { OaktreeServeChild } from "../../test/lib/oaktree-serve-child.js";
import type { BenchContext } from "../benchmarks.js";
import { type BenchOutput, commit, fmt, machine, quantile, table } from "../lib/result.js";

interface Load {
  readonly servers: number;
  readonly waiters: number;
  readonly listers: number;
  readonly listSeconds: number;
  readonly pollMs: number;
}

interface Figures {
  readonly replicas: number;
  readonly state: string;
  readonly listCalls: number;
  readonly listP50Ms: number;
  readonly listP99Ms: number;
  readonly waitP50Ms: number;
  readonly waitP99Ms: number;
  /** Cloud requests per second during the listing phase (all kinds). */
  readonly cloudRps: number;
  /** The shared watch's polls (changes-since listings) per poll interval: 1 when one replica polls. */
  readonly pollsPerInterval: number;
  /** Other server listings per second (ListServers calls that reached the cloud). */
  readonly listingsPerSecond: number;
  readonly cloudRequests: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function measure(count: number, load: Load, log: (line: string) => void): Promise<Figures> {
  const sim = await startSimulator({ profile: "modern", buildDelayMs: 3_600_000, logCapacity: 200_000 });
  sim.admin.setQuota("compute", "demo", { instances: -1, cores: -1, ram: -1 });
  sim.admin.setQuota("network", "demo", { port: -1 });
  const redis = count > 1 ? await startRedis() : undefined;
  const dir = mkdtempSync(join(tmpdir(), "oaktree-bench-replicas-"));
  const replicas: OaktreeServeChild[] = [];
  try {
    const cloudsYaml = await sim.writeCloudsYaml(join(dir, "clouds.yaml"));
    const config = join(dir, "server.yaml");
    const state = redis ? `state:\n  backend: redis\n  url: ${redis.url}\n` : "state: memory\n";
    writeFileSync(config, `watch:\n  poll_interval_ms: ${load.pollMs}\n${state}`);
    for (let i = 0; i < count; i += 1) {
      replicas.push(await OaktreeServeChild.create(cloudsYaml, { name: `r${i}`, config, logLevel: "error" }));
    }
    await Promise.all(replicas.map((replica) => replica.start()));
    const clients = replicas.map((replica) =>
      createClient(ServerService, createGrpcTransport({ baseUrl: `http://${replica.address}` })),
    );
    const client = (i: number) => clients[i % clients.length]!;
    log(`${count} replica(s): booting ${load.servers} servers`);
    await Promise.all(
      Array.from({ length: load.servers }, async (_, i) => {
        const stream = client(i).createServer({
          location: { cloud: "sim" },
          name: `b-${i}`,
          image: "cirros-0.6.2-x86_64-disk",
          flavor: "m1.tiny",
          wait: false,
          autoIp: false,
        });
        for await (const _ of stream);
      }),
    );
    // Waiters: one WatchServers stream per server, spread across the replicas.
    let seen = 0;
    const waits = Array.from({ length: load.waiters }, async (_, i) => {
      let first = true;
      for await (const event of client(i).watchServers({
        location: { cloud: "sim" },
        filter: { fields: { name: `b-${i % load.servers}` } },
      })) {
        if (first) seen += 1;
        first = false;
        if (event.server?.status === "ACTIVE") return Date.now();
      }
      throw new Error("stream ended");
    });
    while (seen < load.waiters) await sleep(50);
    // Listers: ListServers in a loop on every replica for listSeconds.
    log(`${count} replica(s): ${load.listers} listers for ${load.listSeconds} s, ${load.waiters} waiters`);
    const from = Date.now();
    const latencies: number[] = [];
    const until = from + load.listSeconds * 1000;
    await Promise.all(
      Array.from({ length: load.listers }, async (_, i) => {
        while (Date.now() < until) {
          const started = performance.now();
          await client(i).listServers({ location: { cloud: "sim" } });
          latencies.push(performance.now() - started);
        }
      }),
    );
    const to = Date.now();
    const entries = sim.admin.log().filter((entry) => entry.at >= from && entry.at < to);
    const listings = entries.filter(
      (entry) => entry.method === "GET" && entry.path.endsWith("/servers/detail"),
    );
    const polls = listings.filter((entry) => entry.query.includes("changes-since"));
    const finishedAt = Date.now();
    sim.admin.finishBuilds();
    const ends = await Promise.all(waits);
    const waited = ends.map((end) => end - finishedAt);
    const seconds = (to - from) / 1000;
    return {
      replicas: count,
      state: redis ? "redis" : "memory",
      listCalls: latencies.length,
      listP50Ms: quantile(latencies, 0.5),
      listP99Ms: quantile(latencies, 0.99),
      waitP50Ms: quantile(waited, 0.5),
      waitP99Ms: quantile(waited, 0.99),
      cloudRps: entries.length / seconds,
      pollsPerInterval: polls.length / ((to - from) / load.pollMs),
      listingsPerSecond: (listings.length - polls.length) / seconds,
      cloudRequests: entries.length,
    };
  } finally {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await sim.stop();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The benchmark, as bench/run.ts calls it. */
export async function run(ctx: BenchContext): Promise<BenchOutput> {
  const load: Load = ctx.tiny
    ? { servers: 10, waiters: 10, listers: 4, listSeconds: 2, pollMs: 500 }
    : { servers: 100, waiters: 300, listers: 30, listSeconds: 15, pollMs: 1000 };
  const one = await measure(1, load, ctx.log);
  const three = await measure(3, load, ctx.log);
  const rows = [one, three].map((f) => [
    `${f.replicas} (${f.state})`,
    f.listCalls,
    fmt(f.listP50Ms, 1),
    fmt(f.listP99Ms, 1),
    fmt(f.waitP50Ms),
    fmt(f.waitP99Ms),
    fmt(f.cloudRps, 1),
    fmt(f.pollsPerInterval, 2),
    fmt(f.listingsPerSecond, 1),
  ]);
  const markdown =
    `${load.waiters} WatchServers waiters on ${load.servers} servers in BUILD and ${load.listers} clients calling ListServers in a loop for ${load.listSeconds} s, spread over the replicas; poll interval ${load.pollMs} ms. Then every build ends at once: "wait" is from then until each waiter saw ACTIVE.\n\n` +
    table(
      [
        "replicas",
        "ListServers calls",
        "ListServers p50 ms",
        "p99 ms",
        "wait p50 ms",
        "wait p99 ms",
        "cloud requests/s",
        "watch polls per interval",
        "other server listings/s",
      ],
      rows,
    );
  return { parameters: { ...load }, figures: { one, three }, markdown };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const tiny = process.argv.includes("--tiny");
  const started = new Date();
  const before = machine();
  const output = await run({ tiny, log: (line) => process.stderr.write(`${line}\n`) });
  const m = before;
  const text =
    "# bench/replicas: 1 vs 3 replicas under the same load\n\n" +
    'Run: `npx tsx --conditions=oaktree-source bench/replicas/run.ts` (docs/deployment.md, "Shared state on Redis").\n\n' +
    `Measured ${started.toISOString()} at commit ${commit()} on ${m.cpus} × ${m.model}, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}; ` +
    `load average at start ${m.loadAverage.join(" / ")} (the machine is shared with other work: compare the rows, not the absolute times).\n\n` +
    `${output.markdown}\n`;
  if (!tiny) writeFileSync(new URL("./RESULTS.md", import.meta.url), text);
  process.stdout.write(text);
}
