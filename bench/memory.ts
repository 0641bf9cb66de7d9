/**
 * Memory: the resident set (RSS, /proc) of one `oaktree serve` process
 *
 * - holding S servers across P projects: one WatchServers stream per project keeps that project's
 *   shared watch (every server, normalized) in memory; measured once every stream has delivered
 *   its initial listing, against the same process idle after start (the baseline);
 * - with W open WatchServers streams on one project (over W / 100 connections, 100 streams each),
 *   against the same process with one stream open: RSS per stream.
 *
 * Targets: ≤ 500 MB with the servers, ≤ 20 KB per stream.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { ServerService } from "@oaktree/server/gen/oaktree/v1/server_pb.js";
import type { BenchContext } from "./benchmarks.js";
import { client, grpcTransport, SIM } from "./lib/grpc.js";
import { processRssBytes, startOaktree, startSim } from "./lib/processes.js";
import { type BenchOutput, fmt, round, table } from "./lib/result.js";

const MB = 1024 * 1024;

/** A clouds.yaml with the simulator's own clouds and one cloud per seeded project. */
function cloudsYamlWith(base: string, url: string, projects: readonly string[]): string {
  const extra = projects
    .map(
      (name) =>
        `  ${name}:\n    auth:\n      auth_url: ${url}/identity\n      username: ${name}\n      password: secret\n` +
        `      project_name: ${name}\n      user_domain_name: Default\n      project_domain_name: Default\n` +
        `    region_name: RegionOne\n    identity_api_version: "3"\n    interface: public\n`,
    )
    .join("");
  return `${base.trimEnd()}\n${extra}`;
}

/** Waits until `rss()` has stopped growing (two readings 1 s apart within 1%), at most `maxMs`. */
async function settledRss(pid: number, maxMs = 15_000): Promise<number> {
  const until = Date.now() + maxMs;
  let last = processRssBytes(pid);
  while (Date.now() < until) {
    await sleep(1000);
    const now = processRssBytes(pid);
    if (Math.abs(now - last) / last < 0.01) return now;
    last = now;
  }
  return last;
}

export async function run(ctx: BenchContext): Promise<BenchOutput> {
  const projects = ctx.tiny ? 2 : 10;
  const serversPerProject = ctx.tiny ? 200 : 10_000;
  const streams = ctx.tiny ? 200 : 10_000;
  const streamsPerConnection = 100;
  const sim = await startSim({ profile: "modern", logCapacity: 10 });
  try {
    const seeded = await sim.admin<{ projects: { name: string }[] }>("POST", "seed", {
      projects,
      projectPrefix: "mem",
      serversPerProject,
    });
    const names = seeded.projects.map((p) => p.name);
    const base = readFileSync(sim.cloudsYaml, "utf8");
    const cloudsYaml = `${sim.cloudsYaml}.memory.yaml`;
    writeFileSync(cloudsYaml, cloudsYamlWith(base, sim.url, names));

    // Part 1: the servers of every project held by the shared watches.
    const oaktree = await startOaktree(cloudsYaml);
    let serversFigures: Record<string, number>;
    try {
      const idleRss = await settledRss(oaktree.pid);
      const controller = new AbortController();
      const initial = await Promise.all(
        names.map(async (cloud) => {
          const servers = client(ServerService, grpcTransport(oaktree.grpcAddress));
          let count = 0;
          const stream = servers.watchServers({ location: { cloud } }, { signal: controller.signal });
          const iterator = stream[Symbol.asyncIterator]();
          // The initial events come first; the first non-initial event (or a lull) ends them.
          while (count < serversPerProject) {
            const next = await iterator.next();
            if (next.done) throw new Error(`${cloud}: the watch ended after ${count} servers`);
            if (next.value.initial) count += 1;
          }
          // Keep the stream open (and the watch alive) until measured.
          void (async () => {
            try {
              while (!(await iterator.next()).done);
            } catch {}
          })();
          return count;
        }),
      );
      const heldRss = await settledRss(oaktree.pid);
      controller.abort();
      serversFigures = {
        projects,
        serversPerProject,
        serversDelivered: initial.reduce((a, b) => a + b, 0),
        idleRssMB: round(idleRss / MB, 1),
        heldRssMB: round(heldRss / MB, 1),
        perServerBytes: round((heldRss - idleRss) / (projects * serversPerProject)),
      };
      ctx.log(
        `servers: idle ${serversFigures.idleRssMB} MB, holding ${fmt(projects * serversPerProject)}: ${serversFigures.heldRssMB} MB`,
      );
    } finally {
      await oaktree.stop();
    }

    // Part 2: many open streams on one project (a fresh process).
    const second = await startOaktree(sim.cloudsYaml);
    let streamFigures: Record<string, number>;
    try {
      const controller = new AbortController();
      const connections = Math.ceil(streams / streamsPerConnection);
      const transports = Array.from({ length: connections }, () => grpcTransport(second.grpcAddress));
      const open = (i: number) =>
        new Promise<void>((resolve, reject) => {
          const servers = client(ServerService, transports[i % connections]!);
          const stream = servers.watchServers({ location: SIM }, { signal: controller.signal });
          void (async () => {
            try {
              // The demo project has no servers: the stream is open once its headers arrive;
              // iterate to keep it read.
              resolve();
              for await (const _ of stream);
            } catch (error) {
              if (!controller.signal.aborted) reject(error);
            }
          })();
        });
      await open(0);
      // Let the first stream's hub and watch start before the baseline.
      await sleep(2000);
      const oneRss = await settledRss(second.pid);
      for (let i = 1; i < streams; i += 500) {
        await Promise.all(Array.from({ length: Math.min(500, streams - i) }, (_, k) => open(i + k)));
        await sleep(50);
      }
      const active = await activeStreams(second.httpUrl);
      const manyRss = await settledRss(second.pid);
      controller.abort();
      streamFigures = {
        streams,
        connections,
        activeStreamsReported: active,
        oneStreamRssMB: round(oneRss / MB, 1),
        manyStreamsRssMB: round(manyRss / MB, 1),
        perStreamKB: round((manyRss - oneRss) / (streams - 1) / 1024, 2),
      };
      ctx.log(`streams: ${active} active, ${streamFigures.perStreamKB} KB each`);
    } finally {
      await second.stop();
    }
    const s = serversFigures;
    const w = streamFigures;
    const markdown = [
      "RSS of one `oaktree serve` process (from /proc), simulator in its own process. Baselines: the same process idle",
      "after start (servers), and with one stream open (streams). Each figure is a reading once RSS has settled",
      "(two readings 1 s apart within 1%).",
      "",
      table(
        ["what", "baseline RSS", "RSS", "per item", "target", "met"],
        [
          [
            `${fmt(projects * serversPerProject)} servers held across ${projects} projects (one watch each)`,
            `${s.idleRssMB} MB idle`,
            `**${s.heldRssMB} MB**`,
            `${fmt(s.perServerBytes!)} bytes per server`,
            "≤ 500 MB",
            s.heldRssMB! <= 500 ? "met" : "**not met**",
          ],
          [
            `${fmt(streams)} open WatchServers streams (${w.connections} connections; the server counted ${fmt(w.activeStreamsReported!)})`,
            `${w.oneStreamRssMB} MB with one`,
            `**${w.manyStreamsRssMB} MB**`,
            `${w.perStreamKB} KB per stream`,
            "≤ 20 KB per stream",
            w.perStreamKB! <= 20 ? "met" : "**not met**",
          ],
        ],
      ),
    ].join("\n");
    return {
      parameters: { projects, serversPerProject, streams, streamsPerConnection },
      figures: { servers: serversFigures, streams: streamFigures },
      markdown,
    };
  } finally {
    await sim.stop();
  }
}

/** `oaktree_rpc_active_streams` for WatchServers, from /metrics. */
async function activeStreams(httpUrl: string): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const match = /^oaktree_rpc_active_streams\{[^}]*method="WatchServers"[^}]*\} (\d+)/m.exec(text);
  return match ? Number(match[1]) : Number.NaN;
}
