/**
 * Waiters: N concurrent waits for servers that take T seconds to build, counted at the cloud (the
 * simulator, in its own process), three ways in the same run, each on a fresh simulator:
 *
 * - oaktree: N gRPC clients (one connection each, at most 100, then shared) to one `oaktree serve` (default 5 s poll),
 *   each waiting on a `WatchServers` stream filtered to its server id until it shows ACTIVE;
 * - per-server polling, what openstacksdk's `wait_for_server` does today (simulated here in TS,
 *   request for request): `GET /servers/{id}` every 2 s (the sdk's default `interval`) per waiter;
 * - shade's way (simulated in TS): each waiter is its own client process whose one batched
 *   `GET /servers/detail` (every page) every 5 s answers its waits: N clients, N lists per interval.
 *   At N above `shadeMaxN` it is not run (N full listings of N servers every 5 s would saturate
 *   this shared 2-core machine): its count is the per-client count measured at the largest N run
 *   times N, marked as modelled.
 *
 * The N boots (`POST /servers`, `networks: none`, 16 in flight) go straight to the simulator and
 * are not counted; each wait starts when its boot answers, as `create_server(wait=True)` does.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Transport } from "@connectrpc/connect";
import { ServerService } from "@oaktree/server/gen/oaktree/v1/server_pb.js";
import type { BenchContext } from "./benchmarks.js";
import { client, openTransports, SIM } from "./lib/grpc.js";
import { type SimProcess, startOaktree, startSim } from "./lib/processes.js";
import { type BenchOutput, fmt, median, quantile, round, table } from "./lib/result.js";
import { lineChart } from "./lib/svg.js";

type Strategy = "oaktree" | "per-server" | "shade";

interface Phase {
  readonly n: number;
  readonly strategy: Strategy;
  readonly requests: number;
  readonly routes: Record<string, number>;
  readonly modelled: boolean;
  readonly waitP50Ms: number;
  readonly waitP95Ms: number;
  /** Waits that did not see ACTIVE before their deadline (T + 120 s), or failed. */
  readonly failed: number;
  readonly firstError?: string;
  readonly wallMs: number;
}

const SDK_INTERVAL_MS = 2000;
const SHADE_INTERVAL_MS = 5000;
const CREATE_CONCURRENCY = 16;
/** oaktree's clients: one connection each up to this many, then streams share them. */
const MAX_CONNECTIONS = 100;

async function token(url: string): Promise<string> {
  const res = await fetch(`${url}/identity/v3/auth/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: "demo", domain: { id: "default" }, password: "secret" } },
        },
        scope: { project: { name: "demo", domain: { id: "default" } } },
      },
    }),
  });
  if (res.status !== 201) throw new Error(`simulator token: ${res.status}`);
  return res.headers.get("x-subject-token")!;
}

async function getJson<T>(url: string, headers: Record<string, string>): Promise<T> {
  const res = await fetch(url, { headers });
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
  return (await res.json()) as T;
}

/** openstacksdk's wait_for_server: GET the server every interval until ACTIVE. */
async function perServerWait(sim: SimProcess, headers: Record<string, string>, id: string, deadline: number) {
  while (Date.now() < deadline) {
    const { server } = await getJson<{ server: { status: string } }>(
      `${sim.url}/compute/v2.1/servers/${id}`,
      headers,
    );
    if (server.status === "ACTIVE") return;
    if (server.status === "ERROR") throw new Error(`server ${id} went to ERROR`);
    await sleep(SDK_INTERVAL_MS);
  }
  throw new Error(`server ${id}: per-server wait timed out`);
}

/** shade: the client's one list every interval (every page) answers its waits. */
async function shadeWait(sim: SimProcess, headers: Record<string, string>, id: string, deadline: number) {
  while (Date.now() < deadline) {
    let next: string | undefined = `${sim.url}/compute/v2.1/servers/detail`;
    let status: string | undefined;
    while (next !== undefined) {
      const page: {
        servers: { id: string; status: string }[];
        servers_links?: { rel: string; href: string }[];
      } = await getJson(next, headers);
      status ??= page.servers.find((s) => s.id === id)?.status;
      next = page.servers_links?.find((l) => l.rel === "next")?.href;
    }
    if (status === "ACTIVE") return;
    if (status === "ERROR") throw new Error(`server ${id} went to ERROR`);
    await sleep(SHADE_INTERVAL_MS);
  }
  throw new Error(`server ${id}: shade wait timed out`);
}

/** oaktree: a WatchServers stream filtered to the server, until it shows ACTIVE. */
async function oaktreeWait(transport: Transport, id: string, deadline: number) {
  const signal = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
  const servers = client(ServerService, transport);
  const controller = new AbortController();
  const abort = () => controller.abort();
  signal.addEventListener("abort", abort, { once: true });
  try {
    for await (const event of servers.watchServers(
      { location: SIM, filter: { fields: { id } } },
      { signal: controller.signal },
    )) {
      if (event.server?.id !== id) continue;
      if (event.server.status === "ACTIVE") return;
      if (event.server.status === "ERROR") throw new Error(`server ${id} went to ERROR`);
    }
  } catch (error) {
    if (signal.aborted) throw new Error(`server ${id}: oaktree wait timed out`);
    throw error;
  } finally {
    signal.removeEventListener("abort", abort);
    controller.abort();
  }
  throw new Error(`server ${id}: the watch ended before ACTIVE`);
}

async function phase(n: number, strategy: Strategy, buildMs: number): Promise<Phase> {
  const sim = await startSim({ profile: "modern", buildDelayMs: buildMs, logCapacity: 10 });
  const oaktree =
    strategy === "oaktree"
      ? await startOaktree(sim.cloudsYaml, "watch:\n  poll_interval_ms: 5000\n")
      : undefined;
  try {
    await sim.admin("POST", "quotas", {
      service: "compute",
      project: "demo",
      limits: { instances: n + 10, cores: 2 * (n + 10), ram: 4096 * (n + 10) },
    });
    const headers = { "x-auth-token": await token(sim.url), "openstack-api-version": "compute 2.79" };
    const images = await getJson<{ images: { id: string }[] }>(`${sim.url}/image/v2/images`, headers);
    const imageRef = images.images[0]!.id;
    // A long-lived oaktree has authenticated and discovered the cloud already, as the baselines'
    // clients have their token: that one-time cost is not part of the waits.
    // The clients' connections are open before the boots (one per client, at most MAX_CONNECTIONS).
    const transports = oaktree ? await openTransports(oaktree.grpcAddress, Math.min(n, MAX_CONNECTIONS)) : [];
    if (oaktree) await client(ServerService, transports[0]!).listServers({ location: SIM });
    await sim.admin("POST", "reset");
    const deadline = Date.now() + buildMs + 120_000;
    const waits: Promise<number>[] = [];
    let firstError: string | undefined;
    const t0 = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(CREATE_CONCURRENCY, n) }, async () => {
        while (next < n) {
          const i = next++;
          const res = await fetch(`${sim.url}/compute/v2.1/servers`, {
            method: "POST",
            headers: { ...headers, "content-type": "application/json" },
            body: JSON.stringify({
              server: { name: `wait-${i}`, imageRef, flavorRef: "1", networks: "none" },
            }),
          });
          if (res.status !== 202) throw new Error(`POST /servers: ${res.status} ${await res.text()}`);
          const id = ((await res.json()) as { server: { id: string } }).server.id;
          const started = Date.now();
          const wait =
            strategy === "oaktree"
              ? oaktreeWait(transports[i % transports.length]!, id, deadline)
              : strategy === "per-server"
                ? perServerWait(sim, headers, id, deadline)
                : shadeWait(sim, headers, id, deadline);
          // A wait that fails is a data point (counted, with the first error), not the end of the run.
          const timed = wait.then(
            () => Date.now() - started,
            (error: unknown) => {
              firstError ??= String(error).slice(0, 200);
              return Number.NaN;
            },
          );
          waits.push(timed);
        }
      }),
    );
    const all = await Promise.all(waits);
    const durations = all.filter((d) => Number.isFinite(d));
    const wallMs = Date.now() - t0;
    const routes = await sim.counters();
    delete routes["compute POST /servers"];
    return {
      n,
      strategy,
      requests: Object.values(routes).reduce((a, b) => a + b, 0),
      routes,
      modelled: false,
      waitP50Ms: round(median(durations)),
      waitP95Ms: round(quantile(durations, 0.95)),
      failed: all.length - durations.length,
      ...(firstError !== undefined && { firstError }),
      wallMs,
    };
  } finally {
    await oaktree?.stop();
    await sim.stop();
  }
}

export async function run(ctx: BenchContext): Promise<BenchOutput> {
  // BENCH_WAITERS_SIZES / BENCH_WAITERS_STRATEGIES narrow a run (e.g. to profile one phase).
  const sizes = ctx.tiny
    ? [1, 3]
    : (process.env.BENCH_WAITERS_SIZES ?? "1,10,100,1000").split(",").map(Number);
  const strategies = (process.env.BENCH_WAITERS_STRATEGIES ?? "oaktree,per-server,shade").split(
    ",",
  ) as Strategy[];
  // Not a multiple of any poll interval (5 s, 2 s): builds ending exactly on a poll would make
  // every strategy's count depend on which side of the build's end each poll fell.
  const buildMs = ctx.tiny ? 1500 : 12_000;
  const shadeMaxN = ctx.tiny ? 3 : 100;
  const phases: Phase[] = [];
  for (const n of sizes) {
    for (const strategy of strategies) {
      if (strategy === "shade" && n > shadeMaxN) {
        const measured = phases.filter((p) => p.strategy === "shade" && !p.modelled).at(-1)!;
        phases.push({
          ...measured,
          n,
          requests: Math.round((measured.requests / measured.n) * n),
          routes: {},
          modelled: true,
        });
        continue;
      }
      const result = await phase(n, strategy, buildMs);
      ctx.log(`N=${n} ${strategy}: ${result.requests} requests, wait p50 ${result.waitP50Ms} ms`);
      phases.push(result);
    }
  }
  const parameters = {
    sizes,
    strategies,
    buildMs,
    oaktreePollMs: 5000,
    sdkIntervalMs: SDK_INTERVAL_MS,
    shadeIntervalMs: SHADE_INTERVAL_MS,
    shadeMaxN,
    createConcurrency: CREATE_CONCURRENCY,
  };
  if (strategies.length < 3) {
    return {
      parameters,
      figures: { phases },
      markdown: "A partial run (BENCH_WAITERS_STRATEGIES): see the JSON.",
    };
  }
  const get = (n: number, s: Strategy) => phases.find((p) => p.n === n && p.strategy === s)!;
  const bound = Math.ceil(buildMs / 5000) + 2;
  const rows = sizes.map((n) => {
    const o = get(n, "oaktree");
    const p = get(n, "per-server");
    const s = get(n, "shade");
    return [
      fmt(n),
      fmt(o.requests),
      `${fmt(p.requests)} (**${fmt(p.requests / o.requests, 1)}×**)`,
      `${fmt(s.requests)}${s.modelled ? " (modelled)" : ""} (**${fmt(s.requests / o.requests, 1)}×**)`,
      `${fmt(o.requests / s.requests, 3)} vs 1/N = ${fmt(1 / n, 3)}`,
      `${fmt(o.waitP50Ms)} / ${fmt(p.waitP50Ms)} / ${fmt(s.waitP50Ms)} ms`,
      `${o.failed} / ${p.failed} / ${s.modelled ? "-" : s.failed}`,
    ];
  });
  const big = sizes.filter((n) => n > 1);
  const meetsBound = sizes.every((n) => get(n, "oaktree").requests <= bound);
  const meetsShade = big.every((n) => get(n, "oaktree").requests <= get(n, "shade").requests / n);
  const markdown = [
    `Servers build for T = ${buildMs / 1000} s (simulator build delay); N = ${sizes.join(", ")} concurrent waits,`,
    "each strategy on a fresh simulator (own process) in the same run. Requests at the cloud during the waits",
    `(boots excluded). oaktree: gRPC \`WatchServers\` streams (one connection each, at most ${MAX_CONNECTIONS}) on one \`oaktree serve\`,`,
    "5 s poll. Baselines, simulated in TypeScript request for request: openstacksdk's `wait_for_server`",
    `(\`GET /servers/{id}\` every ${SDK_INTERVAL_MS / 1000} s per server) and shade's way (one \`GET /servers/detail\``,
    `every ${SHADE_INTERVAL_MS / 1000} s per client process, N clients). Shade at N > ${shadeMaxN} is modelled: the`,
    `per-client count measured at N = ${shadeMaxN} times N.`,
    "",
    table(
      [
        "N",
        "oaktree",
        "per-server (sdk)",
        "shade's way",
        "oaktree / shade",
        "wait p50 (oaktree / sdk / shade)",
        "waits failed (oaktree / sdk / shade)",
      ],
      rows,
    ),
    "",
    `Target ≤ T/interval + a small constant (here ${bound}: ⌈T / 5 s⌉ polls + 2) whatever N: **${meetsBound ? "met" : "not met"}**. ` +
      `Target ≤ 1/N of shade's way (N > 1): **${meetsShade ? "met" : "not met"}**.`,
  ].join("\n");
  const svg = lineChart({
    title: "Requests at the cloud while N clients wait for their servers",
    xLabel: "N concurrent waits (log)",
    yLabel: "requests (log)",
    xs: sizes,
    series: [
      { name: "oaktree (WatchServers)", ys: sizes.map((n) => get(n, "oaktree").requests) },
      { name: "openstacksdk wait_for_server", ys: sizes.map((n) => get(n, "per-server").requests) },
      { name: "shade (list per client)", ys: sizes.map((n) => get(n, "shade").requests) },
    ],
  });
  return {
    parameters,
    figures: { phases },
    markdown,
    svg,
  };
}
