/**
 * The child-process helpers every process test and benchmark relies on: the wait for a child's
 * ready line (found, exited first, timed out; drained afterwards) and ending a child.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { endChild, freePort, isAlive, killOnExit, waitForLine } from "./processes.js";

/** A node child running `script`, stdout piped. */
function node(script: string) {
  return killOnExit(spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] }));
}

describe("freePort", () => {
  it("is a loopback port that can be bound right after", async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});

describe("waitForLine", () => {
  it("resolves with the first matching line, and the child's stdout is drained afterwards", async () => {
    // 4 MB after the ready line: a child whose pipe is not read blocks and never exits.
    const child = node(
      `console.log("starting"); console.log("READY on 1"); process.stdout.write("x".repeat(4 << 20)); console.log("READY on 2")`,
    );
    const line = await waitForLine(child, /^READY/, { timeoutMs: 10_000, what: "the child" });
    expect(line).toBe("READY on 1");
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(0);
  }, 20_000);

  it("rejects when the child exits first, with what it printed and the caller's output", async () => {
    const child = node(`console.log("no config here"); process.exit(3)`);
    await expect(
      waitForLine(child, /^READY/, { timeoutMs: 10_000, what: "the child", output: () => "stderr text" }),
    ).rejects.toThrow(/^the child exited \(3\) before it was ready: no config here\nstderr text$/);
  }, 20_000);

  it("rejects after the timeout when the line never comes", async () => {
    const child = node(`console.log("still booting"); setTimeout(() => {}, 60_000)`);
    await expect(waitForLine(child, /^READY/, { timeoutMs: 500, what: "the child" })).rejects.toThrow(
      /^the child was not ready after 0.5 s: still booting/,
    );
    await endChild(child, { signal: "SIGKILL" });
  }, 20_000);
});

describe("endChild", () => {
  it("SIGKILLs a child that ignores SIGTERM once the grace is over, and resolves when it is gone", async () => {
    const child = node(`process.on("SIGTERM", () => {}); console.log("READY"); setTimeout(() => {}, 60_000)`);
    await waitForLine(child, /^READY/, { timeoutMs: 10_000, what: "the child" });
    const started = Date.now();
    await endChild(child, { graceMs: 300 });
    expect(isAlive(child)).toBe(false);
    expect(child.signalCode).toBe("SIGKILL");
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  }, 20_000);

  it("resolves at once for a child already gone or none", async () => {
    const child = node("");
    await new Promise((resolve) => child.once("exit", resolve));
    await endChild(child);
    await endChild(undefined);
    expect(isAlive(child)).toBe(false);
  }, 20_000);
});
