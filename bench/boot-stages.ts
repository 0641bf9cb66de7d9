/**
 * Where a boot's time goes on the real OpenStack: N boots at once with a floating IP, through
 * core's `Cloud.createServer` (in process, each stage timestamped by `onProgress`), then
 * through openstacksdk (bench/boot/sdk_boot.py), in a project made for the run; for every server
 * the cloud's own times are read back (nova's `created_at`: the API took the request;
 * `OS-SRV-USG:launched_at`: the compute host finished the build), so the client's share (the
 * wait between the build's end and the client seeing it, the floating IP's attachment) is set
 * apart from the cloud's (queueing in the scheduler, conductor and compute).
 *
 * Not part of `npm run bench` (it writes no docs): run by hand against test/e2e/openstack:
 *   OS_CLIENT_CONFIG_FILE=/tmp/oaktree-openstack/clouds.yaml npx tsx bench/boot-stages.ts [N] [order]
 * where order is `oaktree,sdk` (default) or `sdk,oaktree`. Prints one JSON line per phase.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Cloud } from "@oaktree/core";
import { median, quantile, ROOT, round } from "./lib/result.js";

const SETUP = join(ROOT, "bench/boot/cloud_setup.py");
const run = promisify(execFile);

async function python(cloudsYaml: string, args: readonly string[], timeoutMs = 1_200_000): Promise<unknown> {
  const { stdout } = await run("/usr/bin/python3", [...args], {
    env: { ...process.env, OS_CLIENT_CONFIG_FILE: cloudsYaml },
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "");
}

/** nova's times of every server of the project, in ms since the epoch. */
const SERVER_TIMES = `
import json, openstack, sys, datetime
def ms(s):
    if not s: return None
    s = s.replace("Z", "").split(".")[0]
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp() * 1000
conn = openstack.connect(cloud=sys.argv[1])
out = {}
for s in conn.compute.servers(details=True):
    out[s.id] = {"created": ms(s.created_at), "launched": ms(s.launched_at), "status": s.status}
print(json.dumps(out))
`;

/** `created`: nova answered the POST; `building`: the watch first saw the server (any status). */
type Stage = "created" | "building" | "attaching-ip" | "ready";
interface Row {
  id: string;
  ok: boolean;
  /** ms from the phase's start. */
  end: number;
  stages: Partial<Record<Stage, number>>;
  error?: string;
}

async function bootOaktree(
  cloud: string,
  n: number,
  net: string,
  prefix: string,
  t0: number,
): Promise<Row[]> {
  const oaktree = await Cloud.open({ cloud });
  try {
    return await Promise.all(
      Array.from({ length: n }, async (_, i): Promise<Row> => {
        const stages: Row["stages"] = {};
        let id = "";
        try {
          const { server } = await oaktree.createServer({
            name: `${prefix}-${i}`,
            image: "cirros-fake",
            flavor: "m1.nano",
            network: net,
            autoIp: true,
            wait: true,
            timeoutMs: 900_000,
            onProgress: (event) => {
              const stage = event.stage === "creating" && event.serverId ? "created" : event.stage;
              if (
                stage === "created" ||
                stage === "building" ||
                stage === "attaching-ip" ||
                stage === "ready"
              ) {
                stages[stage] ??= Date.now() - t0;
              }
              if ("server" in event && event.server) id = event.server.id;
            },
          });
          return { id: server.id, ok: true, end: Date.now() - t0, stages };
        } catch (error) {
          return { id, ok: false, end: Date.now() - t0, stages, error: String(error).slice(0, 200) };
        }
      }),
    );
  } finally {
    await oaktree.close();
  }
}

async function bootSdk(
  cloudsYaml: string,
  cloud: string,
  n: number,
  net: string,
  prefix: string,
  t0: number,
) {
  const spec = { cloud, n, image: "cirros-fake", flavor: "m1.nano", network: net, prefix, timeout: 900 };
  const out = (await python(cloudsYaml, [join(ROOT, "bench/boot/sdk_boot.py"), JSON.stringify(spec)])) as {
    results: { ok: boolean; id?: string; seconds: number; error?: string }[];
  };
  // sdk_boot.py's seconds count from each thread's start, which is this phase's start (± python's start).
  const pyStart = Date.now() - t0 - Math.max(...out.results.map((r) => r.seconds)) * 1000;
  return out.results.map(
    (r): Row => ({
      id: r.id ?? "",
      ok: r.ok,
      end: pyStart + r.seconds * 1000,
      stages: {},
      ...(r.error && { error: r.error }),
    }),
  );
}

function summarize(
  who: string,
  rows: Row[],
  times: Record<string, { created: number; launched: number }>,
  t0: number,
) {
  const s = (xs: number[]) =>
    xs.length ? { p50: round(median(xs) / 1000, 1), max: round(quantile(xs, 1) / 1000, 1) } : null;
  const known = rows.filter((r) => times[r.id]);
  const at = (r: Row, k: "created" | "launched") => times[r.id]![k] - t0;
  return {
    who,
    n: rows.length,
    ok: rows.filter((r) => r.ok).length,
    errors: [...new Set(rows.flatMap((r) => (r.error ? [r.error] : [])))].slice(0, 3),
    // The cloud's: when nova-api took the POST, when the compute host finished the build.
    cloudCreated: s(known.map((r) => at(r, "created"))),
    cloudLaunched: s(known.map((r) => at(r, "launched"))),
    cloudBuild: s(known.map((r) => at(r, "launched") - at(r, "created"))),
    // The client's: first seen ACTIVE after the build (oaktree only: its attaching-ip stage) and
    // from the build's end to the client's answer (the floating IP and every wait after ACTIVE).
    seenActiveLag: s(
      known.flatMap((r) => (r.stages["attaching-ip"] ? [r.stages["attaching-ip"] - at(r, "launched")] : [])),
    ),
    ipStage: s(
      known.flatMap((r) =>
        r.stages["attaching-ip"] && r.stages.ready ? [r.stages.ready - r.stages["attaching-ip"]] : [],
      ),
    ),
    afterLaunched: s(known.map((r) => r.end - at(r, "launched"))),
    postAnswered: s(rows.flatMap((r) => (r.stages.created ? [r.stages.created] : []))),
    firstSeen: s(rows.flatMap((r) => (r.stages.building ? [r.stages.building] : []))),
    end: s(rows.map((r) => r.end)),
  };
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 30);
  const order = (process.argv[3] ?? "oaktree,sdk").split(",");
  const base = process.env.OS_CLIENT_CONFIG_FILE ?? "/tmp/oaktree-openstack/clouds.yaml";
  const adminCloud = process.env.OAKTREE_E2E_ADMIN_CLOUD ?? "devstack-admin";
  const name = `oaktree-stages-${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), "oaktree-bench-stages-"));
  const cloudsYaml = join(dir, "clouds.yaml");
  await python(base, [SETUP, "project", adminCloud, name, cloudsYaml]);
  const adminBlock = readFileSync(base, "utf8").split(/^clouds:\n/m)[1] ?? "";
  writeFileSync(cloudsYaml, `${readFileSync(cloudsYaml, "utf8").trimEnd()}\n${adminBlock}`);
  process.env.OS_CLIENT_CONFIG_FILE = cloudsYaml;
  try {
    const { network } = (await python(cloudsYaml, [SETUP, "network", name, name])) as { network: string };
    for (const who of order) {
      const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
      const t0 = Date.now();
      const rows =
        who === "oaktree"
          ? await bootOaktree(name, n, network, `${name}-oaktree`, t0)
          : await bootSdk(cloudsYaml, name, n, network, `${name}-sdk`, t0);
      const times = (await python(cloudsYaml, ["-c", SERVER_TIMES, name])) as Record<
        string,
        { created: number; launched: number }
      >;
      const loadAfter = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
      console.log(
        JSON.stringify({
          ...summarize(who, rows, times, t0),
          load,
          loadAfter,
          startedAt: new Date(t0).toISOString(),
        }),
      );
      await python(cloudsYaml, [SETUP, "clean", name]);
    }
  } finally {
    await python(cloudsYaml, [SETUP, "teardown", name, name, adminCloud]).catch((e: unknown) =>
      console.error(String(e)),
    );
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
