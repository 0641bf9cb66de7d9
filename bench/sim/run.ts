/**
 * Simulator benchmark: seeds 10k servers in one project, then measures keep-alive throughput of
 * `GET /servers/{id}` and `GET /servers/detail?limit=100`, and start-up time. Loopback only, bounded
 * in requests and seconds. Run with `npm run bench:sim` (writes nothing; paste into RESULTS.md).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { cpus, totalmem } from "node:os";
import { createInterface } from "node:readline";
import { startSimulator } from "@oaktree/sim";
import { Pool } from "undici";

const SERVERS = 10_000;
const CONNECTIONS = 16;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const MAX_REQUESTS = 200_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Runs CONNECTIONS concurrent keep-alive loops for SECONDS (or MAX_REQUESTS); returns req/s. */
async function load(
  pool: Pool,
  path: () => string,
  headers: Record<string, string>,
): Promise<{ rps: number; errors: number }> {
  const until = performance.now() + SECONDS * 1000;
  let done = 0;
  let errors = 0;
  const start = performance.now();
  const worker = async () => {
    while (performance.now() < until && done < MAX_REQUESTS) {
      const res = await pool.request({ method: "GET", path: path(), headers });
      await res.body.arrayBuffer();
      if (res.statusCode !== 200) errors += 1;
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return { rps: done / ((performance.now() - start) / 1000), errors };
}

async function startup(): Promise<number> {
  const t0 = performance.now();
  const sim = await startSimulator({ profile: "modern" });
  const res = await fetch(`${sim.url}/identity/v3`);
  await res.arrayBuffer();
  const ms = performance.now() - t0;
  await sim.stop();
  return ms;
}

async function main(): Promise<void> {
  const startups: number[] = [];
  for (let i = 0; i < 5; i++) startups.push(await startup());

  // The simulator runs in a child process: on 2 cores, load generator and server each get one.
  const child = spawn(
    process.execPath,
    ["--import", "tsx", new URL("./server.ts", import.meta.url).pathname, String(SERVERS)],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const [line] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
  const { url, seedMs } = JSON.parse(line) as { url: string; seedMs: number };
  const sim = { url };
  const auth = await fetch(`${sim.url}/identity/v3/auth/tokens`, {
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
  const token = auth.headers.get("x-subject-token")!;
  const headers = { "x-auth-token": token, "openstack-api-version": "compute 2.79" };
  const listed = (await (await fetch(`${url}/compute/v2.1/servers?limit=1000`, { headers })).json()) as {
    servers: { id: string }[];
  };
  const ids = listed.servers.map((s) => s.id);
  const pool = new Pool(sim.url, { connections: CONNECTIONS, pipelining: 1 });
  let i = 0;
  const byId: number[] = [];
  const detail: number[] = [];
  let errors = 0;
  for (let r = 0; r < RUNS; r++) {
    const a = await load(pool, () => `/compute/v2.1/servers/${ids[i++ % ids.length]}`, headers);
    const b = await load(pool, () => "/compute/v2.1/servers/detail?limit=100", headers);
    byId.push(a.rps);
    detail.push(b.rps);
    errors += a.errors + b.errors;
  }
  await pool.close();
  child.stdin!.end();
  await once(child, "exit");
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: `${cpus().length} x ${cpus()[0]?.model ?? "?"}`,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    servers: SERVERS,
    seedMs,
    connections: CONNECTIONS,
    secondsPerRun: SECONDS,
    runs: RUNS,
    getServerRps: { median: Math.round(median(byId)), runs: byId.map(Math.round) },
    detailLimit100Rps: { median: Math.round(median(detail)), runs: detail.map(Math.round) },
    startupMs: { median: Math.round(median(startups)), runs: startups.map(Math.round) },
    non200: errors,
  };
  console.log(JSON.stringify(result, null, 2));
}

await main();
