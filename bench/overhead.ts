/**
 * Overhead: what oaktree's service costs per call, against a bare grpc-js server whose handlers
 * answer an empty message at once (bench/lib/empty-grpc-child.ts), measured in the same run,
 * alternating, with Debian's h2load (nghttp2-client): C connections × M concurrent streams for D
 * seconds after a warm-up, the request a gRPC frame built here from the generated code. Req/s from
 * h2load, p50/p99 from its per-request log.
 *
 * Measured: ListFlavors (served from oaktree's flavor cache), GetServer (nova's status is never
 * cached: each call is one `GET /servers/{id}` at the simulator), ListServers with 1,000 servers
 * (one listing at the simulator per call), and ListFlavors over the Connect JSON listener on
 * HTTP/1.1 (`h2load --h1`). h2load sees HTTP statuses only: oaktree's own
 * `oaktree_rpc_requests_total` (GET /metrics) gives the calls that did not end OK.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { create, type DescMessage, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { ListFlavorsRequestSchema } from "@oaktree/server/gen/oaktree/v1/flavor_pb.js";
import {
  GetServerRequestSchema,
  ListServersRequestSchema,
  ServerService,
} from "@oaktree/server/gen/oaktree/v1/server_pb.js";
import type { BenchContext } from "./benchmarks.js";
import { client, grpcTransport, SIM } from "./lib/grpc.js";
import { startEmptyGrpc, startOaktree, startSim } from "./lib/processes.js";
import { type BenchOutput, fmt, median, quantile, round, table } from "./lib/result.js";

const run_ = promisify(execFile);

interface Load {
  readonly target: string;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly succeeded: number;
  readonly failed: number;
}

/** A gRPC length-prefixed frame of `message`. */
function grpcFrame<D extends DescMessage>(schema: D, init: MessageInitShape<D>): Buffer {
  const body = toBinary(schema, create(schema, init));
  const frame = Buffer.alloc(5 + body.length);
  frame.writeUInt32BE(body.length, 1);
  Buffer.from(body).copy(frame, 5);
  return frame;
}

/** Runs h2load; returns req/s, p50/p99 from its per-request log, and its success counts. */
async function h2load(
  target: string,
  url: string,
  dataFile: string,
  headers: readonly string[],
  options: { connections: number; streams: number; seconds: number; warmupSeconds: number; h1?: boolean },
  dir: string,
): Promise<Load> {
  const log = join(dir, "h2load.log");
  rmSync(log, { force: true });
  const args = [
    ...(options.h1 ? ["--h1"] : []),
    "-c",
    String(options.connections),
    "-m",
    String(options.h1 ? 1 : options.streams),
    "-D",
    String(options.seconds),
    ...(options.warmupSeconds > 0 ? [`--warm-up-time=${options.warmupSeconds}`] : []),
    "-d",
    dataFile,
    ...headers.flatMap((h) => ["-H", h]),
    `--log-file=${log}`,
    url,
  ];
  const { stdout } = await run_("/usr/bin/h2load", args, {
    timeout: (options.seconds + options.warmupSeconds + 60) * 1000,
  });
  const rps = Number(/finished in [\d.]+m?s, ([\d.]+) req\/s/.exec(stdout)?.[1]);
  const counts =
    /requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored/.exec(stdout);
  if (!counts || Number.isNaN(rps)) throw new Error(`h2load: unexpected output:\n${stdout}`);
  const micros = readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => Number(line.split("\t")[2]));
  return {
    target,
    rps: round(rps, 1),
    p50Ms: round(median(micros) / 1000, 2),
    p99Ms: round(quantile(micros, 0.99) / 1000, 2),
    succeeded: Number(counts[1]),
    failed: Number(counts[2]) + Number(counts[3]),
  };
}

/** Calls that did not end OK, by method, from oaktree's /metrics. */
async function notOk(httpUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const match of text.matchAll(/^oaktree_rpc_requests_total\{([^}]*)\} (\d+)/gm)) {
    const labels = match[1]!;
    if (labels.includes('code="OK"')) continue;
    const method = /method="([^"]+)"/.exec(labels)?.[1] ?? "?";
    const code = /code="([^"]+)"/.exec(labels)?.[1] ?? "?";
    out[`${method} ${code}`] = (out[`${method} ${code}`] ?? 0) + Number(match[2]);
  }
  return out;
}

export async function run(ctx: BenchContext): Promise<BenchOutput> {
  const servers = ctx.tiny ? 50 : 1000;
  const options = {
    connections: 16,
    streams: 10,
    seconds: Number(process.env.BENCH_OVERHEAD_SECONDS ?? (ctx.tiny ? 1 : 10)),
    warmupSeconds: ctx.tiny ? 0 : 2,
  };
  const rounds = ctx.tiny ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), "oaktree-bench-overhead-"));
  const sim = await startSim({ profile: "modern", logCapacity: 10 });
  const methods = {
    ListFlavors: "/oaktree.v1.FlavorService/ListFlavors",
    GetServer: "/oaktree.v1.ServerService/GetServer",
    ListServers: "/oaktree.v1.ServerService/ListServers",
  };
  const empty = await startEmptyGrpc(Object.values(methods));
  try {
    await sim.admin("POST", "seed", {
      servers: [{ project: "demo", count: servers, namePrefix: "overhead" }],
    });
    const oaktree = await startOaktree(sim.cloudsYaml);
    try {
      const serverClient = client(ServerService, grpcTransport(oaktree.grpcAddress));
      const { servers: listed } = await serverClient.listServers({ location: SIM });
      if (listed.length !== servers)
        throw new Error(`ListServers returned ${listed.length} servers, expected ${servers}`);
      const files = {
        ListFlavors: grpcFrame(ListFlavorsRequestSchema, { location: SIM }),
        GetServer: grpcFrame(GetServerRequestSchema, { location: SIM, nameOrId: listed[0]!.id }),
        ListServers: grpcFrame(ListServersRequestSchema, { location: SIM }),
      };
      const paths: Record<string, string> = {};
      for (const [name, frame] of Object.entries(files)) {
        paths[name] = join(dir, `${name}.bin`);
        writeFileSync(paths[name]!, frame);
      }
      const jsonPath = join(dir, "ListFlavors.json");
      writeFileSync(jsonPath, JSON.stringify({ location: SIM }));
      const grpcHeaders = ["content-type: application/grpc", "te: trailers"];
      const loads: Load[] = [];
      const measure = async (target: string, base: string, method: keyof typeof methods) => {
        const load = await h2load(
          target,
          `${base}${methods[method]}`,
          paths[method]!,
          grpcHeaders,
          options,
          dir,
        );
        ctx.log(`${target}: ${fmt(load.rps)} req/s, p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms`);
        loads.push(load);
      };
      for (let r = 0; r < rounds; r++) {
        for (const method of ["ListFlavors", "GetServer"] as const) {
          const order: [string, string][] = [
            [`empty ${method}`, `http://${empty.address}`],
            [`oaktree ${method}`, `http://${oaktree.grpcAddress}`],
          ];
          // Alternate which goes first, so that neither always meets the other's leftovers.
          if (r % 2 === 1) order.reverse();
          for (const [target, base] of order) await measure(target, base, method);
        }
        // 1,000 servers per answer: 160 such calls in flight outlast the run on this machine (none
        // would complete); 2 connections × 2 streams measure what one call costs.
        const listServers = await h2load(
          `oaktree ListServers (${servers} servers; 2 × 2 streams)`,
          `http://${oaktree.grpcAddress}${methods.ListServers}`,
          paths.ListServers!,
          grpcHeaders,
          { ...options, connections: 2, streams: 2 },
          dir,
        );
        ctx.log(
          `${listServers.target}: ${listServers.rps} req/s, p50 ${listServers.p50Ms} ms, p99 ${listServers.p99Ms} ms`,
        );
        loads.push(listServers);
        const json = await h2load(
          "oaktree ListFlavors, Connect JSON over HTTP/1.1",
          `${oaktree.httpUrl}${methods.ListFlavors}`,
          jsonPath,
          ["content-type: application/json"],
          { ...options, h1: true },
          dir,
        );
        ctx.log(`${json.target}: ${fmt(json.rps)} req/s, p50 ${json.p50Ms} ms, p99 ${json.p99Ms} ms`);
        loads.push(json);
      }
      const failedCalls = await notOk(oaktree.httpUrl);
      const byTarget = new Map<string, Load[]>();
      for (const load of loads) byTarget.set(load.target, [...(byTarget.get(load.target) ?? []), load]);
      const summary = [...byTarget.entries()].map(([target, runs]) => ({
        target,
        rps: median(runs.map((l) => l.rps)),
        p50Ms: median(runs.map((l) => l.p50Ms)),
        p99Ms: median(runs.map((l) => l.p99Ms)),
        failed: runs.reduce((sum, l) => sum + l.failed, 0),
        runs: runs.map((l) => l.rps),
      }));
      const get = (target: string) => summary.find((s) => s.target === target)!;
      const rows = summary.map((s) => {
        const method = s.target.split(" ")[1]!;
        const baseline =
          s.target.startsWith("oaktree") && !s.target.includes(",")
            ? summary.find((b) => b.target === `empty ${method}`)
            : undefined;
        return [
          s.target,
          `${fmt(s.rps)} (${s.runs.map((x) => fmt(x)).join(" · ")})`,
          baseline ? `**${fmt(s.rps / baseline.rps, 2)}×**` : "",
          `${s.p50Ms} ms`,
          `${s.p99Ms} ms`,
          s.failed,
        ];
      });
      const checks = (["ListFlavors", "GetServer"] as const).map((method) => {
        const o = get(`oaktree ${method}`);
        const e = get(`empty ${method}`);
        const ratio = o.rps / e.rps;
        return { method, ratio: round(ratio, 3), rpsMet: ratio >= 0.7, p99Met: o.p99Ms < 5 };
      });
      const markdown = [
        `h2load, ${options.connections} connections × ${options.streams} streams, ${options.seconds} s after a ${options.warmupSeconds} s warm-up,`,
        `${rounds} rounds alternating oaktree and the baseline (medians; each round's req/s in brackets). Baseline: a bare`,
        "grpc-js server answering an empty message (same methods, same run). oaktree: `oaktree serve` (one process)",
        `on the simulator (own process, ${servers} servers). Targets: ≥ 0.7× the empty handler's req/s, p99 < 5 ms.`,
        "",
        table(["target", "req/s", "vs empty handler", "p50", "p99", "failed (h2load)"], rows),
        "",
        ...checks.map(
          (c) =>
            `- ${c.method}: ${c.ratio}× the empty handler's req/s: **${c.rpsMet ? "met" : "not met"}**; ` +
            `p99 < 5 ms: **${c.p99Met ? "met" : "not met"}**.`,
        ),
        `- Calls oaktree ended with a code other than OK (its /metrics, all runs): ${JSON.stringify(failedCalls)}: h2load`,
        "  resets the streams still in flight when its duration ends (up to connections × streams per run), which",
        "  oaktree counts as CANCELLED; h2load counts only the calls that completed.",
        "- GetServer reads nova on every call (statuses are never cached, decision 0012), so its figure includes",
        "  a `GET /servers/{id}` at the simulator, which shares the 2 cores; ListServers lists 1,000 servers each call.",
      ].join("\n");
      return {
        parameters: { ...options, rounds, servers, h2load: "nghttp2 h2load" },
        figures: { summary, checks, failedCalls, loads },
        markdown,
      };
    } finally {
      await oaktree.stop();
    }
  } finally {
    await empty.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
