/**
 * OaktreeServeChild against an in-process simulator: it starts, says where it serves, is killed
 * and restarted on the same ports, reports its memory through the hook, keeps its log, hides the
 * developer's OS_* variables, and a start that fails says why.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Simulator, startSimulator } from "@oaktree/sim";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { OaktreeServeChild } from "./oaktree-serve-child.js";

let sim: Simulator;
let dir: string;
let cloudsYaml: string;

beforeAll(async () => {
  sim = await startSimulator({ profile: "modern" });
  dir = mkdtempSync(join(tmpdir(), "oaktree-serve-child-"));
  cloudsYaml = await sim.writeCloudsYaml(join(dir, "clouds.yaml"));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await sim?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The environment of a running process (Linux /proc). */
function environOf(pid: number): Map<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean);
  return new Map(
    entries.map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]),
  );
}

async function healthz(oaktree: OaktreeServeChild): Promise<number> {
  return (await fetch(`${oaktree.httpUrl}/healthz`, { signal: AbortSignal.timeout(5000) })).status;
}

describe("OaktreeServeChild", () => {
  it("starts, is SIGKILLed, restarts on the same ports, samples its memory, stops", async () => {
    vi.stubEnv("OS_AUTH_URL", "http://127.0.0.1:1/a-developer-cloud");
    const logFile = join(dir, "oaktree.log");
    const oaktree = await OaktreeServeChild.create(cloudsYaml, {
      name: "r0",
      memoryHook: true,
      logFile,
      env: { OAKTREE_TEST_MARK: "yes" },
    });
    const ports = [oaktree.grpcPort, oaktree.httpPort];
    try {
      await oaktree.start();
      const first = oaktree.pid as number;
      expect(oaktree.running).toBe(true);
      expect(oaktree.address).toBe(`127.0.0.1:${oaktree.grpcPort}`);
      expect(await healthz(oaktree)).toBe(200);
      const env = environOf(first);
      expect(env.has("OS_AUTH_URL")).toBe(false);
      expect(env.get("OS_CLIENT_CONFIG_FILE")).toBe(cloudsYaml);
      expect(env.get("OS_CLOUD")).toBe("sim");
      expect(env.get("OAKTREE_TEST_MARK")).toBe("yes");
      // A log file means trace level (diagnostics).
      const argv = readFileSync(`/proc/${first}/cmdline`, "utf8").split("\0");
      expect(argv[argv.indexOf("--log-level") + 1]).toBe("trace");
      await expect(oaktree.start()).rejects.toThrow(/r0: oaktree serve: already running/);

      const sample = await oaktree.memory();
      expect(sample.heapUsed).toBeGreaterThan(0);
      expect(sample.rss).toBeGreaterThan(sample.heapUsed);

      await oaktree.kill();
      expect(oaktree.running).toBe(false);
      expect(oaktree.pid).toBeUndefined();
      expect(() => process.kill(first, 0)).toThrow();
      await expect(oaktree.memory()).rejects.toThrow(/r0: oaktree serve: not running/);

      await oaktree.start();
      expect(oaktree.starts).toBe(2);
      expect(oaktree.pid).not.toBe(first);
      expect([oaktree.grpcPort, oaktree.httpPort]).toEqual(ports);
      expect(await healthz(oaktree)).toBe(200);
    } finally {
      await oaktree.stop();
    }
    expect(oaktree.running).toBe(false);
    // Both runs logged to the file; what stays in memory is the tail, without the memory lines.
    const log = readFileSync(logFile, "utf8");
    expect(log.match(/"msg":"oaktree serving"/g)).toHaveLength(2);
    expect(log).not.toMatch(/OAKTREE_SOAK_MEMORY/);
    expect(oaktree.stderr.length).toBeLessThanOrEqual(16_000);
  }, 120_000);

  it("a start that fails rejects with what it printed, and leaves nothing running", async () => {
    const oaktree = await OaktreeServeChild.create(cloudsYaml, { args: ["--no-such-flag"], http: false });
    expect(oaktree.httpUrl).toBeUndefined();
    await expect(oaktree.start()).rejects.toThrow(
      /oaktree serve exited \(\d+\) before it was ready: .*no-such-flag/s,
    );
    expect(oaktree.running).toBe(false);
  }, 60_000);

  it("memory() without the hook is refused by name", async () => {
    const oaktree = await OaktreeServeChild.create(cloudsYaml);
    await expect(oaktree.memory()).rejects.toThrow(/started without the memory hook/);
  });
});
