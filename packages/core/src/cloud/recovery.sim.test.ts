import { afterEach, describe, expect, it } from "vitest";
import { createTransport } from "../http/transport.js";
import type { Handler } from "../http/types.js";
import type { StateBackend } from "../state/backend.js";
import { createMemoryBackend } from "../state/memory-backend.js";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import { CLIENT_TOKEN_LEASE_TTL_MS, ClientTokenLease, listClientTokenRecords } from "./client-token.js";
import type { CloudContext } from "./context.js";
import { type CreateServerDeps, type CreateServerOptions, createServer } from "./create-server.js";
import { CLIENT_TOKEN_METADATA_KEY } from "./create-server-options.js";
import { detachFloatingIp, listFloatingIps } from "./floating-ips.js";
import {
  floatingIpDescription,
  MANAGED_METADATA_KEY,
  parseFloatingIpMark,
  TOKEN_HASH_METADATA_KEY,
  tokenHash,
  volumeMarker,
} from "./markers.js";
import { deleteLeftovers, reclaimAbandoned } from "./reclaim.js";
import { listServers } from "./servers.js";
import * as volumes from "./volumes.js";

/** The steps createServer borrows, as the Cloud facade wires them (boot volumes included). */
const deps: CreateServerDeps = {
  chooseAutoNetwork: async () => ({ kind: "nova-default" }),
  createBootVolume: (ctx, options) => volumes.createBootVolume(ctx, options),
  deleteVolume: async (ctx, id) => {
    await volumes.deleteVolume(ctx, id, { wait: true });
  },
  attachVolume: async (ctx, serverId, volumeId, signal) => {
    await volumes.attachVolume(ctx, serverId, volumeId, { wait: true, ...(signal && { signal }) });
  },
};

const base: CreateServerOptions = {
  name: "rec",
  image: "cirros-0.6.2-x86_64-disk",
  flavor: "m1.tiny",
  timeoutMs: 30_000,
};

/** A simulated cloud that applies the next `route` request of `service` and loses its answer. */
async function cloudLosingOneAnswer(service: string, route: string): Promise<SimCloud> {
  const started = await startSimCloud("modern", { simulator: { buildDelayMs: 100 } });
  started.sim.admin.addFault({ service, route, dropResponse: true, times: 1 });
  return started;
}

/** Those of `items` that were not there `before`. */
function madeSince<T extends { readonly id: string }>(before: ReadonlySet<string>, items: readonly T[]): T[] {
  return items.filter((item) => !before.has(item.id));
}

/** A boot from a new volume (deleted with the server). */
const lostVolume: CreateServerOptions = {
  ...base,
  timeoutMs: 10_000,
  bootFromVolume: true,
  volumeSize: 1,
  terminateVolume: true,
};

let cloud: SimCloud | undefined;
const transports: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const transport of transports.splice(0)) await transport.close();
  await cloud?.close();
  cloud = undefined;
});

/**
 * A process that dies: its HTTP transport and its state backend stop answering (every call
 * hangs, like requests of a process that is gone) from the moment `dieAfter` matches a
 * response: the create stops right there, with no rollback, its lease left to expire.
 */
function mortal(shared: StateBackend, dieAfter: (method: string, url: string) => boolean) {
  const transport = createTransport();
  transports.push(transport);
  let dead = false;
  const never = () => new Promise<never>(() => {});
  const handler: Handler = async (request) => {
    if (dead) return never();
    const response = await transport.handle(request);
    if (dieAfter(request.method, request.url)) dead = true;
    return response;
  };
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      dead ? never() : fn(...args);
  const backend: StateBackend = {
    kv: {
      get: guard((key) => shared.kv.get(key)),
      set: guard((key, value, ttl) => shared.kv.set(key, value, ttl)),
      delete: guard((key) => shared.kv.delete(key)),
      deletePrefix: guard((prefix) => shared.kv.deletePrefix(prefix)),
    },
    maps: {
      getAll: guard((key) => shared.maps.getAll(key)),
      setFields: guard((key, entries) => shared.maps.setFields(key, entries)),
      deleteFields: guard((key, fields) => shared.maps.deleteFields(key, fields)),
      deleteKey: guard((key) => shared.maps.deleteKey(key)),
    },
    leases: {
      acquire: guard((name, owner, ttl) => shared.leases.acquire(name, owner, ttl)),
      release: guard((name, owner) => shared.leases.release(name, owner)),
    },
    pubsub: shared.pubsub,
    counters: shared.counters,
    close: async () => {},
  };
  return { handler, backend, isDead: () => dead };
}

/** A shared memory backend whose clock the test can move (to let a dead holder's lease lapse). */
function movableBackend() {
  let offset = 0;
  const backend = createMemoryBackend(() => Date.now() + offset);
  return { backend, advance: (ms: number) => (offset += ms) };
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Starts a create on a context that dies after the response `dieAfter` matches, waits for the
 * death, lets its lease lapse, and returns a live context on the same shared state.
 */
async function crashDuring(
  sim: SimCloud,
  dieAfter: (method: string, url: string) => boolean,
  options: CreateServerOptions,
  overrides?: Readonly<Record<string, unknown>>,
): Promise<CloudContext> {
  const { backend, advance } = movableBackend();
  const dying = mortal(backend, dieAfter);
  const doomed = await sim.context({
    cloudOptions: { backend: dying.backend },
    connectOptions: { transport: dying.handler },
    ...(overrides && { overrides }),
  });
  void createServer(doomed, deps, options).catch(() => {});
  await until(dying.isDead, "the create to reach the crash point");
  advance(CLIENT_TOKEN_LEASE_TTL_MS + 1000);
  return sim.context({ cloudOptions: { backend }, ...(overrides && { overrides }) });
}

const after = (method: string, path: RegExp) => (m: string, url: string) =>
  m === method && path.test(new URL(url).pathname);

describe("markers: what oaktree writes on what it creates", () => {
  it("server metadata, the floating IP's description and the boot volume's metadata carry oaktree's marks", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20 } });
    const before = Date.now();
    const result = await createServer(cloud.ctx, deps, {
      ...base,
      clientToken: "tok-mark",
      bootFromVolume: true,
      volumeSize: 1,
    });
    expect(result.server.metadata[CLIENT_TOKEN_METADATA_KEY]).toBe("tok-mark");
    const at = Date.parse(result.server.metadata[MANAGED_METADATA_KEY] ?? "");
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    const mark = parseFloatingIpMark(result.floatingIp?.description);
    expect(mark?.tokenHash).toBe(tokenHash("tok-mark"));
    expect(Date.parse(mark?.at ?? "")).toBeGreaterThanOrEqual(before - 1000);
    expect(result.floatingIp?.description).not.toContain("tok-mark");
    const [volume] = await volumes.listVolumes(cloud.ctx);
    expect(volume?.metadata[TOKEN_HASH_METADATA_KEY]).toBe(tokenHash("tok-mark"));
    expect(volume?.metadata[MANAGED_METADATA_KEY]).toBeDefined();
  }, 60_000);

  it("parses its own descriptions and nobody else's", () => {
    const description = floatingIpDescription("t", new Date("2026-12-04T10:00:00Z"));
    expect(description).toBe(`oaktree:managed token=${tokenHash("t")} at=2026-12-04T10:00:00.000Z`);
    expect(parseFloatingIpMark(description)).toEqual({
      tokenHash: tokenHash("t"),
      at: "2026-12-04T10:00:00.000Z",
    });
    expect(parseFloatingIpMark("oaktree:managed")).toEqual({});
    expect(parseFloatingIpMark("oaktree:managedX")).toBeUndefined();
    expect(parseFloatingIpMark("my ip")).toBeUndefined();
  });
});

describe("a client token's record", () => {
  it("goes pending, then delivered; a failed create that cleaned up everything drops it", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20 } });
    const ctx = cloud.ctx;
    const seen: (string | undefined)[] = [];
    const result = await createServer(ctx, deps, {
      ...base,
      name: "ok",
      clientToken: "tok-ok",
      onProgress: (event) => {
        if (event.stage === "building") {
          void listClientTokenRecords(ctx).then((records) => seen.push(records.get("tok-ok")?.state));
        }
      },
    });
    const record = (await listClientTokenRecords(ctx)).get("tok-ok");
    expect(seen[0]).toBe("pending");
    expect(record).toMatchObject({ state: "delivered", name: "ok", serverId: result.server.id });
    expect(record?.floatingIps).toEqual([{ id: result.floatingIp?.id, created: true }]);

    cloud.sim.admin.markFailing({ flavor: "m1.tiny" });
    await expect(createServer(ctx, deps, { ...base, name: "bad", clientToken: "tok-bad" })).rejects.toThrow(
      /went to ERROR/,
    );
    expect((await listClientTokenRecords(ctx)).has("tok-bad")).toBe(false);
  }, 60_000);
});

describe("what recovery costs a boot", () => {
  it("marks and records add no request: a boot with a client token makes a plain boot's requests plus its one lookup by name", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20 } });
    const ctx = cloud.ctx;
    await createServer(ctx, deps, { ...base, name: "warm" });
    /** Requests of one boot, without the server reads of its wait (their number varies with timing). */
    const costOf = async (options: CreateServerOptions) => {
      cloud!.sim.admin.reset();
      await createServer(ctx, deps, options);
      return Object.fromEntries(
        Object.entries(cloud!.sim.admin.counters()).filter(
          ([route]) => !/^compute GET \/servers\/[^d]/.test(route),
        ),
      );
    };
    const plain = await costOf({ ...base, name: "plain" });
    const withToken = await costOf({ ...base, name: "tokened", clientToken: "tok-cost" });
    expect(withToken).toEqual({
      ...plain,
      "compute GET /servers/detail": (plain["compute GET /servers/detail"] ?? 0) + 1,
    });
  }, 60_000);
});

describe("a reissue after the process died mid-create", () => {
  it("after POST /servers: finds the server, makes it reachable, one server and one floating IP", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 300 } });
    const options = { ...base, clientToken: "tok-a" };
    const live = await crashDuring(cloud, after("POST", /\/servers$/), options);
    const result = await createServer(live, deps, options);
    expect(result.existing).toBe(true);
    expect(await listServers(live)).toHaveLength(1);
    const ips = await listFloatingIps(live);
    expect(ips).toHaveLength(1);
    expect(ips[0]!.portId).toBeDefined();
    expect(result.floatingIp?.id).toBe(ips[0]!.id);
    expect(cloud.sim.admin.count("compute", "POST /servers")).toBe(1);
    expect((await listClientTokenRecords(live)).get("tok-a")?.state).toBe("delivered");
  }, 60_000);

  it("after the floating IP was created bound: returns it, creates no second one", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20 } });
    const options = { ...base, clientToken: "tok-b" };
    const live = await crashDuring(cloud, after("POST", /\/floatingips$/), options);
    const result = await createServer(live, deps, options);
    expect(result.existing).toBe(true);
    const ips = await listFloatingIps(live);
    expect(ips).toHaveLength(1);
    expect(result.floatingIp?.id).toBe(ips[0]!.id);
    expect(cloud.sim.admin.count("network", "POST /floatingips")).toBe(1);
  }, 60_000);

  it("a floating IP marked with the token but bound to nothing is bound, not duplicated (reuse off)", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20 } });
    const options = { ...base, clientToken: "tok-unbound", reuseIps: false };
    const live = await crashDuring(cloud, after("POST", /\/floatingips$/), options);
    const [made] = await listFloatingIps(live);
    await detachFloatingIp(live, made!);
    const result = await createServer(live, deps, options);
    const ips = await listFloatingIps(live);
    expect(ips.map((ip) => ip.id)).toEqual([made!.id]);
    expect(ips[0]!.attached).toBe(true);
    expect(result.floatingIp?.id).toBe(made!.id);
    expect(cloud.sim.admin.count("network", "POST /floatingips")).toBe(1);
  }, 60_000);

  it("nova-network: a floating IP allocated but never associated is associated, not duplicated", async () => {
    cloud = await startSimCloud("nova-network", { simulator: { buildDelayMs: 20 } });
    const options = { ...base, clientToken: "tok-c" };
    const live = await crashDuring(cloud, after("POST", /\/os-floating-ips$/), options);
    const orphaned = await listFloatingIps(live);
    expect(orphaned.map((ip) => ip.attached)).toEqual([false]);
    const result = await createServer(live, deps, options);
    const ips = await listFloatingIps(live);
    expect(ips).toHaveLength(1);
    expect(ips[0]!.attached).toBe(true);
    expect(result.floatingIp?.floatingIpAddress).toBe(orphaned[0]!.floatingIpAddress);
    expect(cloud.sim.admin.count("compute", "POST /os-floating-ips")).toBe(1);
    expect(await listServers(live)).toHaveLength(1);
  }, 60_000);

  it("after the boot volume was created, before the boot: the volume is cleaned, one volume and one server remain", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20 } });
    const options = { ...base, clientToken: "tok-d", bootFromVolume: true, volumeSize: 1 };
    const live = await crashDuring(cloud, after("POST", /\/volumes$/), options);
    expect(await volumes.listVolumes(live)).toHaveLength(1);
    const result = await createServer(live, deps, options);
    expect(result.existing).toBe(false);
    const left = await volumes.listVolumes(live);
    expect(left).toHaveLength(1);
    expect(left[0]!.status).toBe("in-use");
    expect(await listServers(live)).toHaveLength(1);
    expect(await listFloatingIps(live)).toHaveLength(1);
  }, 60_000);
});

describe("the reclaimer", () => {
  it("deletes only what was marked for the token since its record began (an older kept volume stays)", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20 } });
    const ctx = cloud.ctx;
    const startedAt = Date.now();
    const kept = await volumes.createVolume(ctx, {
      size: 1,
      name: "kept-boot",
      metadata: volumeMarker("tok-v", new Date(startedAt - 3_600_000)),
    });
    const left = await volumes.createVolume(ctx, {
      size: 1,
      name: "left-boot",
      metadata: volumeMarker("tok-v"),
    });
    const other = await volumes.createVolume(ctx, {
      size: 1,
      name: "other",
      metadata: volumeMarker("tok-w"),
    });
    const result = await deleteLeftovers(ctx, {
      token: "tok-v",
      name: "v",
      startedAt,
      floatingIps: [],
      volumeIds: [],
    });
    expect(result.failures).toEqual([]);
    expect((await volumes.listVolumes(ctx)).map((volume) => volume.id).sort()).toEqual(
      [kept.id, other.id].sort(),
    );
    expect(result.deleted).toEqual([`volume ${left.id}`]);
  }, 60_000);

  it("deletes the server and floating IP of an abandoned pending record once the grace is over, and drops the record", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20 } });
    const options = { ...base, clientToken: "tok-r" };
    const live = await crashDuring(cloud, after("POST", /\/floatingips$/), options);
    expect((await listClientTokenRecords(live)).get("tok-r")?.state).toBe("pending");

    const early = await reclaimAbandoned(live, { graceMs: 60_000 });
    expect(early.reclaimed).toEqual([]);
    expect(early.waiting).toBe(1);
    expect(await listServers(live)).toHaveLength(1);

    const report = await reclaimAbandoned(live, { graceMs: 0, now: () => Date.now() + 1 });
    expect(report.failures).toEqual([]);
    expect(report.reclaimed.map((item) => item.token)).toEqual(["tok-r"]);
    expect(await listServers(live)).toHaveLength(0);
    expect(await listFloatingIps(live)).toHaveLength(0);
    expect((await listClientTokenRecords(live)).has("tok-r")).toBe(false);
  }, 60_000);

  it("leaves a pending record alone while somebody holds its token's lease", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20 } });
    const options = { ...base, clientToken: "tok-busy" };
    const live = await crashDuring(cloud, after("POST", /\/servers$/), options);
    const holder = await ClientTokenLease.tryAcquire(live, "tok-busy");
    expect(holder).toBeDefined();
    try {
      const report = await reclaimAbandoned(live, { graceMs: 0, now: () => Date.now() + 1 });
      expect(report.reclaimed).toEqual([]);
      expect(report.waiting).toBe(1);
      expect(await listServers(live)).toHaveLength(1);
    } finally {
      await holder!.release();
    }
  }, 60_000);

  it("never touches a delivered server; counts marked objects it has no record of, deleting nothing", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20 } });
    const delivered = await createServer(cloud.ctx, deps, { ...base, name: "kept", clientToken: "tok-kept" });
    // The same cloud seen by a process with no records (memory state after a restart).
    const amnesiac = await cloud.context();
    const report = await reclaimAbandoned(cloud.ctx, { graceMs: 0, now: () => Date.now() + 1 });
    expect(report.reclaimed).toEqual([]);
    const blind = await reclaimAbandoned(amnesiac, { graceMs: 0, now: () => Date.now() + 1 });
    expect(blind.reclaimed).toEqual([]);
    expect(blind.unvouched.servers).toBe(1);
    const servers = await listServers(cloud.ctx);
    expect(servers.map((server) => server.id)).toEqual([delivered.server.id]);
    expect(await listFloatingIps(cloud.ctx)).toHaveLength(1);
  }, 60_000);
});

describe("a dead attempt whose server went to ERROR (found by the chaos soak)", () => {
  it("a reissue deletes the pending attempt's ERROR server and boots again: one ACTIVE server for the token", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 100 } });
    cloud.sim.admin.addFault({
      service: "compute",
      route: "POST /servers",
      failBuild: "no valid host",
      times: 1,
    });
    const options = { ...base, clientToken: "tok-error" };
    const live = await crashDuring(cloud, after("POST", /\/servers$/), options);
    await until(() => cloud!.sim.admin.count("compute", "POST /servers") === 1, "the doomed POST");
    const result = await createServer(live, deps, options);
    expect(result.existing).toBeFalsy();
    expect(result.server.status).toBe("ACTIVE");
    const servers = await listServers(live);
    expect(servers.map((server) => server.status)).toEqual(["ACTIVE"]);
    expect(servers[0]!.metadata[CLIENT_TOKEN_METADATA_KEY]).toBe("tok-error");
    expect(await listFloatingIps(live)).toHaveLength(1);
    expect(cloud.sim.admin.count("compute", "POST /servers")).toBe(2);
    expect((await listClientTokenRecords(live)).get("tok-error")?.state).toBe("delivered");
  }, 60_000);

  it("a create whose POST /servers answer was lost finds the server nova made and goes on with it", async () => {
    cloud = await cloudLosingOneAnswer("compute", "POST /servers");
    const result = await createServer(cloud.ctx, deps, {
      ...base,
      clientToken: "tok-lost-answer",
      timeoutMs: 10_000,
    });
    expect(result.server.status).toBe("ACTIVE");
    expect(cloud.sim.admin.count("compute", "POST /servers")).toBe(1);
    expect((await listServers(cloud.ctx)).map((server) => server.id)).toEqual([result.server.id]);
    expect((await listClientTokenRecords(cloud.ctx)).get("tok-lost-answer")?.state).toBe("delivered");
  }, 60_000);

  it("... and when that server goes to ERROR, deletes it like its own: nothing left, the reissue boots", async () => {
    cloud = await cloudLosingOneAnswer("compute", "POST /servers");
    cloud.sim.admin.addFault({
      service: "compute",
      route: "POST /servers",
      failBuild: "no valid host",
      times: 1,
    });
    const options = { ...base, clientToken: "tok-lost-error", timeoutMs: 10_000 };
    await expect(createServer(cloud.ctx, deps, options)).rejects.toThrow(/no valid host/);
    expect(cloud.sim.admin.count("compute", "POST /servers")).toBe(1);
    expect(await listServers(cloud.ctx)).toEqual([]);
    expect((await listClientTokenRecords(cloud.ctx)).has("tok-lost-error")).toBe(false);
    const result = await createServer(cloud.ctx, deps, options);
    expect(result.server.status).toBe("ACTIVE");
    const servers = await listServers(cloud.ctx);
    expect(servers.map((server) => [server.id, server.status])).toEqual([[result.server.id, "ACTIVE"]]);
  }, 60_000);

  it("a create whose POST /floatingips answer was lost finds the floating IP neutron made and goes on with it", async () => {
    cloud = await cloudLosingOneAnswer("network", "POST /floatingips");
    const before = new Set((await listFloatingIps(cloud.ctx)).map((ip) => ip.id));
    const options = { ...base, clientToken: "tok-found-fip", timeoutMs: 10_000, reuseIps: false };
    const result = await createServer(cloud.ctx, deps, options);
    expect(cloud.sim.admin.count("network", "POST /floatingips")).toBe(1);
    const made = madeSince(before, await listFloatingIps(cloud.ctx));
    expect(made.map((ip) => ip.id)).toEqual([result.floatingIp?.id]);
    expect(made[0]?.attached).toBe(true);
  }, 60_000);

  it("... and when neutron's list fails too, deletes that floating IP once it can (the sweep, then the reclaimer)", async () => {
    cloud = await cloudLosingOneAnswer("network", "POST /floatingips");
    const before = new Set((await listFloatingIps(cloud.ctx)).map((ip) => ip.id));
    // The lookup of the lost IP fails (every retry of it), then neutron lists again.
    cloud.sim.admin.addFault({ service: "network", route: "GET /floatingips", status: 500, times: 4 });
    const options = { ...base, clientToken: "tok-lost-fip", timeoutMs: 10_000, reuseIps: false };
    await expect(createServer(cloud.ctx, deps, options)).rejects.toThrow();
    cloud.sim.admin.clearFaults();
    expect(cloud.sim.admin.count("network", "POST /floatingips")).toBe(1);
    expect(await listServers(cloud.ctx)).toEqual([]);
    // Kept pending (the sweep may have met the failing list too): the reclaimer sweeps again.
    expect((await listClientTokenRecords(cloud.ctx)).get("tok-lost-fip")?.state).toBe("pending");
    await reclaimAbandoned(cloud.ctx, { graceMs: 0 });
    const left = madeSince(before, await listFloatingIps(cloud.ctx));
    expect(left.map((ip) => ip.description)).toEqual([]);
    expect(await listClientTokenRecords(cloud.ctx)).toEqual(new Map());
  }, 60_000);

  it("a create whose boot volume's POST /volumes answer was lost finds the volume cinder made and boots from it", async () => {
    cloud = await cloudLosingOneAnswer("block-storage", "POST /volumes");
    const before = new Set((await volumes.listVolumes(cloud.ctx)).map((volume) => volume.id));
    const result = await createServer(cloud.ctx, deps, { ...lostVolume, clientToken: "tok-found-volume" });
    expect(result.server.status).toBe("ACTIVE");
    expect(cloud.sim.admin.count("block-storage", "POST /volumes")).toBe(1);
    const made = madeSince(before, await volumes.listVolumes(cloud.ctx));
    expect(made.map((volume) => volume.status)).toEqual(["in-use"]);
  }, 60_000);

  it("... and when cinder's list fails too, deletes that volume once cinder has made it", async () => {
    cloud = await cloudLosingOneAnswer("block-storage", "POST /volumes");
    const before = new Set((await volumes.listVolumes(cloud.ctx)).map((volume) => volume.id));
    cloud.sim.admin.addFault({
      service: "block-storage",
      route: "GET /volumes/detail",
      status: 500,
      times: 4,
    });
    await expect(
      createServer(cloud.ctx, deps, { ...lostVolume, clientToken: "tok-lost-volume" }),
    ).rejects.toThrow();
    cloud.sim.admin.clearFaults();
    expect(cloud.sim.admin.count("block-storage", "POST /volumes")).toBe(1);
    await reclaimAbandoned(cloud.ctx, { graceMs: 0 });
    const left = madeSince(before, await volumes.listVolumes(cloud.ctx));
    expect(left.map((volume) => `${volume.id} ${volume.status}`)).toEqual([]);
    expect(await listClientTokenRecords(cloud.ctx)).toEqual(new Map());
  }, 60_000);

  it("a reissue that finds the pending attempt's server stuck in BUILD deletes it once its time runs out", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 100 } });
    cloud.sim.admin.addFault({ service: "compute", route: "POST /servers", stuckBuild: true, times: 1 });
    // The first attempt's rollback cannot delete it: nova answers 503 to every try.
    cloud.sim.admin.addFault({
      service: "compute",
      route: "DELETE /servers/{server_id}",
      status: 503,
      retryAfterSeconds: 0,
      times: 20,
    });
    const options = { ...base, clientToken: "tok-stuck", timeoutMs: 1500 };
    await expect(createServer(cloud.ctx, deps, options)).rejects.toThrow(/not ACTIVE in time/);
    const stuck = await listServers(cloud.ctx);
    expect(stuck.map((server) => server.status)).toEqual(["BUILD"]);
    cloud.sim.admin.clearFaults();
    expect((await listClientTokenRecords(cloud.ctx)).get("tok-stuck")?.state).toBe("pending");
    // The reissue waits for it (it might still boot), then deletes it: nobody was handed it.
    await expect(createServer(cloud.ctx, deps, options)).rejects.toThrow(/not ACTIVE in time/);
    expect(await listServers(cloud.ctx)).toEqual([]);
    const result = await createServer(cloud.ctx, deps, { ...options, timeoutMs: 10_000 });
    expect(result.existing).toBe(false);
    expect((await listServers(cloud.ctx)).map((server) => server.status)).toEqual(["ACTIVE"]);
  }, 60_000);

  it("without a pending record (a delivered server that failed later) the ERROR server is left alone", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 100 } });
    const options = { ...base, clientToken: "tok-delivered-error" };
    const first = await createServer(cloud.ctx, deps, options);
    expect((await listClientTokenRecords(cloud.ctx)).get("tok-delivered-error")?.state).toBe("delivered");
    // The hypervisor fails it later (white-box: the simulator's record of the server).
    const record = cloud.sim.admin.state.world.servers.get(first.server.id)!;
    record.status = "ERROR";
    record.vm_state = "error";
    await expect(createServer(cloud.ctx, deps, { ...options, timeoutMs: 3000 })).rejects.toThrow();
    expect((await listServers(cloud.ctx)).map((server) => server.id)).toEqual([first.server.id]);
  }, 60_000);
});
