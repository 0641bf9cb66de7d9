import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { isolateCliEnv, runCli as run } from "../client/testing/cli-sim.js";

const ports = ["--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0", "--log-level", "warn"];

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "oaktree-cli-serve-auth-"));
  vi.spyOn(process, "cwd").mockReturnValue(dir);
  // A deployer's clouds.yaml: where keystone is, no credentials (nothing listens there: serve
  // opens no connection until a call comes).
  const path = join(dir, "clouds.yaml");
  writeFileSync(path, "clouds:\n  site:\n    auth:\n      auth_url: https://keystone.example:5000/v3\n");
  isolateCliEnv({ HOME: dir, OS_CLIENT_CONFIG_FILE: path });
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe("oaktree serve --auth", () => {
  it("deployer: serves clouds that name no credentials, and its banner shows the token header", async () => {
    const { code, out, err } = await run("serve", "--once", "--auth", "deployer", ...ports);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toMatch(/clouds: site/);
    expect(out).toMatch(/grpcurl -plaintext -H "x-auth-token: \$OS_TOKEN" -d /);
  });

  it("personal (the default): the same clouds.yaml is a mistake naming the missing key", async () => {
    const { code, err } = await run("serve", "--once", ...ports);
    expect(code).not.toBe(0);
    expect(err).toMatch(/cloud "site": auth\.username: missing/);
  });

  it("an unknown mode is refused naming the flag", async () => {
    const { code, err } = await run("serve", "--once", "--auth", "everyone", ...ports);
    expect(code).not.toBe(0);
    expect(err).toMatch(/--auth: expected one of personal, deployer, got "everyone"/);
  });
});
