import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { main } from "../main.js";

const CLOUDS = `
clouds:
  prod:
    profile: citycloud
    auth:
      username: alice
      project_name: web
    region_name: Sto2
  lab:
    auth:
      auth_url: https://lab.example.com/v3
      username: bob
      password: lab-password
    regions: [east, west]
  broken:
    auth_type: kerberos
    auth: {auth_url: https://x}
`;
const SECURE = "clouds:\n  prod:\n    auth:\n      password: prod-password\n";

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

describe("oaktree config", () => {
  let dir: string;
  let cloudsFile: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "oaktree-cli-config-"));
    cloudsFile = join(dir, "clouds.yaml");
    writeFileSync(cloudsFile, CLOUDS);
    writeFileSync(join(dir, "secure.yaml"), SECURE);
    // Only the temporary files count: no real OS_* variables, no real ~/.config/openstack.
    for (const name of Object.keys(process.env)) if (name.startsWith("OS_")) vi.stubEnv(name, undefined);
    vi.stubEnv("HOME", dir);
    vi.stubEnv("XDG_CONFIG_HOME", undefined);
    vi.stubEnv("OS_CLIENT_CONFIG_FILE", cloudsFile);
    vi.stubEnv("OS_CLIENT_SECURE_FILE", join(dir, "secure.yaml"));
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  it("show prints the resolved cloud as YAML with secrets masked", async () => {
    const { code, out, err } = await run("config", "show", "--cloud", "prod");
    expect(err).toBe("");
    expect(code).toBe(0);
    const shown = parse(out);
    expect(shown.name).toBe("prod");
    expect(shown.profile).toBe("citycloud");
    expect(shown.region).toBe("Sto2");
    expect(shown.auth).toEqual({
      authUrl: "https://Sto2.citycloud.com:5000/v3/",
      username: "alice",
      password: "***",
      projectName: "web",
      tenantName: "web",
    });
    expect(shown.source).toEqual({ file: cloudsFile, secureFile: join(dir, "secure.yaml"), fromEnv: false });
    expect(out).not.toContain("prod-password");
  });

  it("show --json --region picks the region; OS_CLOUD picks the cloud", async () => {
    vi.stubEnv("OS_CLOUD", "lab");
    const { code, out } = await run("config", "show", "--region", "west", "--json");
    expect(code).toBe(0);
    const shown = JSON.parse(out);
    expect([shown.name, shown.region, shown.regions]).toEqual(["lab", "west", ["east", "west"]]);
    expect(shown.auth.password).toBe("***");
  });

  it("a config mistake prints one line naming file, cloud and key", async () => {
    const { code, out, err } = await run("config", "show", "--cloud", "lab", "--region", "north");
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toBe(
      `oaktree: clouds.yaml (${cloudsFile}): cloud "lab": regions: no region "north" (asked for by the region argument); ` +
        "the regions are east, west (names are case-sensitive)\n",
    );
  });

  it("an unknown cloud lists the clouds that exist", async () => {
    const { code, err } = await run("config", "show", "--cloud", "stage");
    expect(code).toBe(1);
    expect(err).toBe(
      `oaktree: clouds.yaml (${cloudsFile}): cloud "stage": cloud: no such cloud (the clouds are prod, lab, broken)\n`,
    );
  });

  it("list shows every cloud with its regions, where it comes from, and the broken ones", async () => {
    const { code, out } = await run("config", "list");
    expect(code).toBe(0);
    const lines = out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^CLOUD\s+REGIONS\s+FROM$/);
    expect(lines[1]).toMatch(
      new RegExp(`^prod\\s+Sto2\\s+${cloudsFile} \\+ ${join(dir, "secure.yaml")} \\(profile citycloud\\)$`),
    );
    expect(lines[2]).toMatch(new RegExp(`^lab\\s+east,west\\s+${cloudsFile}$`));
    expect(lines[3]).toMatch(
      /^broken\s+-\s+error: .*cloud "broken": auth_type: unknown auth_type "kerberos"/,
    );
    const json = JSON.parse((await run("config", "list", "--json")).out);
    expect(json.map((c: { name: string }) => c.name)).toEqual(["prod", "lab", "broken"]);
  });
});
