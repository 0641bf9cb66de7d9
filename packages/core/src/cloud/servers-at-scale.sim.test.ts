import { afterEach, describe, expect, it } from "vitest";
import { collect } from "../http/paginate.js";
import { listPorts } from "../services/network/v2/ports/requests.js";
import { createMemoryBackend, WatchRegistry } from "../state/index.js";
import { imageBootDeps } from "../testing/create-server-deps.js";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import { createServer, ServerCreateError } from "./create-server.js";
import { createFloatingIp, listFloatingIps } from "./floating-ips.js";
import { listServers, serverWatch, waitForServer } from "./servers.js";

const IMAGE = "cirros-0.6.2-x86_64-disk";
const deps = imageBootDeps();

let cloud: SimCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

describe("servers at scale (simulator)", () => {
  it("50 concurrent boots with reuse allowed: all succeed, each with its own floating IP, none left free", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 50 } });
    cloud.sim.admin.setQuota("compute", "demo", { instances: 60, cores: 120, ram: 512_000 });
    // Twenty free floating IPs for the fifty boots to fight over.
    for (let i = 0; i < 20; i++) await createFloatingIp(cloud.ctx);
    const ctx = cloud.ctx;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        createServer(ctx, deps, { name: `node-${i}`, image: IMAGE, flavor: "m1.nano", reuseIps: true }),
      ),
    );
    const addresses = results.map((result) => result.floatingIp?.floatingIpAddress);
    expect(addresses.every((address) => address !== undefined)).toBe(true);
    expect(new Set(addresses).size).toBe(50);
    const ips = await listFloatingIps(cloud.ctx);
    expect(ips).toHaveLength(50);
    expect(ips.filter((ip) => !ip.attached)).toEqual([]);
    // Every floating IP is bound to the port of the server that reported it.
    const network = await cloud.ctx.client("network");
    for (const result of results) {
      const ip = ips.find((candidate) => candidate.id === result.floatingIp!.id)!;
      const [port] = await collect(listPorts(network, { deviceId: result.server.id }));
      expect(ip.portId).toBe(port!.id);
    }
  }, 60_000);

  it("100 concurrent waiters on one server cost the cloud the reads of one", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 300 } });
    const ctx = cloud.ctx;
    const compute = await ctx.client("compute");
    const image = await ctx.client("image");
    const imageRef = (await image.request({ method: "GET", path: "/images" })).json<{
      images: { id: string }[];
    }>().images[0]!.id;
    const listsFor = async (waiters: number) => {
      const created = await compute.request({
        method: "POST",
        path: "/servers",
        json: { server: { name: `w${waiters}`, imageRef, flavorRef: "1", networks: "auto" } },
      });
      const id = created.json<{ server: { id: string } }>().server.id;
      cloud!.sim.admin.reset();
      const results = await Promise.all(
        Array.from({ length: waiters }, () => waitForServer(ctx, id, { timeoutMs: 10_000 })),
      );
      expect(results.every((result) => result.state === "success")).toBe(true);
      return (
        cloud!.sim.admin.count("compute", "GET /servers/detail") +
        cloud!.sim.admin.count("compute", "GET /servers/{server_id}")
      );
    };
    const one = await listsFor(1);
    const hundred = await listsFor(100);
    expect(one).toBeGreaterThan(0);
    // Both waits last about one build delay, so they cost about the same polls; on a loaded
    // machine the hundred waits take longer to set up, hence the slack. Per-waiter polling
    // would cost at least 100.
    expect(hundred).toBeLessThanOrEqual(one * 3 + 3);
    expect(hundred).toBeLessThan(20);
  });

  it("with 10k servers and 10 changing, an incremental poll returns only the changed ones", async () => {
    cloud = await startSimCloud("modern", {
      simulator: { buildDelayMs: 0 },
      cloudOptions: { pollIntervalMs: 100 },
    });
    cloud.sim.admin.seed({ servers: [{ project: "demo", count: 10_000, namePrefix: "bulk" }] });
    const compute = await cloud.ctx.client("compute");
    const rename = async (id: string, name: string) =>
      compute.request({ method: "PUT", path: `/servers/${id}`, json: { server: { name } } });
    const watch = await serverWatch(cloud.ctx);
    const batches: { type: string; id: string }[][] = [];
    const stop = watch.subscribe((events) => batches.push(events.map(({ type, id }) => ({ type, id }))));
    await until(() => batches.length >= 1);
    expect(batches[0]).toHaveLength(10_000);

    // Later, ten servers change: nine are renamed and one is deleted.
    const changed = watch.items().slice(0, 10);
    cloud.sim.admin.advanceClock(5000);
    await rename(changed[0]!.id, "warm-up");
    await until(() => batches.length >= 2);
    const since = watch.cursor!;
    cloud.sim.admin.advanceClock(5000);
    cloud.sim.admin.reset();
    for (const server of changed.slice(1, 10)) await rename(server.id, `${server.name}-x`);
    await compute.request({ method: "DELETE", path: `/servers/${changed[0]!.id}` });
    cloud.sim.admin.finishBuilds();
    await until(() => batches.flat().some((event) => event.type === "DELETED"));
    stop();

    const events = batches.slice(2).flat();
    expect(
      events
        .filter((event) => event.type === "MODIFIED")
        .map((event) => event.id)
        .sort(),
    ).toEqual(
      changed
        .slice(1, 10)
        .map((server) => server.id)
        .sort(),
    );
    expect(events.filter((event) => event.type === "DELETED").map((event) => event.id)).toEqual([
      changed[0]!.id,
    ]);
    // The incremental query itself returns the ten changed servers and nothing else.
    const { collect: gather } = await import("../http/paginate.js");
    const { listServersDetail } = await import("../services/compute/v2/servers/requests.js");
    const delta = await gather(listServersDetail(compute, { changesSince: since }));
    expect(delta.map((server) => server.id).sort()).toEqual(changed.map((server) => server.id).sort());
    // And no poll after the first listed the 10k servers in full.
    const detail = cloud.sim.admin.log().filter((entry) => entry.route === "GET /servers/detail");
    expect(detail.length).toBeGreaterThan(0);
    expect(detail.every((entry) => entry.query.includes("changes-since"))).toBe(true);
  }, 60_000);

  it("boots in a 10k-server project: a lone boot reads only its server; 20 at once list the project once, and the next 20 not again", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 100 } });
    cloud.sim.admin.setQuota("compute", "demo", { instances: -1, cores: -1, ram: -1 });
    cloud.sim.admin.seed({ servers: [{ project: "demo", count: 10_000, namePrefix: "bulk" }] });
    // Time passes after the seed (the servers' `updated` second is no longer the newest).
    cloud.sim.admin.advanceClock(10_000);
    const ctx = cloud.ctx;
    await ctx.normalizeContext();
    const detail = () => cloud!.sim.admin.log().filter((entry) => entry.route === "GET /servers/detail");
    const fullPages = () => detail().filter((entry) => !entry.query.includes("changes-since")).length;
    const boot = (name: string) =>
      createServer(ctx, deps, { name, image: IMAGE, flavor: "m1.nano", autoIp: false, timeoutMs: 10_000 });

    cloud.sim.admin.reset();
    for (let i = 0; i < 3; i++) await boot(`one-${i}`);
    expect(detail()).toHaveLength(0);
    // Each boot read its own server a few times (first after ~1 poll interval), nothing else.
    expect(cloud.sim.admin.count("compute", "GET /servers/{server_id}")).toBeLessThanOrEqual(3 * 4);

    // Builds long enough for the twenty waiters to be waiting at once.
    cloud.sim.admin.setBuildDelay(1000);
    cloud.sim.admin.reset();
    await Promise.all(Array.from({ length: 20 }, (_, i) => boot(`batch-a-${i}`)));
    // One full listing of 10,023 servers: eleven pages of 1000, then small incremental polls.
    expect(fullPages()).toBe(11);
    const incremental = detail().length - fullPages();
    expect(incremental).toBeGreaterThan(0);
    cloud.sim.admin.reset();
    await Promise.all(Array.from({ length: 20 }, (_, i) => boot(`batch-b-${i}`)));
    // The listing was kept warm: the second batch costs incremental polls only.
    expect(fullPages()).toBe(0);
    expect(detail().every((entry) => !entry.query.includes("marker"))).toBe(true);
  }, 30_000);

  it("an unchanged 10k-server project costs one small page per poll once its newest second has passed", async () => {
    const backend = createMemoryBackend();
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 0 } });
    const sim = cloud.sim.admin;
    const clock = sim.state.world.clock;
    // The watch measures elapsed time on the simulator's clock: advancing it is time passing.
    const watches = new WatchRegistry(backend, { intervalMs: 400, now: () => clock.now() });
    const ctx = await cloud.context({ cloudOptions: { backend, watches } });
    sim.seed({ servers: [{ project: "demo", count: 10_000, namePrefix: "bulk" }] });
    const pages = () => sim.log().filter((entry) => entry.route === "GET /servers/detail");
    // Five seconds pass after every poll (the poller publishes after each one, even when
    // nothing changed); the pages each poll cost are recorded.
    const perPoll: number[] = [];
    let counted = 0;
    await backend.pubsub.subscribe(`oaktree:watch:${await ctx.scope()}/servers`, () => {
      perPoll.push(pages().length - counted);
      counted = pages().length;
      sim.advanceClock(5000);
    });
    const watch = await serverWatch(ctx);
    const changed: string[] = [];
    const stop = watch.subscribe((events) => changed.push(...events.map((event) => event.id)));
    await until(() => perPoll.length >= 5);
    // The full listing, then one poll since the seed's second (inclusive: the 10k again);
    // from then on the bound is past it: one empty page per poll.
    expect(perPoll.slice(0, 2)).toEqual([11, 11]);
    expect(perPoll.slice(2, 5)).toEqual([1, 1, 1]);
    // A change made now is still seen.
    changed.length = 0;
    const compute = await ctx.client("compute");
    const [first] = watch.items();
    await compute.request({
      method: "PUT",
      path: `/servers/${first!.id}`,
      json: { server: { name: "renamed" } },
    });
    await until(() => changed.length > 0);
    stop();
    expect(changed).toEqual([first!.id]);
    await watches.close();
  }, 30_000);

  it("a lone boot's first status poll comes about a second after the create, not a whole interval", async () => {
    cloud = await startSimCloud("modern", {
      simulator: { buildDelayMs: 300 },
      cloudOptions: { pollIntervalMs: 5000 },
    });
    await cloud.ctx.normalizeContext();
    cloud.sim.admin.reset();
    const started = Date.now();
    const result = await createServer(cloud.ctx, deps, { name: "quick", image: IMAGE, flavor: "m1.nano" });
    const elapsed = Date.now() - started;
    expect(result.server.status).toBe("ACTIVE");
    // Polled at ~1 s (ACTIVE by then): nowhere near the 5 s interval.
    expect(cloud.sim.admin.count("compute", "GET /servers/{server_id}")).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(2500);
  });

  it("a floating-IP step failing with 503s leaves no server, port or floating IP behind", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20 } });
    const network = await cloud.ctx.client("network");
    const portsBefore = (await collect(listPorts(network))).map((port) => port.id).sort();
    cloud.sim.admin.addFault({
      service: "network",
      route: "POST /floatingips",
      statuses: [503, 503, 503, 503, 503],
    });
    const failure = await createServer(cloud.ctx, deps, {
      name: "unlucky",
      image: IMAGE,
      flavor: "m1.tiny",
      reuseIps: false,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ServerCreateError);
    expect((failure as ServerCreateError).leftBehind).toEqual([]);
    expect(await listServers(cloud.ctx)).toEqual([]);
    expect(await listFloatingIps(cloud.ctx)).toEqual([]);
    expect((await collect(listPorts(network))).map((port) => port.id).sort()).toEqual(portsBefore);
  });

  it("a boot over the instance quota fails before anything is created", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20 } });
    cloud.sim.admin.setQuota("compute", "demo", { instances: 0 });
    const failure = await createServer(cloud.ctx, deps, {
      name: "over",
      image: IMAGE,
      flavor: "m1.tiny",
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ServerCreateError);
    expect(String(failure)).toMatch(/[Qq]uota/);
    expect(await listServers(cloud.ctx)).toEqual([]);
    expect(await listFloatingIps(cloud.ctx)).toEqual([]);
  });
});

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
