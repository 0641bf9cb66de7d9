import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { afterEach, expect, it } from "vitest";
import { requireComponent } from "../e2e/harness.js";

// `npm start` on a machine with no clouds.yaml: `oaktree start` serves the built-in simulator
// and prints the console's URL; the page works there, in a real browser.

const ROOT = resolve(import.meta.dirname, "../..");
const CHROMIUM = process.env.OAKTREE_CHROMIUM ?? "/usr/bin/chromium";
const OUTPUT = resolve(import.meta.dirname, "output");
const chromiumGate = requireComponent(
  "chromium",
  () => existsSync(CHROMIUM),
  `no ${CHROMIUM} (apt-get install chromium)`,
);

chromiumGate.describe("the web console of `oaktree start` with no cloud configured", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill("SIGKILL");
  });

  it("prints the console's URL, and the page lists the built-in simulator's clouds and watches its servers", async () => {
    mkdirSync(OUTPUT, { recursive: true });
    const home = mkdtempSync(join(tmpdir(), "oaktree-console-start-"));
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("OS_")));
    child = spawn(
      process.execPath,
      [
        join(ROOT, "packages/cli/bin/oaktree.js"),
        "start",
        "--listen",
        "127.0.0.1:0",
        "--http-listen",
        "127.0.0.1:0",
      ],
      {
        cwd: home,
        env: { ...env, HOME: home, XDG_CONFIG_HOME: join(home, ".config") },
        stdio: ["ignore", "pipe", "ignore"],
      },
    );
    let out = "";
    child.stdout?.on("data", (chunk) => {
      out += String(chunk);
    });
    await expect.poll(() => out, { timeout: 30_000, interval: 100 }).toMatch(/^ {2}the web console: (\S+)$/m);
    const url = /^ {2}the web console: (\S+)$/m.exec(out)?.[1] as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox"],
      timeout: 30_000,
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(String(error)));
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      await page.goto(url);
      for (const place of ["sim/RegionOne", "sim-admin/RegionOne"]) {
        await expect
          .poll(() => page.locator(`tr[data-place="${place}"] .floating-ip`).textContent(), {
            timeout: 15_000,
          })
          .toBe("neutron floating IPs");
      }
      await expect
        .poll(() => page.locator(".watch").textContent(), { timeout: 15_000 })
        .toBe("live: 0 servers");
      await page.screenshot({ path: join(OUTPUT, "oaktree-start.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
    child.kill("SIGTERM");
    child = undefined;
    rmSync(home, { recursive: true, force: true });
  }, 90_000);
});
