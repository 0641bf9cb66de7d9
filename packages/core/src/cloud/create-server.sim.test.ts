import { afterEach, describe, expect, it } from "vitest";
import { imageBootDeps } from "../testing/create-server-deps.js";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import type { CloudContext } from "./context.js";
import { createServer, ServerCreateError } from "./create-server.js";
import { floatingIpSource } from "./floating-ip-source.js";
import { listFloatingIps } from "./floating-ips.js";
import { listServers } from "./servers.js";

const noVolumesOrAutoNetwork = imageBootDeps();

let cloud: SimCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

async function boot(
  ctx: CloudContext,
  name: string,
  extra: Partial<Parameters<typeof createServer>[2]> = {},
) {
  return createServer(ctx, noVolumesOrAutoNetwork, {
    name,
    image: "cirros-0.6.2-x86_64-disk",
    flavor: "m1.tiny",
    ...extra,
  });
}

describe("createServer on every simulated cloud", () => {
  it.each([
    ["modern", "floating"],
    ["kilo", "floating"],
    ["nova-network", "floating"],
    ["rackspace", "public"],
  ] as const)("%s: the same call yields a reachable server (%s address)", async (profile, kind) => {
    cloud = await startSimCloud(profile, { simulator: { buildDelayMs: 30 } });
    const result = await boot(cloud.ctx, `web-${profile}`);
    expect(result.server.status).toBe("ACTIVE");
    expect(result.server.publicV4).toBeDefined();
    expect(result.server.interfaceIp).toBe(result.server.publicV4);
    if (kind === "floating") {
      expect(result.floatingIp?.floatingIpAddress).toBe(result.server.publicV4);
      expect(result.reachability.reason).toBe("floating IP attached");
    } else {
      expect(result.floatingIp).toBeUndefined();
      expect(result.reachability.reason).toMatch(/already has a public address/);
      expect(await listFloatingIps(cloud.ctx)).toEqual([]);
    }
  });

  it("modern: makes exactly the expected REST calls, in order, for a boot with a new floating IP", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 0 } });
    // Authentication, discovery and the external-network list are per connection, not per boot.
    await cloud.ctx.normalizeContext();
    await floatingIpSource(cloud.ctx);
    await Promise.all(["compute", "image", "network"].map((type) => cloud!.ctx.client(type)));
    cloud.sim.admin.reset();
    await boot(cloud.ctx, "exact", { reuseIps: false });
    const calls = cloud.sim.admin
      .log()
      .filter((entry) => entry.service !== "identity")
      .map((entry) => `${entry.service} ${entry.route}`);
    // The flavor and image lookups run in parallel: their order is not part of the contract.
    expect(calls.slice(0, 2).sort()).toEqual(["compute GET /flavors/detail", "image GET /images"]);
    expect(calls.slice(2)).toEqual([
      "compute POST /servers",
      // A lone waiter reads its own server, not the project's list.
      "compute GET /servers/{server_id}",
      "network GET /ports",
      "network POST /floatingips",
    ]);
  });

  it("modern: a second boot reuses the free floating IP the first one left", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 0 } });
    const first = await boot(cloud.ctx, "one");
    await cloud.ctx.client("network").then((network) =>
      network.request({
        method: "PUT",
        path: `/floatingips/${first.floatingIp!.id}`,
        json: { floatingip: { port_id: null } },
      }),
    );
    const second = await boot(cloud.ctx, "two");
    expect(second.floatingIp?.id).toBe(first.floatingIp?.id);
    expect(second.server.publicV4).toBe(first.floatingIp?.floatingIpAddress);
    expect(await listFloatingIps(cloud.ctx)).toHaveLength(1);
  });

  it("a server that goes to ERROR is deleted and reported with nova's fault", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 10 } });
    await expect(boot(cloud.ctx, "doomed", { metadata: { "sim:fail": "true" } })).rejects.toThrow(
      ServerCreateError,
    );
    expect(await listServers(cloud.ctx)).toEqual([]);
    expect(await listFloatingIps(cloud.ctx)).toEqual([]);
  });

  it("two concurrent creates with one client token make one server", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 50 } });
    const [a, b] = await Promise.all([
      boot(cloud.ctx, "twin", { clientToken: "tok-2" }),
      boot(cloud.ctx, "twin", { clientToken: "tok-2" }),
    ]);
    expect(a.server.id).toBe(b.server.id);
    expect([a.existing, b.existing].sort()).toEqual([false, true]);
    expect(await listServers(cloud.ctx)).toHaveLength(1);
    expect(cloud.sim.admin.count("compute", "POST /servers")).toBe(1);
  });

  it("a retry finds the floating IP an earlier attempt bound even where nova never lists it", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 10, floatingIpsInAddresses: false } });
    const first = await boot(cloud.ctx, "no-l3", { clientToken: "tok-3" });
    const again = await boot(cloud.ctx, "no-l3", { clientToken: "tok-3" });
    expect(again.existing).toBe(true);
    expect(again.floatingIp?.id).toBe(first.floatingIp?.id);
    expect(again.server.publicV4).toBe(first.floatingIp?.floatingIpAddress);
    expect(await listFloatingIps(cloud.ctx)).toHaveLength(1);
  });

  it("a retried create with the same client token makes one server", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 10 } });
    const first = await boot(cloud.ctx, "once", { clientToken: "tok-1" });
    const again = await boot(cloud.ctx, "once", { clientToken: "tok-1" });
    expect(again.existing).toBe(true);
    expect(again.server.id).toBe(first.server.id);
    expect((await listServers(cloud.ctx)).map((server) => server.id)).toEqual([first.server.id]);
  });
});
