import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../../bin/oaktree.js", import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs `oaktree sim ARGS` until it prints its URL (then SIGTERM), or until it exits; bounded. */
function sim(args: string[], whileUp?: (url: string) => Promise<void>) {
  const child = spawn(process.execPath, [bin, "sim", "--listen", "127.0.0.1:0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => {
    err += String(d);
  });
  return new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`oaktree sim did not answer in time: ${out} ${err}`));
    }, 20_000);
    child.stdout.on("data", (d) => {
      out += String(d);
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url && whileUp && out.includes("fault rule")) {
        const run = whileUp;
        whileUp = undefined;
        run(url).then(
          () => child.kill("SIGTERM"),
          (e) => {
            child.kill("SIGTERM");
            reject(e);
          },
        );
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

describe("oaktree sim fault flags", () => {
  it("installs the rules of --faults FILE and of each --fault, in that order", async () => {
    const dir = mkdtempSync(join(tmpdir(), "oaktree-sim-faults-"));
    dirs.push(dir);
    const file = join(dir, "faults.yaml");
    writeFileSync(file, "- {service: network, down: true, forMs: 60000}\n");
    let rules: unknown[] = [];
    const { out } = await sim(
      [
        "--faults",
        file,
        "--fault",
        "{service: compute, route: 'POST /servers', dropResponse: true, probability: 0.1}",
        "--fault",
        '{"service": "compute", "stuckBuild": true, "times": 2}',
      ],
      async (url) => {
        const body = (await (await fetch(`${url}/_sim/faults`)).json()) as { faults: { rule: unknown }[] };
        rules = body.faults.map((f) => f.rule);
        // The network rule is live: neutron refuses, nova answers.
        await expect(fetch(`${url}/network/`)).rejects.toThrow();
        expect((await fetch(`${url}/compute/`)).status).toBeLessThan(500);
      },
    );
    expect(out).toContain("3 fault rule(s) active");
    expect(rules).toEqual([
      { service: "network", down: true, forMs: 60000 },
      { service: "compute", route: "POST /servers", dropResponse: true, probability: 0.1 },
      { service: "compute", stuckBuild: true, times: 2 },
    ]);
  }, 30_000);

  it("refuses a bad rule before starting, naming the field", async () => {
    const { code, err } = await sim(["--fault", "{dropResponse: maybe}"]);
    expect(code).not.toBe(0);
    expect(err).toContain('--fault {dropResponse: maybe}: fault rule: "dropResponse" must be a boolean');
  }, 30_000);
});
