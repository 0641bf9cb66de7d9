/**
 * Boot with a reachable IP, against the peer: N servers at once, each with a floating IP, through
 * oaktree's gRPC API (`CreateServer` with `auto_ip` and `wait`, one stream per server, each call
 * with its own `x-request-id`) and through openstacksdk (Debian's python3-openstacksdk: N threads,
 * each its own Connection with its own global request id, `create_server(auto_ip=True,
 * wait=True)`), alternating in one run. Requests are counted at the cloud, the same way for both:
 *
 * - `boot` (simulator, N = 100): every request of the phase in the simulator's counters (each
 *   phase on a fresh simulator, its network set up by bench/boot/cloud_setup.py first);
 * - `boot-real` (the real OpenStack of test/e2e/openstack, N = 1, 10, 30; `npm run bench --
 *   boot-real`, not part of `all`): the access lines of nova-api, neutron-server, glance-api and
 *   cinder-api logs written during the phase whose project is the benchmark's own (a project and
 *   user made for the run, deleted after) or whose global request id is one the clients sent.
 *   Keystone logs no access lines: token requests are not counted, for either client.
 *
 * After each phase: failures, leftovers (servers and floating IPs the project holds beyond the
 * successful boots'), then everything is deleted and checked gone.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ServerService } from "@oaktree/server/gen/oaktree/v1/server_pb.js";
import type { BenchContext } from "./benchmarks.js";
import { client, grpcTransport } from "./lib/grpc.js";
import { startOaktree, startSim } from "./lib/processes.js";
import { type BenchOutput, fmt, median, quantile, ROOT, round, table } from "./lib/result.js";
import { lineChart } from "./lib/svg.js";

const run_ = promisify(execFile);
const PYTHON = "/usr/bin/python3";
const SETUP = join(ROOT, "bench/boot/cloud_setup.py");

interface Boot {
  readonly ok: boolean;
  readonly seconds: number;
  readonly error?: string;
}

interface Phase {
  readonly n: number;
  readonly client: "oaktree" | "openstacksdk";
  readonly requests: number;
  readonly routes: Record<string, number>;
  readonly succeeded: number;
  readonly failed: number;
  readonly errors: string[];
  readonly wallSeconds: number;
  readonly bootP50Seconds: number;
  readonly bootMaxSeconds: number;
  readonly leftovers: { servers: number; floatingIps: number; unattachedFloatingIps: number };
  readonly afterCleanup: { servers: number; floatingIps: number };
}

/** Where the servers boot, and how the cloud's requests are counted. */
interface Target {
  readonly cloudsYaml: string;
  readonly cloud: string;
  readonly image: string;
  readonly flavor: string;
  readonly network: string;
  readonly timeoutSeconds: number;
  /** Starts counting (before the phase). */
  mark(): Promise<void>;
  /** The requests since mark() that belong to the phase (`ids`: the global request ids sent). */
  count(ids: readonly string[]): Promise<Record<string, number>>;
}

async function python(cloudsYaml: string, args: readonly string[], timeoutMs = 600_000): Promise<unknown> {
  const { stdout } = await run_(PYTHON, args, {
    env: { ...process.env, OS_CLIENT_CONFIG_FILE: cloudsYaml },
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  });
  const last = stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(last);
}

async function bootWithOaktree(
  target: Target,
  n: number,
  prefix: string,
): Promise<{ boots: Boot[]; ids: string[] }> {
  const oaktree = await startOaktree(target.cloudsYaml, "", [], target.cloud);
  const env = { cloud: target.cloud };
  try {
    const ids = Array.from({ length: n }, () => `req-${randomUUID()}`);
    const transport = grpcTransport(oaktree.grpcAddress);
    const servers = client(ServerService, transport);
    const boots = await Promise.all(
      ids.map(async (id, i): Promise<Boot> => {
        const started = performance.now();
        try {
          let ip = "";
          for await (const event of servers.createServer(
            {
              location: env,
              name: `${prefix}-${i}`,
              image: target.image,
              flavor: target.flavor,
              networks: [target.network],
              autoIp: true,
              wait: true,
              timeoutSeconds: target.timeoutSeconds,
            },
            { headers: { "x-request-id": id }, timeoutMs: (target.timeoutSeconds + 60) * 1000 },
          )) {
            ip = event.floatingIp || event.server?.publicV4 || ip;
          }
          const seconds = (performance.now() - started) / 1000;
          return ip
            ? { ok: true, seconds }
            : { ok: false, seconds, error: "no floating IP in the last event" };
        } catch (error) {
          return {
            ok: false,
            seconds: (performance.now() - started) / 1000,
            error: String(error).slice(0, 300),
          };
        }
      }),
    );
    return { boots, ids };
  } finally {
    await oaktree.stop();
  }
}

async function bootWithSdk(
  target: Target,
  n: number,
  prefix: string,
): Promise<{ boots: Boot[]; ids: string[] }> {
  const spec = {
    cloud: target.cloud,
    n,
    image: target.image,
    flavor: target.flavor,
    network: target.network,
    prefix,
  };
  const out = (await python(
    target.cloudsYaml,
    [join(ROOT, "bench/boot/sdk_boot.py"), JSON.stringify({ ...spec, timeout: target.timeoutSeconds })],
    (target.timeoutSeconds + 120) * 1000,
  )) as { results: (Boot & { globalRequestId?: string })[] };
  return {
    boots: out.results.map((r) => ({ ok: r.ok, seconds: r.seconds, ...(r.error && { error: r.error }) })),
    ids: out.results.flatMap((r) => (r.globalRequestId ? [r.globalRequestId] : [])),
  };
}

async function phase(target: Target, n: number, who: Phase["client"], prefix: string): Promise<Phase> {
  await target.mark();
  const { boots, ids } =
    who === "oaktree" ? await bootWithOaktree(target, n, prefix) : await bootWithSdk(target, n, prefix);
  // Every boot starts at once: the wall time is the slowest boot's (first call to last answer,
  // without the client's own start: oaktree serve's start-up, python's imports).
  const wallSeconds = Math.max(...boots.map((b) => b.seconds));
  const routes = await target.count(ids);
  const leftovers = (await python(target.cloudsYaml, [
    SETUP,
    "leftovers",
    target.cloud,
  ])) as Phase["leftovers"];
  const succeeded = boots.filter((b) => b.ok).length;
  const cleaned = (await python(target.cloudsYaml, [SETUP, "clean", target.cloud])) as {
    after: Phase["afterCleanup"];
  };
  const errors = [...new Set(boots.flatMap((b) => (b.error ? [b.error] : [])))].slice(0, 5);
  return {
    n,
    client: who,
    requests: Object.values(routes).reduce((a, b) => a + b, 0),
    routes,
    succeeded,
    failed: n - succeeded,
    errors,
    wallSeconds: round(wallSeconds, 1),
    bootP50Seconds: round(median(boots.map((b) => b.seconds)), 1),
    bootMaxSeconds: round(
      quantile(
        boots.map((b) => b.seconds),
        1,
      ),
      1,
    ),
    leftovers: {
      servers: leftovers.servers - succeeded,
      floatingIps: leftovers.floatingIps - succeeded,
      unattachedFloatingIps: leftovers.unattachedFloatingIps,
    },
    afterCleanup: { servers: cleaned.after.servers, floatingIps: cleaned.after.floatingIps },
  };
}

function report(phases: readonly Phase[], intro: string): BenchOutput["markdown"] {
  const rows = phases.map((p) => {
    const peer = phases.find((q) => q.n === p.n && q.client !== p.client);
    const perServer = p.requests / p.n;
    const ratio =
      p.client === "openstacksdk" && peer
        ? `**${fmt(perServer / (peer.requests / peer.n), 1)}×** oaktree's`
        : "";
    return [
      p.n,
      p.client,
      `${fmt(perServer, 1)} (${fmt(p.requests)})`,
      ratio,
      `${p.succeeded}/${p.n}`,
      `${p.wallSeconds} s`,
      `${p.bootP50Seconds} / ${p.bootMaxSeconds} s`,
      `${p.leftovers.servers} servers, ${p.leftovers.unattachedFloatingIps} unattached FIPs`,
      p.errors.length > 0 ? p.errors[0]!.replace(/\|/g, "/").slice(0, 120) : "",
    ];
  });
  return [
    intro,
    "",
    table(
      [
        "N",
        "client",
        "requests per server (total)",
        "vs oaktree",
        "succeeded",
        "wall time",
        "boot p50 / max",
        "leftovers",
        "first error",
      ],
      rows,
    ),
    "",
    "Leftovers: what the project held after the phase beyond the successful servers and their floating IPs",
    "(negative: fewer than the successes, e.g. a server without its address); after each phase everything was",
    `deleted: ${phases.every((p) => p.afterCleanup.servers === 0 && p.afterCleanup.floatingIps === 0) ? "nothing was left" : "**something was left** (see the JSON)"}.`,
  ].join("\n");
}

/** Requests per server against N, one line per client. */
export function bootChart(phases: readonly Phase[], sizes: readonly number[]): string {
  const perServer = (who: Phase["client"]) =>
    sizes.map((n) => {
      const p = phases.find((q) => q.n === n && q.client === who);
      return p ? p.requests / p.n : Number.NaN;
    });
  return lineChart({
    title: "Requests at the cloud per server booted with a floating IP",
    xLabel: "N servers booted at once (log)",
    yLabel: "requests per server (log)",
    xs: sizes,
    series: [
      { name: "oaktree (CreateServer)", ys: perServer("oaktree") },
      { name: "openstacksdk create_server", ys: perServer("openstacksdk") },
    ],
  });
}

/** `boot`: the simulator, N = 100 (tiny: 3). */
export async function run(ctx: BenchContext): Promise<BenchOutput> {
  const n = ctx.tiny ? 3 : 100;
  const phases: Phase[] = [];
  for (const who of ["oaktree", "openstacksdk"] as const) {
    const sim = await startSim({ profile: "modern", logCapacity: 10, buildDelayMs: 2000 });
    try {
      await sim.admin("POST", "quotas", {
        service: "compute",
        project: "demo",
        limits: { instances: n + 10, cores: 2 * (n + 10), ram: 4096 * (n + 10) },
      });
      await sim.admin("POST", "quotas", {
        service: "network",
        project: "demo",
        limits: { floatingip: 3 * n, port: 5 * n },
      });
      const { network } = (await python(sim.cloudsYaml, [SETUP, "network", "sim", "bench"])) as {
        network: string;
      };
      const target: Target = {
        cloudsYaml: sim.cloudsYaml,
        cloud: "sim",
        image: "cirros-0.6.2-x86_64-disk",
        flavor: "m1.tiny",
        network,
        timeoutSeconds: 300,
        mark: async () => {
          await sim.admin("POST", "reset");
        },
        count: () => sim.counters(),
      };
      const result = await phase(target, n, who, `bench-${who}`);
      ctx.log(
        `N=${n} ${who}: ${result.requests} requests, ${result.succeeded}/${n} ok, ${result.wallSeconds} s`,
      );
      phases.push(result);
    } finally {
      await sim.stop();
    }
  }
  const intro = [
    `N = ${n} boots at once with a floating IP on the simulator (profile modern, builds of 2 s, each client on a`,
    "fresh simulator with the same network + router set up first), counted at the simulator: every request of the",
    "phase, identity included. oaktree: one `oaktree serve`, N `CreateServer` streams. openstacksdk: Debian's",
    "python3-openstacksdk 0.101, N threads, each its own Connection, `create_server(auto_ip=True, wait=True)`.",
  ].join("\n");
  return {
    parameters: { n, buildDelayMs: 2000, target: "simulator", sdk: "python3-openstacksdk 0.101" },
    figures: { phases },
    markdown: report(phases, intro),
  };
}

/** Log files of the real OpenStack whose access lines are counted. */
const LOGS = ["nova-api.log", "neutron-server.log", "glance-api.log", "cinder-api.log"];
const LOG_DIR = "/tmp/oaktree-openstack/log";
const ACCESS =
  /^\S+ \S+ \d+ \w+ (\S+) \[(\S+) (\S+) (\S+) (\S+) [^\]]*\] .*?"(GET|POST|PUT|DELETE|PATCH|HEAD) (\S+) HTTP/;

/** The text appended to `path` since `offset`. */
function appended(path: string, offset: number): string {
  const size = statSync(path).size;
  if (size <= offset) return "";
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(size - offset);
    readSync(fd, buffer, 0, buffer.length, offset);
    return buffer.toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** `boot-real`: the real OpenStack (N = 1, 10, 30), in a project made for the run. */
export async function runReal(ctx: BenchContext): Promise<BenchOutput> {
  const sizes = ctx.tiny ? [1] : (process.env.BENCH_BOOT_SIZES ?? "1,10,30").split(",").map(Number);
  const base = process.env.OS_CLIENT_CONFIG_FILE ?? "/tmp/oaktree-openstack/clouds.yaml";
  const adminCloud = process.env.OAKTREE_E2E_ADMIN_CLOUD ?? "devstack-admin";
  const name = `oaktree-bench-${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), "oaktree-bench-boot-"));
  const cloudsYaml = join(dir, "clouds.yaml");
  const { project } = (await python(base, [SETUP, "project", adminCloud, name, cloudsYaml])) as {
    project: string;
  };
  // The admin cloud (for teardown) next to the benchmark's cloud.
  const adminBlock = readFileSync(base, "utf8").split(/^clouds:\n/m)[1] ?? "";
  writeFileSync(cloudsYaml, `${readFileSync(cloudsYaml, "utf8").trimEnd()}\n${adminBlock}`);
  const phases: Phase[] = [];
  try {
    const { network } = (await python(cloudsYaml, [SETUP, "network", name, name])) as { network: string };
    let offsets = new Map<string, number>();
    const target: Target = {
      cloudsYaml,
      cloud: name,
      image: process.env.BENCH_BOOT_IMAGE ?? "cirros-fake",
      flavor: process.env.BENCH_BOOT_FLAVOR ?? "m1.nano",
      network,
      timeoutSeconds: 900,
      mark: async () => {
        offsets = new Map(LOGS.map((log) => [log, statSync(join(LOG_DIR, log)).size]));
      },
      count: async (ids) => {
        // The services write their access line when the answer is sent: let the last ones land.
        await new Promise((resolve) => setTimeout(resolve, 3000));
        const ours = new Set(ids);
        const routes: Record<string, number> = {};
        for (const log of LOGS) {
          for (const line of appended(join(LOG_DIR, log), offsets.get(log) ?? 0).split("\n")) {
            const m = ACCESS.exec(line);
            if (!m || !m[1]!.includes("wsgi")) continue;
            const [globalId, , , projectId, method, path] = [m[2]!, m[3], m[4], m[5]!, m[6]!, m[7]!];
            if (projectId !== project && !ours.has(globalId)) continue;
            const route = `${log.replace(/\.log$/, "")} ${method} ${path.split("?")[0]!.replace(/[0-9a-f-]{32,36}/g, "{id}")}`;
            routes[route] = (routes[route] ?? 0) + 1;
          }
        }
        return routes;
      },
    };
    for (const [k, n] of sizes.entries()) {
      const order: Phase["client"][] =
        k % 2 === 0 ? ["oaktree", "openstacksdk"] : ["openstacksdk", "oaktree"];
      for (const who of order) {
        const result = await phase(target, n, who, `${name}-${who}`);
        ctx.log(
          `N=${n} ${who}: ${result.requests} requests, ${result.succeeded}/${n} ok, ${result.wallSeconds} s`,
        );
        phases.push(result);
      }
    }
  } finally {
    const teardown = await python(cloudsYaml, [SETUP, "teardown", name, name, adminCloud]).catch(
      (error: unknown) => ({ error: String(error) }),
    );
    ctx.log(`teardown: ${JSON.stringify(teardown)}`);
    rmSync(dir, { recursive: true, force: true });
  }
  const intro = [
    `N = ${sizes.join(", ")} boots at once with a floating IP on the real OpenStack Zed of test/e2e/openstack (fake`,
    "virt driver, 2 cores shared with the other agents), oaktree and openstacksdk alternating (which goes first",
    "alternates with N), in a project and user made for the run (deleted after). Requests counted from the",
    "services' access logs (nova-api, neutron-server, glance-api, cinder-api): lines of the run's project or",
    "with a global request id a client sent. Keystone writes no access lines: tokens are not counted for either.",
  ].join("\n");
  return {
    parameters: {
      sizes,
      target: "real OpenStack (devstack Zed)",
      sdk: "python3-openstacksdk 0.101",
      logs: LOGS,
    },
    figures: { phases },
    markdown: report(phases, intro),
    svg: bootChart(phases, sizes),
  };
}
