import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { listCloudConfigsFromDisk } from "@oaktree/core";
import { type RunningServer, resolveServerSettings, serve } from "@oaktree/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shellLine } from "./interrupt.js";
import { type CliSim, startCliSim } from "./testing/cli-sim.js";

// The live status line needs a real terminal: `oaktree` runs in a tmux pane (its own
// pseudo-terminal), and the test reads the screen. tmux is a Debian package CI installs.
const hasTmux = (() => {
  try {
    execFileSync("tmux", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
if (!hasTmux && process.env.CI === "true") throw new Error("tmux is missing (CI installs it: .ci/run)");

const bin = fileURLToPath(new URL("../../bin/oaktree.js", import.meta.url));
// A tmux server of this test's own, its socket in the test's directory (removed with it).
const tmux = (...args: string[]) =>
  execFileSync("tmux", ["-S", join(cli.dir, "tmux.sock"), ...args], { encoding: "utf8" });

let cli: CliSim;
let server: RunningServer | undefined;
beforeAll(async () => {
  if (!hasTmux) return;
  // A slow build (3 s), so that the live line is seen while it waits and Ctrl-C lands mid-wait.
  cli = await startCliSim("modern", { buildDelayMs: 3000 });
  const configs = await listCloudConfigsFromDisk({
    env: { OS_CLIENT_CONFIG_FILE: cli.cloudsFile },
    cwd: cli.dir,
    home: cli.dir,
  });
  const settings = resolveServerSettings(
    {},
    { listen: "127.0.0.1:0", httpListen: "off", logLevel: "silent" },
  );
  server = await serve({ settings, configs, defaultCloud: "sim", cloudOptions: { pollIntervalMs: 50 } });
});
afterAll(async () => {
  if (!hasTmux) return;
  try {
    tmux("kill-server");
  } catch {
    // no session left
  }
  await server?.stop();
  await cli?.close();
});

/** Starts `oaktree ARGS` in a new 120x20 tmux window named `name`; the shell then prints EXIT=<code>. */
function startInPane(name: string, args: readonly string[]): void {
  const env = Object.entries({ ...cli.env, PATH: process.env.PATH ?? "" }).map(([k, v]) => `${k}=${v}`);
  const command = `env -i ${shellLine(env)} ${shellLine([process.execPath, bin, ...args])}; echo EXIT=$?; sleep 60`;
  tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "20", command);
}

function screen(name: string): string {
  // -J joins lines the terminal wrapped (the resume command is longer than the pane is wide).
  return tmux("capture-pane", "-p", "-J", "-t", name);
}

/** Polls the pane until `test` holds (every 100 ms, up to `ms`); returns the screens seen. */
async function waitForScreen(name: string, test: (text: string) => boolean, ms = 20_000): Promise<string[]> {
  const seen: string[] = [];
  const deadline = Date.now() + ms;
  for (;;) {
    const text = screen(name);
    if (seen.at(-1) !== text) seen.push(text);
    if (test(text)) return seen;
    if (Date.now() > deadline) throw new Error(`timed out; the screen:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const image = "cirros-0.6.2-x86_64-disk";

describe.skipIf(!hasTmux)("server create --wait on a terminal", () => {
  it("shows one live status line with elapsed time, rewritten in place, then the outcome", async () => {
    startInPane("live", [
      ...["server", "create", "tty-demo", "--image", image, "--flavor", "m1.tiny", "--wait"],
      ...["-f", "value", "-c", "status"],
    ]);
    const screens = await waitForScreen("live", (text) => text.includes("EXIT="), 30_000);
    const during = screens.filter((s) => /creating server tty-demo: building.* \d+\.\ds/.test(s));
    expect(during.length).toBeGreaterThan(1);
    // Whatever the moment, the progress is one line of the screen, and its elapsed time moves.
    for (const s of during) expect(s.match(/creating server tty-demo/g)).toHaveLength(1);
    const times = during.map((s) => Number(/ (\d+\.\d)s/.exec(s)?.[1]));
    expect(Math.max(...times)).toBeGreaterThan(Math.min(...times));
    const last = screens.at(-1) as string;
    expect(last).toMatch(/^creating server tty-demo: ACTIVE, reachable at [\d.]+ \(\d+\.\ds\)$/m);
    expect(last.match(/creating server tty-demo/g)).toHaveLength(1);
    expect(last).toMatch(/\(\d+\.\ds\)\nACTIVE\nEXIT=0/);
    expect(last).toContain("EXIT=0");
  }, 40_000);

  it("Ctrl-C stops waiting, says how to resume, deletes nothing; the resume returns the same server", async () => {
    startInPane("interrupt", [
      "server",
      "create",
      "tty-ctrl-c",
      "--image",
      image,
      "--flavor",
      "m1.tiny",
      "--wait",
    ]);
    await waitForScreen("interrupt", (text) => /creating server tty-ctrl-c: building/.test(text));
    tmux("send-keys", "-t", "interrupt", "C-c");
    const last = (await waitForScreen("interrupt", (text) => text.includes("EXIT="))).at(-1) as string;
    expect(last).toContain("EXIT=130");
    // It stopped at once: the server is still building (3 s) when the command has exited.
    const atExit = await cli.run("server", "show", "tty-ctrl-c", "-f", "value", "-c", "status");
    expect(atExit.out.trim()).toBe("BUILD");
    expect(last).toContain(
      "Stopped waiting; nothing was deleted: the cloud goes on building server tty-ctrl-c.",
    );
    const resume = /^ {2}oaktree (server create tty-ctrl-c .* --client-token ([\w-]+))$/m.exec(last);
    expect(resume).not.toBeNull();

    // The cloud finishes the boot on its own: the server becomes ACTIVE, nothing deleted it.
    let status = "";
    for (let i = 0; i < 100 && status !== "ACTIVE"; i++) {
      status = (await cli.run("server", "show", "tty-ctrl-c", "-f", "value", "-c", "status")).out.trim();
      if (status !== "ACTIVE") await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe("ACTIVE");

    // The printed command, run again, takes the same server over (by its client token) and finishes it.
    const args = (resume?.[1] ?? "").split(" ");
    const again = await cli.run(...args, "-f", "json");
    expect(again.code).toBe(0);
    const ids = (await cli.run("server", "list", "-f", "json")).out;
    const named = (JSON.parse(ids) as { name: string; id: string }[]).filter((s) => s.name === "tty-ctrl-c");
    expect(named).toHaveLength(1);
    const resumed = JSON.parse(again.out) as { id: string; status: string; public_v4: string };
    expect([resumed.id, resumed.status]).toEqual([named[0]?.id, "ACTIVE"]);
    expect(resumed.public_v4).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  }, 40_000);

  it("Ctrl-C against --server: the running oaktree finishes the create (IP included) on its own", async () => {
    const address = server?.grpcAddress as string;
    const args = ["server", "create", "tty-remote", "--image", image, "--flavor", "m1.tiny", "--wait"];
    startInPane("remote", [...args, "--server", address]);
    await waitForScreen("remote", (text) => /creating server tty-remote: building/.test(text));
    tmux("send-keys", "-t", "remote", "C-c");
    const last = (await waitForScreen("remote", (text) => text.includes("EXIT="))).at(-1) as string;
    expect(last).toContain("EXIT=130");
    expect(last).toMatch(/^ {2}oaktree server create tty-remote .* --client-token [\w-]+$/m);
    let shown = { status: "", public_v4: "" };
    for (let i = 0; i < 100 && !shown.public_v4; i++) {
      const { out } = await cli.run("server", "show", "tty-remote", "-f", "json", "--server", address);
      shown = JSON.parse(out) as typeof shown;
      if (!shown.public_v4) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(shown.status).toBe("ACTIVE");
    expect(shown.public_v4).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  }, 40_000);
});
