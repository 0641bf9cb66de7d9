/**
 * Incremental polls: what one poll of a project with S servers costs when C of them changed
 * since the last poll, with nova's `changes-since` (what oaktree's shared watch sends between
 * reconciles) vs a full `GET /servers/detail` (every page, nova's 1,000 per page), measured in
 * the same run on the same simulator state:
 *
 * - bytes: the response bodies (every page);
 * - client CPU: this process's user + system CPU to fetch and parse the pages;
 * - cloud time: the simulator's summed handler time for the poll's requests.
 *
 * Each interval: C servers are renamed (`PUT /servers/{id}`), the simulator's clock moves on by
 * the interval, then one incremental and one full poll run (alternating which goes first).
 */
import type { BenchContext } from "./benchmarks.js";
import { startSim } from "./lib/processes.js";
import { type BenchOutput, fmt, median, round, table } from "./lib/result.js";

interface Poll {
  readonly bytes: number;
  readonly pages: number;
  readonly servers: number;
  readonly clientCpuMs: number;
  readonly wallMs: number;
}

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

/** One poll: every page of `GET /servers/detail?query`, following nova's next links. */
async function poll(url: string, headers: Record<string, string>, query: string): Promise<Poll> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next: string | undefined = `${url}/compute/v2.1/servers/detail${query ? `?${query}` : ""}`;
  let bytes = 0;
  let pages = 0;
  let servers = 0;
  for (let guard = 0; next !== undefined && guard < 1000; guard++) {
    const res = await fetch(next, { headers });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${next}: ${res.status} ${text.slice(0, 200)}`);
    bytes += Buffer.byteLength(text);
    pages += 1;
    const body = JSON.parse(text) as { servers: unknown[]; servers_links?: { rel: string; href: string }[] };
    servers += body.servers.length;
    next = body.servers_links?.find((l) => l.rel === "next")?.href;
  }
  const cpu = process.cpuUsage(cpu0);
  return {
    bytes,
    pages,
    servers,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    wallMs: performance.now() - t0,
  };
}

/** The simulator's summed handler time for `GET /servers/detail` since the last reset, ms. */
async function listHandlerMs(sim: Awaited<ReturnType<typeof startSim>>): Promise<number> {
  const { log } = await sim.admin<{ log: { service: string; route: string; durationMs: number }[] }>(
    "GET",
    "log?limit=100000",
  );
  return log
    .filter((e) => e.service === "compute" && e.route === "GET /servers/detail")
    .reduce((sum, e) => sum + e.durationMs, 0);
}

export async function run(ctx: BenchContext): Promise<BenchOutput> {
  const servers = ctx.tiny ? 300 : 10_000;
  const changed = ctx.tiny ? 3 : 10;
  const intervals = ctx.tiny ? 2 : 10;
  const intervalMs = 5000;
  const sim = await startSim({ profile: "modern", logCapacity: 100_000 });
  try {
    await sim.admin("POST", "seed", { servers: [{ project: "demo", count: servers, namePrefix: "bench" }] });
    const headers = { "x-auth-token": await token(sim.url), "openstack-api-version": "compute 2.79" };
    const first = await poll(sim.url, headers, "");
    const ids = (
      (await (await fetch(`${sim.url}/compute/v2.1/servers?limit=1000`, { headers })).json()) as {
        servers: { id: string }[];
      }
    ).servers.map((s) => s.id);
    ctx.log(`${first.servers} servers in ${first.pages} pages, ${fmt(first.bytes)} bytes`);
    const incremental: (Poll & { handlerMs: number })[] = [];
    const full: (Poll & { handlerMs: number })[] = [];
    let since = (await sim.admin<{ now: string }>("POST", "clock", { advanceMs: 1000 })).now;
    for (let i = 0; i < intervals; i++) {
      for (let k = 0; k < changed; k++) {
        const id = ids[(i * changed + k) % ids.length]!;
        const res = await fetch(`${sim.url}/compute/v2.1/servers/${id}`, {
          method: "PUT",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify({ server: { name: `renamed-${i}-${k}` } }),
        });
        if (res.status !== 200) throw new Error(`PUT /servers/${id}: ${res.status}`);
        await res.arrayBuffer();
      }
      const now = (await sim.admin<{ now: string }>("POST", "clock", { advanceMs: intervalMs })).now;
      const order = i % 2 === 0 ? (["inc", "full"] as const) : (["full", "inc"] as const);
      for (const kind of order) {
        await sim.admin("POST", "reset");
        const p = await poll(
          sim.url,
          headers,
          kind === "inc" ? `changes-since=${encodeURIComponent(since)}` : "",
        );
        const row = { ...p, handlerMs: await listHandlerMs(sim) };
        (kind === "inc" ? incremental : full).push(row);
        if (kind === "inc" && p.servers < changed) {
          throw new Error(`changes-since returned ${p.servers} servers, expected at least ${changed}`);
        }
      }
      since = now;
    }
    const m = (rows: readonly (Poll & { handlerMs: number })[], key: keyof (Poll & { handlerMs: number })) =>
      median(rows.map((r) => r[key]));
    const figures = {
      servers,
      changedPerInterval: changed,
      incremental: {
        bytes: m(incremental, "bytes"),
        servers: m(incremental, "servers"),
        pages: m(incremental, "pages"),
        clientCpuMs: round(m(incremental, "clientCpuMs"), 2),
        cloudHandlerMs: round(m(incremental, "handlerMs"), 2),
        wallMs: round(m(incremental, "wallMs"), 1),
      },
      full: {
        bytes: m(full, "bytes"),
        servers: m(full, "servers"),
        pages: m(full, "pages"),
        clientCpuMs: round(m(full, "clientCpuMs"), 2),
        cloudHandlerMs: round(m(full, "handlerMs"), 2),
        wallMs: round(m(full, "wallMs"), 1),
      },
      bytesRatio: round(m(incremental, "bytes") / m(full, "bytes"), 5),
      runs: { incremental, full },
    };
    const pct = (a: number, b: number) => `${round((100 * a) / b, 2)}%`;
    const i = figures.incremental;
    const f = figures.full;
    const markdown = [
      `${fmt(servers)} servers in the project (simulator, profile modern, seeded), ${changed} renamed per`,
      `interval, ${intervals} intervals; medians per poll. Baseline: the full list, measured in the same`,
      "interval on the same state. Target: an incremental poll ≤ 2% of the full list's bytes.",
      "",
      table(
        ["per poll", "changes-since", "full list (baseline)", "ratio"],
        [
          ["servers returned", fmt(i.servers), fmt(f.servers), pct(i.servers, f.servers)],
          ["requests (pages)", i.pages, f.pages, pct(i.pages, f.pages)],
          ["bytes", fmt(i.bytes), fmt(f.bytes), `**${pct(i.bytes, f.bytes)}**`],
          [
            "client CPU (fetch + parse)",
            `${i.clientCpuMs} ms`,
            `${f.clientCpuMs} ms`,
            pct(i.clientCpuMs, f.clientCpuMs),
          ],
          [
            "cloud handler time",
            `${i.cloudHandlerMs} ms`,
            `${f.cloudHandlerMs} ms`,
            pct(i.cloudHandlerMs, f.cloudHandlerMs),
          ],
          ["wall time", `${i.wallMs} ms`, `${f.wallMs} ms`, pct(i.wallMs, f.wallMs)],
        ],
      ),
      "",
      `Target ≤ 2% of the bytes: **${figures.bytesRatio <= 0.02 ? "met" : "not met"}** (${pct(i.bytes, f.bytes)}).`,
    ].join("\n");
    return {
      parameters: { servers, changedPerInterval: changed, intervals, intervalMs, profile: "modern" },
      figures,
      markdown,
    };
  } finally {
    await sim.stop();
  }
}
