import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { fromJson } from "@bufbuild/protobuf";
import { type Simulator, startSimulator } from "@oaktree/sim";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FlavorService, ListFlavorsRequestSchema } from "../../../server/src/gen/oaktree/v1/flavor_pb.js";
import { grpcClient, unaryCall } from "../../../server/src/testing/grpc-client.js";
import { main } from "../main.js";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const ports = ["--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0", "--log-level", "warn"];

/** Runs the CLI in-process with stdout and stderr captured. */
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
    return { code: await main(argv), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "oaktree-cli-start-"));
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

describe("oaktree start", () => {
  it("with no cloud configured: serves the simulator, says so, prints a grpcurl and a curl line", async () => {
    const { code, out, err } = await run("start", "--once", ...ports);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toMatch(
      /^No cloud is configured .* oaktree serves its built-in OpenStack\nsimulator \(profile modern\) at http:\/\/127\.0\.0\.1:\d+\./,
    );
    expect(out).toMatch(/export OS_CLIENT_CONFIG_FILE=\S+clouds\.yaml/);
    expect(out).toMatch(
      /^oaktree is serving gRPC on 127\.0\.0\.1:\d+ and Connect\/JSON on http:\/\/127\.0\.0\.1:\d+ \(clouds: sim, sim-admin; default: sim\)\.$/m,
    );
    expect(out).toMatch(
      /^ {2}grpcurl -plaintext -d '\{"location":\{"cloud":"sim"\}\}' 127\.0\.0\.1:\d+ oaktree\.v1\.FlavorService\/ListFlavors$/m,
    );
    expect(out).toMatch(
      /^ {2}curl -d '\{"location":\{"cloud":"sim"\}\}' -H 'Content-Type: application\/json' http:\/\/127\.0\.0\.1:\d+\/oaktree\.v1\.FlavorService\/ListFlavors$/m,
    );
    // The web console, on the HTTP listener (on by default on loopback).
    const http = /Connect\/JSON on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(out).toContain(`\n  the web console: ${http}/\n`);
  });

  describe("with clouds configured", () => {
    let sim: Simulator;
    let cloudsFile: string;
    beforeAll(async () => {
      sim = await startSimulator({ profile: "modern" });
      cloudsFile = await sim.writeCloudsYaml(
        join(mkdtempSync(join(tmpdir(), "oaktree-sim-")), "clouds.yaml"),
      );
    });
    afterAll(async () => {
      await sim.stop();
    });

    it("serves them and starts no simulator; OS_CLOUD is the default cloud", async () => {
      vi.stubEnv("OS_CLIENT_CONFIG_FILE", cloudsFile);
      vi.stubEnv("OS_CLOUD", "sim-admin");
      const { code, out } = await run("start", "--once", ...ports);
      expect(code).toBe(0);
      expect(out).not.toContain("No cloud is configured");
      expect(out).toContain("(clouds: sim, sim-admin; default: sim-admin)");
      expect(out).toContain(`'{"location":{"cloud":"sim-admin"}}'`);
    });

    it("serve --config: clouds.config_file and clouds.default choose the clouds", async () => {
      const config = join(dir, "server.yaml");
      writeFileSync(config, `clouds:\n  config_file: ${cloudsFile}\n  default: sim-admin\n`);
      const { code, out } = await run("serve", "--once", "--config", config, ...ports);
      expect(code).toBe(0);
      expect(out).toContain("(clouds: sim, sim-admin; default: sim-admin)");
    });

    it("an OS_CLOUD that is not configured is one line", async () => {
      vi.stubEnv("OS_CLIENT_CONFIG_FILE", cloudsFile);
      vi.stubEnv("OS_CLOUD", "elsewhere");
      const { code, err } = await run("serve", "--once", ...ports);
      expect(code).toBe(1);
      expect(err).toBe('oaktree: OS_CLOUD: no cloud "elsewhere" is configured\n');
    });
  });
});

describe("oaktree serve", () => {
  it("with no cloud configured refuses, in one line pointing at oaktree start", async () => {
    const { code, out, err } = await run("serve", "--once", ...ports);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toMatch(
      /^oaktree: no cloud is configured: .*`oaktree start` serves the built-in simulator instead\n$/,
    );
  });

  it("refuses a non-loopback address without TLS, naming the flag", async () => {
    const { code, err } = await run("serve", "--once", "--listen", "0.0.0.0:50051");
    expect(code).toBe(1);
    expect(err).toMatch(
      /^oaktree: --listen: 0\.0\.0\.0 is not a loopback address: serving beyond this machine needs TLS/,
    );
  });

  it("names the key of a mistake in --config", async () => {
    const config = join(dir, "server.yaml");
    writeFileSync(config, "listen:\n  grpc: nowhere\n");
    const { code, err } = await run("serve", "--once", "--config", config);
    expect(code).toBe(1);
    expect(err).toBe("oaktree: server.yaml: listen.grpc: expected HOST:PORT\n");
  });
});

describe("npm start's printed lines, run as printed", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill("SIGKILL");
  });

  it("the curl line and the grpcurl line (its call made with grpc-js when grpcurl is not installed) answer; SIGTERM stops it cleanly", async () => {
    const home = mkdtempSync(join(tmpdir(), "oaktree-npm-start-"));
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("OS_")));
    child = spawn(process.execPath, [join(root, "packages/cli/bin/oaktree.js"), "start", ...ports], {
      cwd: home,
      env: { ...env, HOME: home, XDG_CONFIG_HOME: join(home, ".config") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout?.on("data", (chunk) => {
      out += String(chunk);
    });
    const exited = new Promise<number | null>((resolve) => child?.on("exit", (code) => resolve(code)));
    await expect.poll(() => out, { timeout: 30_000, interval: 100 }).toMatch(/^ {2}curl .*$/m);
    const line = (prefix: string) =>
      out
        .split("\n")
        .find((l) => l.startsWith(`  ${prefix} `))
        ?.trim() as string;
    const sh = promisify(execFile);
    const { stdout } = await sh("/bin/sh", ["-c", line("curl")], { timeout: 30_000 });
    expect(JSON.parse(stdout).flavors.map((flavor: { name: string }) => flavor.name)).toContain("m1.tiny");
    const grpcurl = await sh("/bin/sh", ["-c", "command -v grpcurl"]).catch(() => undefined);
    if (grpcurl) {
      const answer = await sh("/bin/sh", ["-c", line("grpcurl")], { timeout: 30_000 });
      expect(JSON.parse(answer.stdout).flavors.length).toBeGreaterThan(0);
    } else {
      // No grpcurl (Debian does not package it): make the call it names, with its body and address.
      const parsed = /^grpcurl -plaintext -d '(.+)' (\S+) oaktree\.v1\.FlavorService\/ListFlavors$/.exec(
        line("grpcurl"),
      );
      expect(parsed).not.toBeNull();
      const [, body, address] = parsed as unknown as [string, string, string];
      const client = grpcClient(address, FlavorService);
      const answer = await unaryCall<{ flavors: unknown[] }>(
        client,
        "ListFlavors",
        fromJson(ListFlavorsRequestSchema, JSON.parse(body)),
      );
      client.close();
      expect(answer.response?.flavors.length).toBeGreaterThan(0);
    }
    // The web console's line: its page answers, with the script it loads.
    const page = await fetch(line("the web console:").replace("the web console: ", ""));
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const script = /src="\.\/(assets\/console-\w+\.js)"/.exec(await page.text())?.[1];
    expect((await fetch(new URL(script as string, page.url))).status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    child = undefined;
    rmSync(home, { recursive: true, force: true });
  }, 60_000);
});
