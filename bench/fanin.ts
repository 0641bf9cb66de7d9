/**
 * Fan-in: C clients, each on its own gRPC connection to one `oaktree serve`, each calling a list
 * method at up to R Hz for D seconds; the requests the cloud (the simulator, in its own process)
 * sees for them. Without oaktree every client call would be (at least) one request at the cloud:
 * that is the baseline, counted in the same run as the calls the clients completed.
 *
 * Two phases in one run: ListServers (statuses: oaktree reads the cloud on every call, shared
 * only while a read is in flight) and ListFlavors (a cached kind, TTL `cache.expiration.flavor`).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { FlavorService } from "@oaktree/server/gen/oaktree/v1/flavor_pb.js";
import { ServerService } from "@oaktree/server/gen/oaktree/v1/server_pb.js";
import type { BenchContext } from "./benchmarks.js";
import { client, openTransports, SIM } from "./lib/grpc.js";
import { processCpuMs, startOaktree, startSim } from "./lib/processes.js";
import { type BenchOutput, fmt, median, quantile, round, table } from "./lib/result.js";

type Method = "ListServers" | "ListFlavors";

interface PhaseResult {
  readonly method: Method;
  readonly clientCalls: number;
  readonly clientErrors: number;
  readonly cloudRequests: number;
  /** The cloud requests for the listed kind itself (`GET /servers/detail`, `GET /flavors/detail`). */
  readonly kindRequests: number;
  readonly cloudRoutes: Record<string, number>;
  readonly seconds: number;
  readonly callsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly oaktreeCpuMs: number;
}

export async function run(ctx: BenchContext): Promise<BenchOutput> {
  const clients = ctx.tiny ? 20 : 1000;
  const hz = 10;
  const seconds = ctx.tiny ? 2 : 30;
  const servers = ctx.tiny ? 10 : 100;
  const flavorTtlSeconds = 300;
  const sim = await startSim({ profile: "modern", logCapacity: 10 });
  const phases: PhaseResult[] = [];
  try {
    await sim.admin("POST", "seed", { servers: [{ project: "demo", count: servers, namePrefix: "fanin" }] });
    const oaktree = await startOaktree(
      sim.cloudsYaml,
      `cache:\n  expiration:\n    flavor: ${flavorTtlSeconds}\n`,
    );
    try {
      const transports = await openTransports(oaktree.grpcAddress, clients);
      for (const method of ["ListServers", "ListFlavors"] as const) {
        const call =
          method === "ListServers"
            ? (i: number) => client(ServerService, transports[i]!).listServers({ location: SIM })
            : (i: number) => client(FlavorService, transports[i]!).listFlavors({ location: SIM });
        await sim.admin("POST", "reset");
        const cpu0 = processCpuMs(oaktree.pid);
        const latencies: number[] = [];
        let calls = 0;
        let errors = 0;
        const t0 = performance.now();
        const until = t0 + seconds * 1000;
        const periodMs = 1000 / hz;
        await Promise.all(
          transports.map(async (_, i) => {
            // Spread the clients' phases over one period, as independent clients would be.
            let next = t0 + (i / clients) * periodMs;
            while (next < until) {
              const wait = next - performance.now();
              if (wait > 0) await sleep(wait);
              const start = performance.now();
              try {
                await call(i);
                calls += 1;
                latencies.push(performance.now() - start);
              } catch {
                errors += 1;
              }
              // At most R Hz: the next call at the next tick (late ticks are skipped, not bunched).
              next += periodMs * Math.max(1, Math.ceil((performance.now() - next) / periodMs));
            }
          }),
        );
        const elapsed = (performance.now() - t0) / 1000;
        const cloudRoutes = await sim.counters();
        const result: PhaseResult = {
          method,
          clientCalls: calls,
          clientErrors: errors,
          cloudRequests: Object.values(cloudRoutes).reduce((a, b) => a + b, 0),
          kindRequests: Object.entries(cloudRoutes)
            .filter(([route]) =>
              route.startsWith(method === "ListServers" ? "compute GET /servers" : "compute GET /flavors"),
            )
            .reduce((a, [, b]) => a + b, 0),
          cloudRoutes,
          seconds: round(elapsed, 1),
          callsPerSecond: round(calls / elapsed),
          latencyP50Ms: round(median(latencies), 1),
          latencyP99Ms: round(quantile(latencies, 0.99), 1),
          oaktreeCpuMs: round(processCpuMs(oaktree.pid) - cpu0),
        };
        ctx.log(
          `${method}: ${calls} calls (${result.callsPerSecond}/s, ${errors} errors), ${result.cloudRequests} cloud requests`,
        );
        phases.push(result);
      }
    } finally {
      await oaktree.stop();
    }
  } finally {
    await sim.stop();
  }
  const offered = clients * hz * seconds;
  const rows = phases.map((p) => [
    p.method,
    `${fmt(p.clientCalls)} (${fmt(p.callsPerSecond)}/s of ${fmt(clients * hz)}/s offered)`,
    `${fmt(p.kindRequests)} (${fmt(p.cloudRequests)} in all)`,
    `**${fmt(p.clientCalls / Math.max(1, p.kindRequests), 1)}×**`,
    `${p.latencyP50Ms} / ${p.latencyP99Ms} ms`,
    p.clientErrors,
    `${fmt(p.oaktreeCpuMs)} ms`,
  ]);
  const servers_ = phases.find((p) => p.method === "ListServers");
  const flavors = phases.find((p) => p.method === "ListFlavors");
  const ttlBound = Math.ceil(seconds / flavorTtlSeconds);
  const markdown = [
    `${fmt(clients)} gRPC clients (one HTTP/2 connection each, in one process), each calling at up to`,
    `${hz} Hz for ${seconds} s (${fmt(offered)} calls offered) on one \`oaktree serve\` process; the simulator`,
    `(own process, ${servers} servers in the project) counts the requests. Baseline: the clients' own calls,`,
    "each of which would be a request at the cloud without oaktree. Target: ≤ 1 request per cache TTL per project.",
    "The other cloud requests (authentication, discovery, and oaktree's own background listings of servers,",
    "volumes, floating IPs and networks) are in the JSON by route.",
    "",
    table(
      [
        "method",
        "client calls (baseline)",
        "cloud listings of the kind (all cloud requests)",
        "calls per cloud listing",
        "latency p50 / p99",
        "errors",
        "oaktree CPU",
      ],
      rows,
    ),
    "",
    flavors
      ? `ListFlavors (cached kind, TTL ${flavorTtlSeconds} s, so at most ${ttlBound} listing per run): target ` +
        `**${flavors.kindRequests <= ttlBound ? "met" : "not met"}** (${flavors.kindRequests} flavor listing).`
      : "",
    servers_
      ? `ListServers: target **${servers_.kindRequests <= ttlBound ? "met" : "not met"}** ` +
        `(${fmt(servers_.kindRequests)} server listings): see "What limits the targets not met".`
      : "",
  ].join("\n");
  return {
    parameters: { clients, hz, seconds, servers, flavorTtlSeconds, offeredCalls: offered },
    figures: { phases },
    markdown,
  };
}
