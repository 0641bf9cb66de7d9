import { afterEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "./simulator.js";
import { login } from "./testing/client.js";
import { fixture, shapeDiff } from "./testing/shape.js";

let sims: Simulator[] = [];
async function start(opts: Parameters<typeof startSimulator>[0] = {}) {
  const sim = await startSimulator({ buildDelayMs: 0, deleteDelayMs: 0, ...opts });
  sims.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(sims.map((s) => s.stop()));
  sims = [];
});

// biome-ignore lint/suspicious/noExplicitAny: loosely typed access to response JSON in assertions
type J = Record<string, any>;

describe("framework and keystone", () => {
  it("starts fast, issues tokens with a catalog, rejects bad tokens like keystonemiddleware", async () => {
    const t0 = performance.now();
    const sim = await start();
    expect(performance.now() - t0).toBeLessThan(1000);
    const demo = await login(sim);
    const tokenShape = fixture("keystone/v3/samples/admin/auth-password-project-scoped-response.json");
    const validated = await demo.call("GET", "/identity/v3/auth/tokens", undefined, {
      "x-subject-token": demo.token,
    });
    expect(validated.status).toBe(200);
    expect(shapeDiff(tokenShape, validated.body)).toEqual([]);
    expect(validated.headers.get("x-openstack-request-id")).toMatch(/^req-[0-9a-f-]{36}$/);
    const bad = await fetch(`${sim.url}/compute/v2.1/servers`, { headers: { "x-auth-token": "nope" } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({
      error: {
        code: 401,
        title: "Unauthorized",
        message: "The request you have made requires authentication.",
      },
    });
  });

  it("honours the token lifetime and revocation", async () => {
    const sim = await start({ tokenLifetimeSeconds: 60 });
    const demo = await login(sim);
    expect((await demo.call("GET", "/compute/v2.1/flavors")).status).toBe(200);
    sim.admin.advanceClock(61_000);
    expect((await demo.call("GET", "/compute/v2.1/flavors")).status).toBe(401);
    const again = await login(sim);
    sim.admin.revokeTokens();
    expect((await again.call("GET", "/compute/v2.1/flavors")).status).toBe(401);
  });

  it("serves keystone v2.0 in kilo with the v2 catalog and project ids in endpoints", async () => {
    const sim = await start({ profile: "kilo" });
    const res = await fetch(`${sim.url}/identity/v2.0/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        auth: { passwordCredentials: { username: "demo", password: "secret" }, tenantName: "demo" },
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as J;
    expect(
      // The fidelity table holds the full shape comparison and its justified exceptions.
      shapeDiff(fixture("keystone-v2.0-historical/v2/samples/admin/authenticate-response.json"), body, [
        "access.trust",
        "access.token.audit_ids",
        "access.user.roles[].id",
      ]),
    ).toEqual([]);
    const compute = body.access.serviceCatalog.find((s: J) => s.type === "compute");
    expect(compute.endpoints[0].publicURL).toBe(`${sim.url}/compute/v2.1/${body.access.token.tenant.id}`);
  });
});

describe("nova", () => {
  it("creates a server that goes BUILD -> ACTIVE with an address from the private subnet", async () => {
    const sim = await start({ buildDelayMs: 60_000 });
    const demo = await login(sim);
    const image = sim.admin.state.world.images.all()[0]!.id;
    const created = await demo.call("POST", "/compute/v2.1/servers", {
      server: { name: "vm1", imageRef: image, flavorRef: "1" },
    });
    expect(created.status).toBe(202);
    expect(shapeDiff(fixture("nova/api_samples/servers/server-create-resp.json"), created.body)).toEqual([]);
    const id = (created.body as J).server.id;
    const building = await demo.call("GET", `/compute/v2.1/servers/${id}`);
    expect((building.body as J).server.status).toBe("BUILD");
    expect(sim.admin.finishBuilds()).toBeGreaterThan(0);
    const active = await demo.call("GET", `/compute/v2.1/servers/${id}`);
    const server = (active.body as J).server;
    expect(server.status).toBe("ACTIVE");
    expect(server.addresses.private[0]["OS-EXT-IPS:type"]).toBe("fixed");
    expect(server.addresses.private[0].addr).toMatch(/^10\.0\.[0-3]\.\d+$/);
    // metadata is a free-form map: its keys are data, not shape.
    expect(
      shapeDiff(fixture("nova/api_samples/servers/server-get-resp.json"), active.body, [
        "server.metadata",
        "server.OS-EXT-SRV-ATTR:host",
        "server.OS-EXT-SRV-ATTR:hypervisor_hostname",
        "server.OS-EXT-SRV-ATTR:instance_name",
        "server.os-extended-volumes:volumes_attached",
      ]),
    ).toEqual([]);
  });

  it("varies the server shape with the microversion and refuses versions out of range", async () => {
    const sim = await start();
    const demo = await login(sim);
    const image = sim.admin.state.world.images.all()[0]!.id;
    const h = { "OpenStack-API-Version": "compute 2.47" };
    const created = await demo.call(
      "POST",
      "/compute/v2.1/servers",
      { server: { name: "v", imageRef: image, flavorRef: "1", networks: "none" } },
      h,
    );
    const got = await demo.call(
      "GET",
      `/compute/v2.1/servers/${(created.body as J).server.id}`,
      undefined,
      h,
    );
    expect(got.headers.get("openstack-api-version")).toBe("compute 2.47");
    expect(got.headers.get("x-openstack-nova-api-version")).toBe("2.47");
    expect(
      shapeDiff(fixture("nova/api_samples/servers/v2.47/server-get-resp.json"), got.body, [
        "server.metadata",
        "server.addresses",
        "server.flavor.extra_specs",
        "server.OS-EXT-SRV-ATTR:host",
        "server.OS-EXT-SRV-ATTR:hypervisor_hostname",
        "server.OS-EXT-SRV-ATTR:instance_name",
        "server.OS-EXT-SRV-ATTR:hostname",
        "server.OS-EXT-SRV-ATTR:kernel_id",
        "server.OS-EXT-SRV-ATTR:launch_index",
        "server.OS-EXT-SRV-ATTR:ramdisk_id",
        "server.OS-EXT-SRV-ATTR:reservation_id",
        "server.OS-EXT-SRV-ATTR:root_device_name",
        "server.OS-EXT-SRV-ATTR:user_data",
        "server.host_status",
        "server.os-extended-volumes:volumes_attached",
      ]),
    ).toEqual([]);
    const tooNew = await demo.call("GET", "/compute/v2.1/servers", undefined, {
      "OpenStack-API-Version": "compute 2.200",
    });
    expect(tooNew.status).toBe(406);
    expect((tooNew.body as J).computeFault.message).toContain("Minimum is 2.1 and maximum is 2.93");
    const needNetworks = await demo.call(
      "POST",
      "/compute/v2.1/servers",
      { server: { name: "x", imageRef: image, flavorRef: "1" } },
      { "OpenStack-API-Version": "compute 2.37" },
    );
    expect(needNetworks.status).toBe(400);
    const auto = await demo.call(
      "POST",
      "/compute/v2.1/servers",
      { server: { name: "x", imageRef: image, flavorRef: "1", networks: "auto" } },
      { "OpenStack-API-Version": "compute 2.37" },
    );
    expect(auto.status).toBe(202);
    const kilo = await start({ profile: "kilo" });
    const kdemo = await login(kilo);
    expect(
      (
        await kdemo.call("GET", "/compute/v2.1/servers", undefined, {
          "X-OpenStack-Nova-API-Version": "2.13",
        })
      ).status,
    ).toBe(406);
  });

  it("puts servers in ERROR on demand with a fault", async () => {
    const sim = await start();
    const demo = await login(sim);
    const image = sim.admin.state.world.images.all()[0]!.id;
    sim.admin.markFailing({ flavor: "m1.small" });
    const r = await demo.call("POST", "/compute/v2.1/servers", {
      server: { name: "f", imageRef: image, flavorRef: "2" },
    });
    const s = ((await demo.call("GET", `/compute/v2.1/servers/${(r.body as J).server.id}`)).body as J).server;
    expect(s.status).toBe("ERROR");
    expect(s.fault.code).toBe(500);
    sim.admin.addFault({ service: "compute", route: "POST /servers", failBuild: "boom", times: 1 });
    const r2 = await demo.call("POST", "/compute/v2.1/servers", {
      server: { name: "g", imageRef: image, flavorRef: "1" },
    });
    const s2 = ((await demo.call("GET", `/compute/v2.1/servers/${(r2.body as J).server.id}`)).body as J)
      .server;
    expect([s2.status, s2.fault.message]).toEqual(["ERROR", "boom"]);
  });

  it("enforces the instances quota with nova's 403", async () => {
    const sim = await start();
    const demo = await login(sim);
    sim.admin.setQuota("compute", "demo", { instances: 1 });
    const image = sim.admin.state.world.images.all()[0]!.id;
    expect(
      (
        await demo.call("POST", "/compute/v2.1/servers", {
          server: { name: "a", imageRef: image, flavorRef: "1" },
        })
      ).status,
    ).toBe(202);
    const over = await demo.call("POST", "/compute/v2.1/servers", {
      server: { name: "b", imageRef: image, flavorRef: "1" },
    });
    expect(over.status).toBe(403);
    expect((over.body as J).forbidden.message).toBe(
      "Quota exceeded for instances: Requested 1, but already used 1 of 1 instances",
    );
  });

  it("lists changes-since including deleted servers", async () => {
    const sim = await start();
    const demo = await login(sim);
    const image = sim.admin.state.world.images.all()[0]!.id;
    const since = new Date(sim.admin.state.world.clock.now() - 1000).toISOString();
    const r = await demo.call("POST", "/compute/v2.1/servers", {
      server: { name: "d", imageRef: image, flavorRef: "1" },
    });
    const id = (r.body as J).server.id;
    expect((await demo.call("DELETE", `/compute/v2.1/servers/${id}`)).status).toBe(204);
    expect((await demo.call("GET", `/compute/v2.1/servers/${id}`)).status).toBe(404);
    const plain = (await demo.call("GET", "/compute/v2.1/servers/detail")).body as J;
    expect(plain.servers.map((s: J) => s.id)).not.toContain(id);
    const changed = (
      await demo.call("GET", `/compute/v2.1/servers/detail?changes-since=${encodeURIComponent(since)}`)
    ).body as J;
    expect(changed.servers.find((s: J) => s.id === id).status).toBe("DELETED");
  });

  it("pages through 10k seeded servers with servers_links", async () => {
    const sim = await start({ seed: { servers: [{ project: "demo", count: 10_000 }] } });
    const demo = await login(sim);
    let path: string | undefined = "/compute/v2.1/servers/detail?limit=1000";
    const seen = new Set<string>();
    let pages = 0;
    const t0 = performance.now();
    while (path && pages < 20) {
      const page = (await demo.call("GET", path)).body as J;
      for (const s of page.servers) seen.add(s.id);
      pages += 1;
      const next = page.servers_links?.find((l: J) => l.rel === "next")?.href as string | undefined;
      path = next ? next.slice(sim.url.length) : undefined;
    }
    expect(seen.size).toBe(10_000);
    expect(pages).toBe(11);
    expect(performance.now() - t0).toBeLessThan(15_000);
    expect(sim.admin.count("compute", "GET /servers/detail")).toBe(11);
  });
});

describe("neutron and floating IPs", () => {
  it("associates a floating IP with a server port and shows it in the server's addresses", async () => {
    const sim = await start();
    const demo = await login(sim);
    const image = sim.admin.state.world.images.all()[0]!.id;
    const r = await demo.call("POST", "/compute/v2.1/servers", {
      server: { name: "fip", imageRef: image, flavorRef: "1" },
    });
    const id = (r.body as J).server.id;
    const ports = (await demo.call("GET", `/network/v2.0/ports?device_id=${id}`)).body as J;
    expect(ports.ports).toHaveLength(1);
    const pub = ((await demo.call("GET", "/network/v2.0/networks?router:external=true")).body as J)
      .networks[0];
    const fip = await demo.call("POST", "/network/v2.0/floatingips", {
      floatingip: { floating_network_id: pub.id, port_id: ports.ports[0].id },
    });
    expect(fip.status).toBe(201);
    expect(
      shapeDiff(fixture("neutron/v2/samples/floatingips/floatingip-create-response.json"), fip.body, [
        "floatingip.port_details",
        "floatingip.qos_network_policy_id",
        "floatingip.tags",
      ]),
    ).toEqual([]);
    const server = ((await demo.call("GET", `/compute/v2.1/servers/${id}`)).body as J).server;
    const floating = server.addresses.private.find((a: J) => a["OS-EXT-IPS:type"] === "floating");
    expect(floating.addr).toBe((fip.body as J).floatingip.floating_ip_address);
  });

  it("enforces neutron quotas with 409 OverQuota and serves auto-allocated topology idempotently", async () => {
    const sim = await start();
    const demo = await login(sim);
    sim.admin.setQuota("network", "demo", { network: 2 });
    expect((await demo.call("POST", "/network/v2.0/networks", { network: { name: "n" } })).status).toBe(201);
    const over = await demo.call("POST", "/network/v2.0/networks", { network: { name: "n2" } });
    expect(over.status).toBe(409);
    expect((over.body as J).NeutronError.type).toBe("OverQuota");
    sim.admin.setQuota("network", "demo", { network: 10 });
    const a = (await demo.call("GET", `/network/v2.0/auto-allocated-topology/${demo.projectId}`)).body as J;
    const b = (await demo.call("GET", `/network/v2.0/auto-allocated-topology/${demo.projectId}`)).body as J;
    expect(a.auto_allocated_topology.id).toBe(b.auto_allocated_topology.id);
    const kilo = await start({ profile: "kilo" });
    const kdemo = await login(kilo);
    expect((await kdemo.call("GET", `/network/v2.0/auto-allocated-topology/${kdemo.projectId}`)).status).toBe(
      404,
    );
  });

  it("gives rackspace servers public IPv4 and IPv6 directly", async () => {
    const sim = await start({ profile: "rackspace" });
    const demo = await login(sim);
    const image = sim.admin.state.world.images.all()[0]!.id;
    const r = await demo.call("POST", "/compute/v2.1/servers", {
      server: { name: "rs", imageRef: image, flavorRef: "1" },
    });
    const s = ((await demo.call("GET", `/compute/v2.1/servers/${(r.body as J).server.id}`)).body as J).server;
    expect(s.addresses.public.map((a: J) => a.version).sort()).toEqual([4, 6]);
    expect(s.addresses.private[0].version).toBe(4);
    expect((await demo.call("GET", "/network/v2.0/floatingips")).status).toBe(404);
  });
});

describe("faults", () => {
  it("answers a fixed sequence of statuses, then passes requests through", async () => {
    const sim = await start();
    const demo = await login(sim);
    sim.admin.addFault({
      service: "compute",
      route: "GET /flavors",
      statuses: [503, 429],
      retryAfterSeconds: 2,
    });
    const a = await demo.call("GET", "/compute/v2.1/flavors");
    const b = await demo.call("GET", "/compute/v2.1/flavors");
    const c = await demo.call("GET", "/compute/v2.1/flavors");
    expect([a.status, b.status, c.status]).toEqual([503, 429, 200]);
    expect(b.headers.get("retry-after")).toBe("2");
    expect((b.body as J).overLimit.code).toBe(429);
  });

  it("resets connections", async () => {
    const sim = await start();
    const demo = await login(sim);
    sim.admin.addFault({ route: "GET /flavors", resetConnection: true, times: 1 });
    await expect(demo.call("GET", "/compute/v2.1/flavors")).rejects.toThrow();
    expect((await demo.call("GET", "/compute/v2.1/flavors")).status).toBe(200);
  });
});
