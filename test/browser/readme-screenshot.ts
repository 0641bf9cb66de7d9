// Makes docs/console.png (the README's screenshot): the console on the simulator with a few
// servers, one booted through the form, 20 watch streams open and a burst of cached reads.
// Run: npx tsx --conditions=oaktree-source test/browser/readme-screenshot.ts
import { resolve } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { chromium } from "playwright-core";
import { FlavorService } from "../../packages/server/src/gen/oaktree/v1/flavor_pb.js";
import { ServerService } from "../../packages/server/src/gen/oaktree/v1/server_pb.js";
import { startSimServe } from "../../packages/server/src/testing/sim-serve.js";

const OUT = resolve(import.meta.dirname, "../../docs/console.png");
const env = await startSimServe({ flags: { logLevel: "warn" }, cloudOptions: { pollIntervalMs: 1000 } });
const transport = createGrpcTransport({ baseUrl: `http://${env.server.grpcAddress}` });
const servers = createClient(ServerService, transport);
const flavors = createClient(FlavorService, transport);
const location = { cloud: "sim" };
const boot = async (name: string, autoIp: boolean) => {
  const image = "cirros-0.6.2-x86_64-disk";
  for await (const _ of servers.createServer({ location, name, image, flavor: "m1.small", autoIp })) {
    // until ready
  }
};
await Promise.all([boot("web-1", true), boot("web-2", true), boot("db-1", false)]);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(env.server.consoleUrl as string);
await page.waitForTimeout(3000);
const watching = new AbortController();
for (let i = 0; i < 20; i += 1) {
  (async () => {
    for await (const _ of servers.watchServers({ location }, { signal: watching.signal })) {
      // keep it open
    }
  })().catch(() => {});
}
await page.waitForTimeout(4000);
await page.getByLabel("Name").fill("web-3");
await page.getByRole("button", { name: "Boot", exact: true }).click();
await page.locator("form.boot .result").waitFor({ timeout: 30_000 });
for (let i = 0; i < 10; i += 1) {
  await Promise.all(Array.from({ length: 30 }, () => flavors.listFlavors({ location })));
  await page.waitForTimeout(2000);
}
await page.waitForTimeout(4000);
await page.screenshot({ path: OUT, fullPage: true });
watching.abort();
await browser.close();
await env.close();
process.stdout.write(`wrote ${OUT}\n`);
