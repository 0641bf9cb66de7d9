import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Simulator, startSimulator } from "@oaktree/sim";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../main.js";

/** Runs the CLI with stdout and stderr captured. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "oaktree-cli-catalog-"));
  // Only what the test sets counts: no real OS_* variables, ~/.config/openstack or ./clouds.yaml.
  for (const name of Object.keys(process.env)) if (name.startsWith("OS_")) vi.stubEnv(name, undefined);
  vi.stubEnv("HOME", dir);
  vi.stubEnv("XDG_CONFIG_HOME", undefined);
  vi.spyOn(process, "cwd").mockReturnValue(dir);
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe("oaktree catalog against the simulator", () => {
  let sim: Simulator;
  let cloudsFile: string;

  beforeAll(async () => {
    sim = await startSimulator({ profile: "modern" });
    cloudsFile = await sim.writeCloudsYaml(join(mkdtempSync(join(tmpdir(), "oaktree-sim-")), "clouds.yaml"));
  });
  afterAll(async () => {
    await sim.stop();
  });

  it("prints each service with endpoint, version and microversions", async () => {
    vi.stubEnv("OS_CLIENT_CONFIG_FILE", cloudsFile);
    const { code, out, err } = await run("catalog", "--cloud", "sim");
    expect(err).toBe("");
    expect(code).toBe(0);
    const [header, columns, ...rows] = out.trimEnd().split("\n");
    expect(header).toMatch(
      /^cloud sim region RegionOne: demo project demo \(domain Default\), roles member, keystone v3 at /,
    );
    expect(columns).toMatch(/^SERVICE +CATALOG TYPE +VERSION +MICROVERSIONS +ENDPOINT$/);
    expect(rows.find((row) => row.startsWith("identity "))).toMatch(
      new RegExp(`^identity +identity +3 +- +${sim.url}/identity/v3$`),
    );
    // Every service of the simulator's catalog is listed and none failed.
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(out).not.toContain("error:");
  });

  it("--json gives the same as data", async () => {
    vi.stubEnv("OS_CLIENT_CONFIG_FILE", cloudsFile);
    const { code, out } = await run("catalog", "--cloud", "sim-admin", "--json");
    expect(code).toBe(0);
    const catalog = JSON.parse(out);
    expect(catalog).toMatchObject({
      cloud: "sim-admin",
      region: "RegionOne",
      identity: { endpoint: `${sim.url}/identity/v3`, version: "3" },
      project: { name: "admin" },
      user: { name: "admin" },
    });
    expect(catalog.roles).toContain("admin");
    const identity = catalog.services.find((s: { serviceType: string }) => s.serviceType === "identity");
    expect(identity).toMatchObject({
      endpoint: `${sim.url}/identity/v3`,
      version: "3",
      source: "root-document",
    });
  });

  it("a wrong password is one line naming the cloud and user", async () => {
    vi.stubEnv("OS_CLIENT_CONFIG_FILE", cloudsFile);
    vi.stubEnv("OS_CLOUD", "sim");
    vi.stubEnv("OS_PASSWORD", "wrong");
    const { code, out, err } = await run("catalog");
    expect(out).toBe("");
    expect(code).toBe(1);
    expect(err).toMatch(
      /^oaktree: cloud "sim": keystone refused the credentials \(user demo, project demo\)/,
    );
    expect(err.trimEnd().split("\n")).toHaveLength(1);
  });
});
