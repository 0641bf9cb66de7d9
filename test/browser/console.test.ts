import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { ServerService } from "../../packages/server/src/gen/oaktree/v1/server_pb.js";
import { type SimServe, startSimServe } from "../../packages/server/src/testing/sim-serve.js";
import { requireComponent } from "../e2e/harness.js";

// The web console (packages/server/console) in Debian's headless Chromium, driven by
// playwright-core, against a real `serve()` on the simulator: the page talks to oaktree only
// through the public API (connect-web, same origin). Each test saves a screenshot under
// test/browser/output/.

const CHROMIUM = process.env.OAKTREE_CHROMIUM ?? "/usr/bin/chromium";
const OUTPUT = resolve(import.meta.dirname, "output");
const chromiumGate = requireComponent(
  "chromium",
  () => existsSync(CHROMIUM),
  `no ${CHROMIUM} (apt-get install chromium)`,
);

chromiumGate.describe("the web console in headless Chromium", () => {
  let env: SimServe;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Paths of every request the page made (`/oaktree.v1.ServerService/WatchServers`, ...). */
  let requests: string[];
  /** Console errors and uncaught exceptions (a CSP violation is one). */
  let pageErrors: string[];
  const grpc = () =>
    createClient(ServerService, createGrpcTransport({ baseUrl: `http://${env.server.grpcAddress}` }));

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    [env, browser] = await Promise.all([
      startSimServe({ flags: { logLevel: "warn" }, cloudOptions: { pollIntervalMs: 100 } }),
      chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"], timeout: 30_000 }),
    ]);
    env.sim.admin.setBuildDelay(300);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    requests = [];
    pageErrors = [];
    page.on("request", (request) => requests.push(new URL(request.url()).pathname));
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(message.text());
    });
    page.on("pageerror", (error) => pageErrors.push(String(error)));
  });

  afterEach(async ({ task }) => {
    const name = task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 80);
    await page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage: true }).catch(() => {});
    await context.close();
    // No uncaught exception, console error or CSP violation in any test.
    expect(pageErrors).toEqual([]);
  });

  const open = async () => {
    await page.goto(env.server.consoleUrl as string);
    await expect.poll(() => page.locator(".watch").textContent(), { timeout: 10_000 }).toMatch(/^live: /);
  };
  const row = (name: string) => page.locator("table.server-table tbody tr", { hasText: name });

  it("lists every sim cloud with its auth state and capabilities", async () => {
    expect(env.server.consoleUrl).toBe(`${env.server.httpUrl}/`);
    await page.goto(env.server.consoleUrl as string);
    const sim = page.locator('tr[data-place="sim/RegionOne"]');
    const admin = page.locator('tr[data-place="sim-admin/RegionOne"]');
    await expect.poll(() => sim.locator(".floating-ip").textContent()).toBe("neutron floating IPs");
    await expect.poll(() => admin.locator(".floating-ip").textContent()).toBe("neutron floating IPs");
    expect(await sim.locator("th").textContent()).toContain("default");
    expect(await sim.locator(".image-upload").textContent()).toContain("glance v2");
    expect(await sim.locator(".get-me-a-network").textContent()).toMatch(
      /nova networks: auto|auto-allocated/,
    );
    expect(await sim.locator(".microversions").textContent()).toMatch(/compute 2\.1–2\.\d+/);
    // GetCapabilities made oaktree authenticate: the auth column says so.
    await expect.poll(() => sim.locator(".auth").textContent()).toBe("authenticated");
  });

  it("boots a server through the form: progress steps, then ACTIVE with a floating IP, in the live table", async () => {
    await open();
    await page.getByLabel("Name").fill("console-boot-1");
    await page.getByRole("button", { name: "Boot", exact: true }).click();
    const result = page.locator("form.boot .result");
    await expect.poll(() => result.textContent(), { timeout: 30_000 }).toMatch(/console-boot-1 is ACTIVE at/);
    const steps = await page.locator("form.boot ol.progress li").allTextContents();
    const stages = steps.map((step) => step.split(/[ (:·]/)[0]);
    expect(stages[0]).toBe("Accepted");
    expect(stages).toContain("Building");
    expect(steps.some((step) => step.startsWith("Attaching a floating IP"))).toBe(true);
    expect(stages.at(-1)).toBe("Done");
    const address = (await result.locator("code.address").textContent()) as string;
    expect(address).toMatch(/^172\.24\.4\.\d+$/);
    expect(await result.textContent()).toContain(`(floating IP ${address})`);
    // The table got the server from the watch, with the floating IP marked reachable.
    const reachable = row("console-boot-1").locator("li", { has: page.locator(".reachable") });
    await expect.poll(() => reachable.locator("code").textContent()).toBe(address);
    expect(await row("console-boot-1").locator(".status").textContent()).toBe("ACTIVE");
  });

  it("a server created and deleted through the gRPC API elsewhere appears and disappears without a reload; the page never lists servers", async () => {
    await open();
    await page.evaluate("window.sameDocument = true");
    for await (const _ of grpc().createServer({
      location: { cloud: "sim" },
      name: "elsewhere-1",
      image: "cirros-0.6.2-x86_64-disk",
      flavor: "m1.tiny",
      autoIp: false,
    })) {
      // wait for the ready server
    }
    await expect.poll(() => row("elsewhere-1").locator(".status").textContent()).toBe("ACTIVE");
    for await (const _ of grpc().deleteServer({ location: { cloud: "sim" }, nameOrId: "elsewhere-1" })) {
      // wait until gone
    }
    await expect.poll(() => row("elsewhere-1").count()).toBe(0);
    expect(await page.evaluate("window.sameDocument")).toBe(true);
    // Fed by one watch stream: no polling of the server list from the page.
    expect(requests.filter((path) => path.endsWith("/ListServers"))).toEqual([]);
    expect(requests.filter((path) => path.endsWith("/WatchServers"))).toHaveLength(1);
  });

  it("the delete button asks for confirmation, streams the delete, and the row goes", async () => {
    for await (const _ of grpc().createServer({
      location: { cloud: "sim" },
      name: "to-delete-1",
      image: "cirros-0.6.2-x86_64-disk",
      flavor: "m1.tiny",
    })) {
      // wait for the ready server with its floating IP
    }
    await open();
    await page.getByRole("button", { name: "Delete to-delete-1" }).click();
    const confirm = page.getByRole("button", { name: "Yes, delete" });
    // Focus moved to the confirmation: Enter confirms.
    await expect
      .poll(() => confirm.evaluate((element) => element === element.ownerDocument.activeElement))
      .toBe(true);
    await page.keyboard.press("Enter");
    await expect
      .poll(() => row("to-delete-1").locator(".delete-progress").textContent())
      .toMatch(/^(Requested|Deleting|Done)/);
    await expect.poll(() => row("to-delete-1").count(), { timeout: 20_000 }).toBe(0);
  });

  it("an API error shows its status and the cloud's request id in place", async () => {
    await open();
    const rule = env.sim.admin.addFault({
      service: "compute",
      route: "POST /servers",
      status: 403,
      times: 1,
    });
    try {
      await page.getByLabel("Name").fill("refused-1");
      await page.getByRole("button", { name: "Boot", exact: true }).click();
      const error = page.locator("form.boot .error");
      await expect.poll(() => error.locator("code.status").textContent()).toBe("PERMISSION_DENIED");
      const refused = env.sim.admin
        .log()
        .filter((entry) => entry.route === "POST /servers" && entry.status === 403);
      expect(refused).toHaveLength(1);
      expect(await error.locator("code.cloud-request-id").textContent({ timeout: 2000 })).toBe(
        refused[0]?.requestId,
      );
      expect(await error.locator("code.request-id").textContent()).toMatch(/^req-[0-9a-f-]{36}$/);
      expect(await error.getAttribute("role")).toBe("alert");
    } finally {
      env.sim.admin.removeFault(rule);
    }
  });

  it("works with the keyboard only: Tab reaches the boot form with a visible focus, Enter boots", async () => {
    await open();
    let focused = "";
    for (let presses = 0; presses < 40 && focused !== "name"; presses += 1) {
      await page.keyboard.press("Tab");
      focused = String(await page.evaluate('document.activeElement?.getAttribute("name") ?? ""'));
    }
    expect(focused).toBe("name");
    const outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle");
    expect(outline).not.toBe("none");
    await page.keyboard.type("keyboard-1");
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.locator("form.boot .result").textContent(), { timeout: 30_000 })
      .toMatch(/keyboard-1 is ACTIVE/);
    // Every control of the form has a label a screen reader announces.
    for (const label of [
      "Name",
      "Image",
      "Flavor",
      "Network",
      "Reachable address (auto IP)",
      "Filter servers",
    ]) {
      expect(await page.getByLabel(label, { exact: true }).count(), label).toBe(1);
    }
    expect(await page.locator("form.boot ol.progress").getAttribute("aria-live")).toBe("polite");
    // No control without an accessible name anywhere on the page.
    const unnamed = await page.evaluate(
      `[...document.querySelectorAll("input, select, button, textarea")]
        .filter((e) => !e.labels?.length && !e.getAttribute("aria-label") && !e.textContent.trim())
        .map((e) => e.outerHTML)`,
    );
    expect(unnamed).toEqual([]);
  });

  it("the filter box narrows the live table; the location picks the cloud the table and the form act on", async () => {
    await open();
    await expect.poll(() => row("keyboard-1").count()).toBe(1);
    const filter = page.getByLabel("Filter servers");
    await filter.fill("KEYBOARD");
    await expect.poll(() => page.locator("table.server-table tbody tr[data-server-id]").count()).toBe(1);
    expect(await row("keyboard-1").count()).toBe(1);
    await filter.fill("no such server");
    await expect
      .poll(() => page.locator("table.server-table tbody").textContent())
      .toBe("No server matches the filter.");
    await page.getByLabel("Location").selectOption("sim-admin/RegionOne");
    await expect
      .poll(() => page.locator("#servers-title").textContent())
      .toBe("Servers in sim-admin/RegionOne");
    // The admin project has no servers of its own: the demo project's are not listed there.
    await expect
      .poll(() => page.locator(".watch").textContent(), { timeout: 10_000 })
      .toBe("live: 0 servers");
    expect(requests.filter((path) => path.endsWith("/WatchServers"))).toHaveLength(2);
  });

  it("a watch stream that fails is shown, then resumed: the table goes live again by itself", async () => {
    let refused = 0;
    await page.route("**/oaktree.v1.ServerService/WatchServers", (route) => {
      if (refused === 0) {
        refused += 1;
        return route.abort("connectionreset");
      }
      return route.continue();
    });
    await page.goto(env.server.consoleUrl as string);
    await expect.poll(() => page.locator(".servers .error code.status").textContent()).toBe("UNAVAILABLE");
    // A browser logs the failed fetch itself; that one is expected.
    pageErrors.splice(0);
    await expect.poll(() => page.locator(".watch").textContent(), { timeout: 10_000 }).toMatch(/^live: /);
    expect(await page.locator(".servers .error").count()).toBe(0);
    expect(requests.filter((path) => path.endsWith("/WatchServers"))).toHaveLength(2);
  });

  it("charts what oaktree saves the cloud from /metrics: client calls, cloud requests, open watches", async () => {
    await open();
    const total = (name: string) => page.locator(`[data-total="${name}"]`).textContent().then(Number);
    await expect.poll(() => total("watches"), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect(await total("clients")).toBeGreaterThan(0);
    expect(await total("clouds")).toBeGreaterThan(0);
    expect(await total("shared-watches")).toBeGreaterThanOrEqual(1);
    await expect
      .poll(() => page.locator('polyline[data-series="oaktree → sim"]').count(), { timeout: 10_000 })
      .toBe(1);
    expect(await page.locator('polyline[data-series="clients → oaktree"]').count()).toBe(1);
    expect(await page.locator("svg.chart").getAttribute("role")).toBe("img");
  });

  it("a project of hundreds of servers: the first 200 rows, a note, and the filter finds the others", async () => {
    env.sim.admin.seed({ servers: [{ project: "demo", count: 250, namePrefix: "bulk" }] });
    await open();
    await expect
      .poll(() => page.locator(".watch").textContent(), { timeout: 10_000 })
      .toMatch(/^live: 25\d servers$/);
    expect(await page.locator("table.server-table tbody tr[data-server-id]").count()).toBe(200);
    expect(await page.locator("td.more").textContent()).toMatch(/^Showing 200 of 25\d servers/);
    const last =
      (await page.locator("table.server-table tbody tr[data-server-id] th").last().textContent()) ?? "";
    await page.getByLabel("Filter servers").fill("bulk-00250");
    await expect.poll(() => page.locator("table.server-table tbody tr[data-server-id]").count()).toBe(1);
    expect(await page.locator("td.more").count()).toBe(0);
    expect(last).not.toContain("bulk-00250");
  });
});
