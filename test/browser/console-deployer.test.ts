import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { listCloudConfigsFromDisk } from "@oaktree/core";
import { type Simulator, startSimulator } from "@oaktree/sim";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { resolveServerSettings } from "../../packages/server/src/config.js";
import { type RunningServer, serve } from "../../packages/server/src/serve.js";
import { requireComponent } from "../e2e/harness.js";

// The console in deployer mode: every call carries the caller's own credentials. The page asks
// for a token, sends it as x-auth-token metadata, and keeps it in the tab's memory only.

const CHROMIUM = process.env.OAKTREE_CHROMIUM ?? "/usr/bin/chromium";
const OUTPUT = resolve(import.meta.dirname, "output");
const chromiumGate = requireComponent(
  "chromium",
  () => existsSync(CHROMIUM),
  `no ${CHROMIUM} (apt-get install chromium)`,
);

chromiumGate.describe("the web console in deployer mode", () => {
  let sim: Simulator;
  let server: RunningServer;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), "oaktree-console-deployer-"));
    [sim, browser] = await Promise.all([
      startSimulator({ profile: "modern" }),
      chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"], timeout: 30_000 }),
    ]);
    // The deployer's clouds.yaml: where keystone is, nobody's credentials.
    const path = join(dir, "clouds.yaml");
    writeFileSync(
      path,
      `clouds:\n  sim:\n    auth:\n      auth_url: ${sim.url}/identity\n    region_name: RegionOne\n`,
    );
    const configs = await listCloudConfigsFromDisk({
      env: { OS_CLIENT_CONFIG_FILE: path },
      cwd: dir,
      home: dir,
      withoutCredentials: true,
    });
    const settings = resolveServerSettings(
      { auth: "deployer", console: { enabled: true } },
      { listen: "127.0.0.1:0", httpListen: "127.0.0.1:0", logLevel: "warn" },
    );
    server = await serve({ settings, configs, defaultCloud: "sim", cloudOptions: { pollIntervalMs: 100 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A project-scoped token from the simulator's keystone, as a user would get one. */
  async function demoToken(): Promise<{ token: string; userId: string }> {
    const response = await fetch(`${sim.url}/identity/v3/auth/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ["password"],
            password: { user: { name: "demo", domain: { name: "Default" }, password: "secret" } },
          },
          scope: { project: { name: "demo", domain: { name: "Default" } } },
        },
      }),
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { token: { user: { id: string } } };
    return { token: response.headers.get("x-subject-token") as string, userId: body.token.user.id };
  }

  it("asks for a token, sends it as x-auth-token on every call, keeps it in the tab's memory only", async () => {
    const { token } = await demoToken();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const calls: { path: string; token: string | undefined }[] = [];
    page.on("request", (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith("/oaktree.v1.")) calls.push({ path, token: request.headers()["x-auth-token"] });
    });
    try {
      await page.goto(server.consoleUrl as string);
      // Without credentials oaktree answers UNAUTHENTICATED: the page says so and asks.
      await expect
        .poll(() => page.locator(".error code.status").first().textContent())
        .toBe("UNAUTHENTICATED");
      const before = calls.length;
      expect(before).toBeGreaterThan(0);
      expect(calls.every((call) => call.token === undefined)).toBe(true);
      await page.getByLabel("Token", { exact: true }).fill(token);
      await page.getByRole("button", { name: "Use these credentials" }).click();
      const row = page.locator('tr[data-place="sim/RegionOne"]');
      await expect.poll(() => row.locator(".floating-ip").textContent()).toBe("neutron floating IPs");
      await expect
        .poll(() => page.locator(".watch").textContent(), { timeout: 10_000 })
        .toMatch(/^live: \d+ servers?$/);
      await page.screenshot({ path: join(OUTPUT, "deployer-mode.png"), fullPage: true });
      expect(await page.locator(".signed-in").textContent()).toContain("Acting with your keystone token");
      expect(await page.getByLabel("Token", { exact: true }).count()).toBe(0);
      const after = calls.slice(before);
      expect(after.map((call) => call.path)).toEqual(
        expect.arrayContaining([
          "/oaktree.v1.CloudService/ListClouds",
          "/oaktree.v1.ServerService/WatchServers",
        ]),
      );
      expect(after.filter((call) => call.token !== token)).toEqual([]);
      // Nothing stored beyond the tab's memory: a reload asks again.
      expect(await page.evaluate("[localStorage.length, sessionStorage.length, document.cookie]")).toEqual([
        0,
        0,
        "",
      ]);
      await page.reload();
      await expect.poll(() => page.getByLabel("Token", { exact: true }).count()).toBe(1);
      expect(await page.locator('tr[data-place="sim/RegionOne"]').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("an application credential: its id and secret go as x-application-credential-id/-secret", async () => {
    const { token, userId } = await demoToken();
    const made = await fetch(`${sim.url}/identity/v3/users/${userId}/application_credentials`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-auth-token": token },
      body: JSON.stringify({ application_credential: { name: "console-test" } }),
    });
    expect(made.status).toBe(201);
    const { application_credential: credential } = (await made.json()) as {
      application_credential: { id: string; secret: string };
    };
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const sent: Record<string, string>[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/oaktree.v1.")) sent.push(request.headers());
    });
    try {
      await page.goto(server.consoleUrl as string);
      await page.getByLabel("Application credential", { exact: true }).check();
      await page.getByLabel("Application credential ID").fill(credential.id);
      await page.getByLabel("Application credential secret").fill(credential.secret);
      const before = sent.length;
      await page.getByRole("button", { name: "Use these credentials" }).click();
      await expect
        .poll(() => page.locator('tr[data-place="sim/RegionOne"] .floating-ip').textContent())
        .toBe("neutron floating IPs");
      expect(await page.locator(".signed-in").textContent()).toContain("application credential");
      const after = sent.slice(before);
      expect(after.length).toBeGreaterThan(0);
      for (const headers of after) {
        expect(headers["x-application-credential-id"]).toBe(credential.id);
        expect(headers["x-application-credential-secret"]).toBe(credential.secret);
        expect(headers["x-auth-token"]).toBeUndefined();
      }
    } finally {
      await context.close();
    }
  });
});
