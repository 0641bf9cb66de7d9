import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServerMetrics } from "../metrics.js";
import { loadConsoleAssets } from "./console-assets.js";
import { type HttpListener, listenHttp } from "./listener.js";

const listen = async (withConsole: boolean) =>
  listenHttp({
    host: "127.0.0.1",
    port: 0,
    services: [],
    metrics: new ServerMetrics(),
    serving: () => true,
    ...(withConsole && { console: await loadConsoleAssets() }),
  });

describe("the console's files on the HTTP listener", () => {
  let http: HttpListener;
  let page: Response;
  let html: string;
  beforeAll(async () => {
    http = await listen(true);
    page = await fetch(`${http.url}/`);
    html = await page.text();
  });
  afterAll(() => http.close(1000));

  it("serves index.html at / with a CSP that forbids inline code and other origins, revalidated on every load", () => {
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(page.headers.get("etag")).toMatch(/^"[\w-]{27}"$/);
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(html).toContain('<div id="app">');
  });

  it("serves the hashed script and stylesheet with their content types, cacheable for a year", async () => {
    const assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(assets).toHaveLength(2);
    const types = new Map([
      [".js", "text/javascript; charset=utf-8"],
      [".css", "text/css; charset=utf-8"],
    ]);
    for (const asset of assets) {
      const answer = await fetch(`${http.url}/${asset}`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toBe(types.get(asset?.slice(asset.lastIndexOf(".")) ?? ""));
      expect(answer.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect((await answer.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
  });

  it("answers 304 to a current ETag, HEAD without a body, and 404 to what it does not have", async () => {
    const again = await fetch(`${http.url}/`, {
      headers: { "if-none-match": page.headers.get("etag") ?? "" },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const head = await fetch(`${http.url}/`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(Buffer.byteLength(html)));
    expect(await head.text()).toBe("");
    expect((await fetch(`${http.url}/assets/console-NOPE.js`)).status).toBe(404);
    expect((await fetch(`${http.url}/`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(`${http.url}/metrics`)).headers.get("content-type")).toContain("text/plain");
  });

  it("without the console (console.enabled false), / is a 404", async () => {
    const bare = await listen(false);
    try {
      expect((await fetch(`${bare.url}/`)).status).toBe(404);
    } finally {
      await bare.close(1000);
    }
  });

  it("a missing bundle is one line naming the key and the fix", async () => {
    const empty = mkdtempSync(join(tmpdir(), "oaktree-console-"));
    try {
      await expect(loadConsoleAssets(empty)).rejects.toThrow(
        /^console: no index\.html in .*npm run build:console/,
      );
      await expect(loadConsoleAssets(join(empty, "nope"))).rejects.toThrow(
        /^console: cannot read the console's files in .*ENOENT.*console\.enabled: false$/,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
