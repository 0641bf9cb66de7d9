/**
 * The watch benchmark's simulator, in its own process so that the waiters under test do not share
 * its thread. Driven by JSON lines on stdin, one answer line on stdout per command:
 *
 * - `{"cmd":"start","buildDelayMs":3000,"buildJitterMs":1000,"instances":600}`: stops the
 *   previous simulator, starts a fresh one (profile `modern`), raises the demo project's compute
 *   quota, writes its clouds.yaml; answers `{url, cloudsYaml}`. Each BUILD lasts `buildDelayMs`
 *   plus a jitter drawn uniformly from [0, buildJitterMs) by a PRNG seeded the same on every
 *   start, so the k-th boot of every phase gets the same build time.
 * - `{"cmd":"reset"}`: clears the request log and counters.
 * - `{"cmd":"stats","ids":[...]}`: the requests since the reset (by `service METHOD /route`, with
 *   the simulator's summed handler time), when each `GET /servers/detail` arrived, and, per server
 *   id, when its BUILD was due to end.
 *
 * Bounded: exits when stdin closes, or after 5 minutes at most.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { type Simulator, startSimulator } from "@oaktree/sim";

type Command =
  | { cmd: "start"; buildDelayMs: number; buildJitterMs: number; instances: number }
  | { cmd: "reset" }
  | { cmd: "stats"; ids: string[] };

let sim: Simulator | undefined;
/** Server id -> when its BUILD ends (simulator clock, ms since the epoch), as scheduled. */
let buildEnds = new Map<string, number>();
const dir = mkdtempSync(join(tmpdir(), "oaktree-bench-watch-"));

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function start(
  buildDelayMs: number,
  buildJitterMs: number,
  instances: number,
): Promise<{ url: string; cloudsYaml: string }> {
  await sim?.stop();
  sim = await startSimulator({ profile: "modern", buildDelayMs, logCapacity: 100_000 });
  sim.admin.setQuota("compute", "demo", { instances, cores: instances * 2, ram: instances * 4096 });
  // A server turns ACTIVE at the due time of its build timer (the simulator settles timers
  // lazily, at the next request): jitter that time (real builds vary; a build time that is a
  // whole number of poll intervals would phase-lock with the polls) and record it exactly.
  buildEnds = new Map();
  const world = sim.admin.state.world;
  const schedule = world.schedule.bind(world);
  const ends = buildEnds;
  const random = prng(20261125);
  world.schedule = (at, kind, key, run) => {
    if (kind === "build" && key.startsWith("server-build:")) {
      const due = at + Math.floor(random() * buildJitterMs);
      ends.set(key.slice("server-build:".length), due);
      return schedule(due, kind, key, run);
    }
    schedule(at, kind, key, run);
  };
  return { url: sim.url, cloudsYaml: await sim.writeCloudsYaml(join(dir, "clouds.yaml")) };
}

function stats(ids: readonly string[]) {
  if (!sim) throw new Error("stats before start");
  const routes: Record<string, { count: number; handlerMs: number }> = {};
  // When the shared watch's list requests arrived: their spacing is the watch's real period.
  const listedAt: number[] = [];
  for (const entry of sim.admin.log()) {
    if (entry.service === "compute" && entry.route === "GET /servers/detail") listedAt.push(entry.at);
    const key = `${entry.service} ${entry.route}`;
    const row = routes[key] ?? { count: 0, handlerMs: 0 };
    routes[key] = row;
    row.count += 1;
    row.handlerMs += entry.durationMs;
  }
  // The log is a ring buffer: if it wrapped, the counts above are incomplete; say so.
  const logged = Object.values(routes).reduce((sum, row) => sum + row.count, 0);
  const counted = Object.values(sim.admin.counters()).reduce((sum, n) => sum + n, 0);
  return {
    routes,
    complete: logged === counted,
    listedAt,
    buildEnds: ids.map((id) => buildEnds.get(id) ?? null),
  };
}

async function handle(command: Command): Promise<unknown> {
  switch (command.cmd) {
    case "start":
      return start(command.buildDelayMs, command.buildJitterMs, command.instances);
    case "reset":
      sim?.admin.reset();
      return { ok: true };
    case "stats":
      return stats(command.ids);
  }
}

const stop = () => {
  void (sim?.stop() ?? Promise.resolve()).then(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
};
setTimeout(stop, 300_000).unref();
const lines = createInterface({ input: process.stdin });
lines.on("close", stop);
// One command at a time, in order: the parent waits for each answer before the next.
let queue = Promise.resolve();
lines.on("line", (line) => {
  queue = queue.then(async () => {
    try {
      process.stdout.write(`${JSON.stringify({ ok: await handle(JSON.parse(line) as Command) })}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ error: String(error) })}\n`);
    }
  });
});
