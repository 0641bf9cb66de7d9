import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Simulator, startSimulator } from "@oaktree/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCloudConfigFromDisk } from "../config/load.js";
import { OaktreeError } from "../errors.js";
import { Cloud } from "./cloud.js";

/**
 * The cloud as hostile input: a proxy in front of the simulator answers one route with an HTML
 * error page (200 and 5xx), truncated JSON, missing or mistyped fields, or a huge list, and the
 * porcelain call that reads it must end as a typed OaktreeError or a tolerant model: never a
 * TypeError, never an unhandled rejection. The proxy rewrites the simulator's URLs (catalog,
 * links) to its own, so every request of the cloud goes through it.
 */

/** A hostile answer in place of the simulator's: from the real body (e.g. truncated) or not. */
type Hostile = (real: string) => { status: number; contentType: string; body: string };

const HTML = "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>";

const ANSWERS: Record<string, Hostile> = {
  "HTML page with 200": () => ({ status: 200, contentType: "text/html", body: HTML }),
  "HTML page with 502": () => ({ status: 502, contentType: "text/html", body: HTML }),
  "HTML page labelled JSON, 500": () => ({ status: 500, contentType: "application/json", body: HTML }),
  "truncated JSON": (real) => ({
    status: 200,
    contentType: "application/json",
    body: real.slice(0, Math.floor(real.length / 2)),
  }),
  "empty body": () => ({ status: 200, contentType: "application/json", body: "" }),
  "JSON null": () => ({ status: 200, contentType: "application/json", body: "null" }),
  "missing top-level key": () => ({ status: 200, contentType: "application/json", body: "{}" }),
  "list is a string": (real) => ({
    status: 200,
    contentType: "application/json",
    body: retype(real, () => "nope"),
  }),
  "items of wrong types": (real) => ({
    status: 200,
    contentType: "application/json",
    body: retype(real, () => [1, null, "x", [], true]),
  }),
  "items with mistyped fields": (real) => ({
    status: 200,
    contentType: "application/json",
    body: retype(real, (items) =>
      (items as Record<string, unknown>[]).map((item) =>
        Object.fromEntries(
          Object.keys(item).map((key, i) => [key, [42, null, { a: 1 }, ["x"], true][i % 5]]),
        ),
      ),
    ),
  }),
  "items missing every field": (real) => ({
    status: 200,
    contentType: "application/json",
    body: retype(real, (items) => (items as unknown[]).map(() => ({}))),
  }),
};

/** The real body with its (first) list replaced by `make(list)`. */
function retype(real: string, make: (items: unknown) => unknown): string {
  const json = JSON.parse(real) as Record<string, unknown>;
  const key = Object.keys(json).find((k) => Array.isArray(json[k])) ?? Object.keys(json)[0] ?? "items";
  const value = json[key];
  if (Array.isArray(value)) return JSON.stringify({ ...json, [key]: make(value) });
  // One object (a token): spoil it as a list of one.
  const made = make([value ?? {}]);
  return JSON.stringify({ ...json, [key]: Array.isArray(made) ? made[0] : made });
}

/** The main resources: the route the proxy spoils, and the porcelain call that reads it. */
const RESOURCES: Record<string, { route: RegExp; call: (cloud: Cloud) => Promise<unknown> }> = {
  servers: { route: /^GET \/compute\/v2\.1\/servers\/detail/, call: (c) => c.listServers() },
  flavors: { route: /^GET \/compute\/v2\.1\/flavors\/detail/, call: (c) => c.listFlavors() },
  images: { route: /^GET \/image\/v2\/images/, call: (c) => c.listImages() },
  networks: { route: /^GET \/network\/v2\.0\/networks/, call: (c) => c.listNetworks() },
  ports: { route: /^GET \/network\/v2\.0\/ports/, call: (c) => c.listPorts() },
  "floating IPs": { route: /^GET \/network\/v2\.0\/floatingips/, call: (c) => c.listFloatingIps() },
  volumes: { route: /^GET \/volume[^/]*\/v3\/[^/]+\/volumes\/detail/, call: (c) => c.listVolumes() },
  "keystone token": { route: /^POST \/identity\/v3\/auth\/tokens/, call: (c) => c.listFlavors() },
  "keystone catalog": {
    route: /^POST \/identity\/v3\/auth\/tokens/,
    call: (c) => c.listFlavors(),
  },
};

interface Proxy {
  readonly url: string;
  /** The answer for requests matching `route` (`METHOD /path?query`); undefined: pass through. */
  spoil(route: RegExp | undefined, hostile?: Hostile): void;
  close(): Promise<void>;
}

async function startRewritingProxy(sim: Simulator): Promise<Proxy> {
  let spoiled: { route: RegExp; hostile: Hostile } | undefined;
  let self = "";
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string" && !["host", "connection", "content-length"].includes(name)) {
        headers.set(name, value);
      }
    }
    const upstream = await fetch(`${sim.url}${req.url}`, {
      method: req.method ?? "GET",
      headers,
      ...(chunks.length > 0 && { body: Buffer.concat(chunks) }),
    });
    const real = (await upstream.text()).replaceAll(sim.url, self);
    const out: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (
        !["content-length", "transfer-encoding", "connection", "content-encoding", "keep-alive"].includes(
          name,
        )
      ) {
        out[name] = value.replaceAll(sim.url, self);
      }
    });
    if (spoiled?.route.test(`${req.method} ${req.url}`)) {
      const answer = spoiled.hostile(real);
      res.writeHead(answer.status, { ...out, "content-type": answer.contentType });
      res.end(answer.body);
      return;
    }
    res.writeHead(upstream.status, out);
    res.end(real);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: self,
    spoil(route, hostile) {
      spoiled = route && hostile ? { route, hostile } : undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let sim: Simulator;
let proxy: Proxy;
let dir: string;
let cloudsYaml: string;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  sim = await startSimulator({ profile: "modern", buildDelayMs: 10 });
  proxy = await startRewritingProxy(sim);
  dir = mkdtempSync(join(tmpdir(), "oaktree-hostile-cloud-"));
  cloudsYaml = join(dir, "clouds.yaml");
  writeFileSync(cloudsYaml, sim.cloudsYaml().replaceAll(sim.url, proxy.url));
  // Something in each list, so that the spoilers have items to spoil.
  const cloud = await openCloud();
  try {
    await cloud.createVolume({ name: "hostile-v", size: 1 });
    await cloud.createServer({ name: "hostile-s", image: "cirros", flavor: "m1.tiny", wait: false } as never);
  } catch {
    // The lists still have the simulator's seeded flavors, images, networks and ports.
  } finally {
    await cloud.close();
  }
  process.on("unhandledRejection", onUnhandled);
});

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await proxy?.close();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function openCloud(): Promise<Cloud> {
  const config = await loadCloudConfigFromDisk({
    cloud: "sim",
    env: { OS_CLIENT_CONFIG_FILE: cloudsYaml },
    cwd: dir,
    home: dir,
  });
  return Cloud.open({ config, connect: { retry: false } });
}

/** What a call ended as: a value, a typed error, or the thing this test exists to catch. */
async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return "value";
  } catch (error) {
    if (error instanceof OaktreeError) return "typed";
    return `UNTYPED ${(error as Error)?.constructor?.name}: ${(error as Error)?.message ?? error}`;
  }
}

describe.each(Object.entries(RESOURCES))("the cloud's %s answered with hostile bodies", (name, resource) => {
  it.each(Object.keys(ANSWERS))("%s: a typed error or a tolerant model, never a crash", async (answer) => {
    const hostile = ANSWERS[answer] as Hostile;
    // The catalog case spoils only the catalog inside a real token answer.
    const spoiler: Hostile =
      name === "keystone catalog"
        ? (real) => {
            const json = JSON.parse(real) as { token: Record<string, unknown> };
            const spoiledCatalog = hostile(JSON.stringify({ catalog: json.token.catalog }));
            let catalog: unknown;
            try {
              catalog = (JSON.parse(spoiledCatalog.body) as { catalog?: unknown })?.catalog;
            } catch {
              catalog = spoiledCatalog.body;
            }
            return {
              status: 201,
              contentType: "application/json",
              body: JSON.stringify({ token: { ...json.token, catalog } }),
            };
          }
        : hostile;
    proxy.spoil(resource.route, spoiler);
    let cloud: Cloud | undefined;
    try {
      const result = await outcome(async () => {
        cloud = await openCloud();
        const value = await resource.call(cloud);
        // A tolerant model is still a list of models.
        expect(Array.isArray(value)).toBe(true);
      });
      expect(result).toMatch(/^(value|typed)$/);
    } finally {
      proxy.spoil(undefined);
      await cloud?.close();
    }
    expect(unhandled.splice(0).map((reason) => String((reason as Error)?.stack ?? reason))).toEqual([]);
  });
});

describe("a huge list from the cloud", () => {
  it("200,000 flavors (~50 MB) are read in bounded time and memory, or refused with a typed error", async () => {
    proxy.spoil(RESOURCES.flavors?.route, (real) => {
      const one = (JSON.parse(real) as { flavors: Record<string, unknown>[] }).flavors[0] ?? {};
      const flavors = Array.from({ length: 200_000 }, (_, i) => ({
        ...one,
        id: `f-${i}`,
        name: `flavor-${i}`,
      }));
      return { status: 200, contentType: "application/json", body: JSON.stringify({ flavors }) };
    });
    const cloud = await openCloud();
    try {
      const before = process.memoryUsage().rss;
      const started = performance.now();
      const result = await outcome(async () => {
        const flavors = await cloud.listFlavors();
        expect(flavors.length).toBe(200_000);
      });
      const seconds = (performance.now() - started) / 1000;
      const grownMb = (process.memoryUsage().rss - before) / 1024 / 1024;
      console.log(`200,000 flavors: ${result} in ${seconds.toFixed(1)} s, RSS +${grownMb.toFixed(0)} MB`);
      expect(result).toMatch(/^(value|typed)$/);
      expect(seconds).toBeLessThan(30);
      expect(grownMb).toBeLessThan(1024);
    } finally {
      proxy.spoil(undefined);
      await cloud.close();
    }
  }, 60_000);
});
