import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shellLine } from "../interrupt.js";
import { type CliSim, startCliSim } from "../testing/cli-sim.js";

// The live upload line needs a real terminal: `oaktree image create` runs in a tmux pane (its
// own pseudo-terminal); pipe-pane records the raw bytes it writes. tmux is a Debian package CI installs.
const hasTmux = (() => {
  try {
    execFileSync("tmux", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
if (!hasTmux && process.env.CI === "true") throw new Error("tmux is missing (CI installs it: .ci/run)");

const bin = fileURLToPath(new URL("../../../bin/oaktree.js", import.meta.url));
const tmux = (...args: string[]) =>
  execFileSync("tmux", ["-S", join(cli.dir, "tmux.sock"), ...args], { encoding: "utf8" });

let cli: CliSim;
beforeAll(async () => {
  if (!hasTmux) return;
  cli = await startCliSim("modern");
});
afterAll(async () => {
  if (!hasTmux) return;
  try {
    tmux("kill-server");
  } catch {
    // no session left
  }
  await cli?.close();
});

describe.skipIf(!hasTmux)("image create on a terminal", () => {
  it("one live line with bytes, percentage and rate, rewritten in place, then the outcome", async () => {
    const file = join(cli.dir, "tty.img");
    writeFileSync(file, randomBytes(4 * 1024 * 1024));
    const raw = join(cli.dir, "pane.raw");
    const env = Object.entries({ ...cli.env, PATH: process.env.PATH ?? "" }).map(([k, v]) => `${k}=${v}`);
    const args = ["image", "create", "tty-img", "--file", file, "-f", "value", "-c", "status"];
    // The pause lets pipe-pane start recording before oaktree writes anything.
    const command = `sleep 0.5; env -i ${shellLine(env)} ${shellLine([process.execPath, bin, ...args])}; echo EXIT=$?; sleep 60`;
    tmux("new-session", "-d", "-s", "upload", "-x", "120", "-y", "20", command);
    tmux("pipe-pane", "-t", "upload", "-o", `cat >> ${shellLine([raw])}`);
    let screen = "";
    for (let i = 0; i < 300 && !screen.includes("EXIT="); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      screen = tmux("capture-pane", "-p", "-J", "-t", "upload");
    }
    expect(screen).toMatch(/^uploading image tty-img: active \(\d+\.\ds\)\nactive\nEXIT=0$/m);
    // Once done, the progress is one line of the screen: the live line was rewritten, not repeated.
    expect(screen.match(/uploading image tty-img/g)).toHaveLength(1);
    // Control characters spelled out, to match them in a regular expression.
    const written = readFileSync(raw, "latin1").replaceAll("\r", "<CR>").replaceAll("\x1b", "<ESC>");
    expect(written).toMatch(
      /<CR><ESC>\[2Kuploading image tty-img: uploading [\d.]+ [KM]iB \/ 4\.0 MiB \(\d+%\), [\d.]+ [KMG]iB\/s {2}\d+\.\ds/,
    );
    expect(written).not.toMatch(/\d{4}-\d\d-\d\dT/);
  }, 40_000);
});
