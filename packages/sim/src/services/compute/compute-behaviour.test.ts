import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registeredRoutes } from "../../core/service.js";
import { type Simulator, startSimulator } from "../../simulator.js";
import { login, type TestClient } from "../../testing/client.js";

// biome-ignore lint/suspicious/noExplicitAny: loosely typed access to response JSON in assertions
type J = Record<string, any>;

let sim: Simulator;
let demo: TestClient;
let admin: TestClient;
let image: string;

beforeAll(async () => {
  sim = await startSimulator({ buildDelayMs: 60_000, deleteDelayMs: 0 });
  demo = await login(sim);
  admin = await login(sim, "admin");
  image = sim.admin.state.world.images.all()[0]!.id;
});
afterAll(() => sim.stop());

async function server(extra: J = {}): Promise<string> {
  const res = await demo.call("POST", "/compute/v2.1/servers", {
    server: { name: "b", imageRef: image, flavorRef: "1", ...extra },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  sim.admin.finishBuilds();
  return (res.body as J).server.id;
}
const get = async (id: string) => ((await demo.call("GET", `/compute/v2.1/servers/${id}`)).body as J).server;
const act = (id: string, body: unknown) => demo.call("POST", `/compute/v2.1/servers/${id}/action`, body);

describe("nova server actions", () => {
  it("resizes to VERIFY_RESIZE, then confirms (204) or reverts (202) to the old flavor", async () => {
    const a = await server();
    expect((await act(a, { resize: { flavorRef: "2" } })).status).toBe(202);
    expect((await get(a)).status).toBe("RESIZE");
    sim.admin.finishBuilds();
    expect((await get(a)).status).toBe("VERIFY_RESIZE");
    expect((await act(a, { confirmResize: null })).status).toBe(204);
    expect(await get(a)).toMatchObject({ status: "ACTIVE", flavor: { id: "2" } });
    expect((await act(a, { confirmResize: null })).status).toBe(409);
    const b = await server();
    await act(b, { resize: { flavorRef: "3" } });
    sim.admin.finishBuilds();
    expect((await act(b, { revertResize: null })).status).toBe(202);
    sim.admin.finishBuilds();
    expect(await get(b)).toMatchObject({ status: "ACTIVE", flavor: { id: "1" } });
  });

  it("rebuilds with a new name and answers the server with an adminPass", async () => {
    const a = await server();
    const res = await act(a, { rebuild: { imageRef: image, name: "rebuilt" } });
    expect(res.status).toBe(202);
    expect((res.body as J).server).toMatchObject({ id: a, name: "rebuilt", status: "REBUILD" });
    expect(typeof (res.body as J).server.adminPass).toBe("string");
    sim.admin.finishBuilds();
    expect((await get(a)).status).toBe("ACTIVE");
    expect((await act(a, { rebuild: { imageRef: "nope" } })).status).toBe(400);
  });

  it("creates min_count..max_count servers sharing a reservation id, as many as the quota allows", async () => {
    const before = sim.admin.state.world.servers
      .ofProject(demo.projectId)
      .filter((s) => s.deleted_at === null).length;
    sim.admin.setQuota("compute", demo.projectId, { instances: before + 2 });
    const res = await demo.call("POST", "/compute/v2.1/servers", {
      server: {
        name: "multi",
        imageRef: image,
        flavorRef: "1",
        min_count: 1,
        max_count: 3,
        return_reservation_id: true,
      },
    });
    expect(res.status).toBe(202);
    const rid = (res.body as J).reservation_id;
    expect(rid).toMatch(/^r-/);
    const made = sim.admin.state.world.servers
      .ofProject(demo.projectId)
      .filter((s) => s.name.startsWith("multi-"));
    expect(made.map((s) => s.name).sort()).toEqual(["multi-1", "multi-2"]);
    const shown = (
      await admin.call("GET", `/compute/v2.1/servers/${made[0]!.id}`, undefined, {
        "OpenStack-API-Version": "compute 2.3",
      })
    ).body as J;
    expect(shown.server["OS-EXT-SRV-ATTR:reservation_id"]).toBe(rid);
    const over = await demo.call("POST", "/compute/v2.1/servers", {
      server: { name: "over", imageRef: image, flavorRef: "1", min_count: 2, max_count: 2 },
    });
    expect(over.status).toBe(403);
    sim.admin.setQuota("compute", demo.projectId, { instances: 1000 });
  });

  it("answers a metadata quota overrun with nova's 403 MetadataLimitExceeded", async () => {
    sim.admin.setQuota("compute", demo.projectId, { metadata_items: 1 });
    const a = await server();
    const res = await demo.call("PUT", `/compute/v2.1/servers/${a}/metadata`, {
      metadata: { a: "1", b: "2" },
    });
    expect(res.status).toBe(403);
    expect((res.body as J).forbidden.message).toBe("Maximum number of metadata items exceeds 1");
    sim.admin.setQuota("compute", demo.projectId, { metadata_items: 128 });
  });
});

describe("os-interface and flavor access", () => {
  it("attaches a port on a network, lists it, shows it in addresses, and detaches (deleting nova's port)", async () => {
    const a = await server();
    const net = sim.admin.state.world.networks.find((n) => n.name === "private")!.id;
    const att = await demo.call("POST", `/compute/v2.1/servers/${a}/os-interface`, {
      interfaceAttachment: { net_id: net },
    });
    expect(att.status).toBe(200);
    const portId = (att.body as J).interfaceAttachment.port_id;
    const list = (await demo.call("GET", `/compute/v2.1/servers/${a}/os-interface`)).body as J;
    expect(list.interfaceAttachments.map((i: J) => i.port_id)).toContain(portId);
    expect((await get(a)).addresses.private).toHaveLength(2);
    expect((await demo.call("DELETE", `/compute/v2.1/servers/${a}/os-interface/${portId}`)).status).toBe(202);
    expect(sim.admin.state.world.ports.has(portId)).toBe(false);
    expect((await demo.call("GET", `/compute/v2.1/servers/${a}/os-interface/${portId}`)).status).toBe(404);
  });

  it("hides a private flavor until the project is on its access list", async () => {
    const f = await admin.call("POST", "/compute/v2.1/flavors", {
      flavor: { name: "private-f", ram: 64, vcpus: 1, disk: 1, "os-flavor-access:is_public": false },
    });
    const id = (f.body as J).flavor.id;
    const names = async () =>
      ((await demo.call("GET", "/compute/v2.1/flavors")).body as J).flavors.map((x: J) => x.id);
    expect(await names()).not.toContain(id);
    const denied = await demo.call("POST", "/compute/v2.1/servers", {
      server: { name: "p", imageRef: image, flavorRef: id },
    });
    expect(denied.status).toBe(400);
    const added = await admin.call("POST", `/compute/v2.1/flavors/${id}/action`, {
      addTenantAccess: { tenant: demo.projectId },
    });
    expect((added.body as J).flavor_access).toEqual([{ flavor_id: id, tenant_id: demo.projectId }]);
    expect(await names()).toContain(id);
    expect(
      (
        await admin.call("POST", `/compute/v2.1/flavors/${id}/action`, {
          addTenantAccess: { tenant: demo.projectId },
        })
      ).status,
    ).toBe(409);
    await admin.call("POST", `/compute/v2.1/flavors/${id}/action`, {
      removeTenantAccess: { tenant: demo.projectId },
    });
    expect(await names()).not.toContain(id);
  });
});

describe("every route's body parsing", () => {
  it("answers malformed JSON and wrongly typed bodies with a 4xx, never a 500, on every keystone/nova/neutron route", async () => {
    const world = sim.admin.state.world;
    const a = await server();
    const ids: Record<string, string> = {
      server_id: a,
      project_id: demo.projectId,
      flavor_id: "1",
      user_id: world.users.find((u) => u.name === "demo")!.id,
      role_id: world.roles.all()[0]!.id,
      id: world.networks.find((n) => n.name === "private")!.id,
      resource: "networks",
      key: "k",
      tag: "t",
    };
    const failures: string[] = [];
    for (const r of registeredRoutes(sim.admin.state)) {
      const method = r.route.split(" ")[0]!;
      if (
        !["identity", "compute", "network"].includes(r.service) ||
        !["POST", "PUT", "PATCH"].includes(method)
      )
        continue;
      const prefix = { identity: "/identity", compute: "/compute", network: "/network" }[r.service];
      const path = r.path.replace(
        /\{([^}]+)\}/g,
        (_m, p: string) => ids[p] ?? "00000000-0000-0000-0000-000000000000",
      );
      for (const body of [
        "{not json",
        "[1,2]",
        '{"server": null, "network": 5, "auth": "x", "floatingip": []}',
      ]) {
        const res = await fetch(`${sim.url}${prefix}${path}`, {
          method,
          headers: { "x-auth-token": admin.token, "content-type": "application/json" },
          body,
        });
        if (res.status >= 500)
          failures.push(`${r.service} ${method} ${r.path} <- ${body}: ${res.status} ${await res.text()}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("answers every service root with and without a trailing slash", async () => {
    for (const p of ["/identity", "/compute", "/network"]) {
      const bare = await fetch(`${sim.url}${p}`);
      const slash = await fetch(`${sim.url}${p}/`);
      expect(slash.status, p).toBe(bare.status);
      expect(bare.status, p).toBeLessThan(400);
    }
  });
});
