import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../simulator.js";
import { login, type TestClient } from "../../testing/client.js";

// biome-ignore lint/suspicious/noExplicitAny: loosely typed access to response JSON in assertions
type J = Record<string, any>;

let sim: Simulator;
let demo: TestClient;
let publicNet: string;
let privateNet: string;

beforeAll(async () => {
  sim = await startSimulator({ buildDelayMs: 0, deleteDelayMs: 0 });
  demo = await login(sim);
  const world = sim.admin.state.world;
  publicNet = world.networks.find((n) => n.name === "public")!.id;
  privateNet = world.networks.find((n) => n.name === "private")!.id;
});
afterAll(() => sim.stop());

async function create(kind: string, body: J): Promise<J> {
  const collection = kind === "security_group" ? "security-groups" : `${kind}s`;
  const res = await demo.call("POST", `/network/v2.0/${collection}`, { [kind]: body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body as J)[kind];
}
const port = () => create("port", { network_id: privateNet });
const fip = (body: J = {}) => create("floatingip", { floating_network_id: publicNet, ...body });
const put = (path: string, body: unknown, headers?: Record<string, string>) =>
  demo.call("PUT", `/network/v2.0${path}`, body, headers);

describe("floating IP association (neutron's _update_fip_assoc)", () => {
  it("moves a floating IP bound to port A straight to port B, keeps it on updates without port_id", async () => {
    const a = await port();
    const b = await port();
    const f = await fip({ port_id: a.id });
    expect(f.port_id).toBe(a.id);
    const moved = await put(`/floatingips/${f.id}`, { floatingip: { port_id: b.id } });
    expect(moved.status).toBe(200);
    expect((moved.body as J).floatingip).toMatchObject({
      port_id: b.id,
      fixed_ip_address: b.fixed_ips[0].ip_address,
    });
    expect((moved.body as J).floatingip.revision_number).toBeGreaterThan(f.revision_number);
    const described = await put(`/floatingips/${f.id}`, { floatingip: { description: "kept" } });
    expect((described.body as J).floatingip).toMatchObject({ port_id: b.id, description: "kept" });
    const cleared = await put(`/floatingips/${f.id}`, { floatingip: { port_id: null } });
    expect((cleared.body as J).floatingip).toMatchObject({
      port_id: null,
      fixed_ip_address: null,
      status: "DOWN",
    });
  });

  it("refuses a second floating IP on the same port and fixed IP with 409 FloatingIPPortAlreadyAssociated", async () => {
    const a = await port();
    await fip({ port_id: a.id });
    const other = await fip();
    const res = await put(`/floatingips/${other.id}`, { floatingip: { port_id: a.id } });
    expect(res.status).toBe(409);
    expect((res.body as J).NeutronError.type).toBe("FloatingIPPortAlreadyAssociated");
    const created = await demo.call("POST", "/network/v2.0/floatingips", {
      floatingip: { floating_network_id: publicNet, port_id: a.id },
    });
    expect(created.status).toBe(409);
    // the failed create left no floating IP behind
    const list = await demo.call("GET", `/network/v2.0/floatingips?port_id=${a.id}`);
    expect((list.body as J).floatingips).toHaveLength(1);
  });

  it("answers 400 for fixed_ip_address without port_id and for a fixed IP the port does not have", async () => {
    const f = await fip();
    const a = await port();
    const noPort = await put(`/floatingips/${f.id}`, { floatingip: { fixed_ip_address: "10.0.0.99" } });
    expect(noPort.status).toBe(400);
    expect((noPort.body as J).NeutronError.message).toContain(
      "fixed_ip_address cannot be specified without a port_id",
    );
    const wrongIp = await put(`/floatingips/${f.id}`, {
      floatingip: { port_id: a.id, fixed_ip_address: "10.0.3.250" },
    });
    expect(wrongIp.status).toBe(400);
    expect((wrongIp.body as J).NeutronError.message).toContain(
      `Port ${a.id} does not have fixed ip 10.0.3.250`,
    );
  });
});

describe("revision_number and If-Match (revision-if-match)", () => {
  it("bumps revision_number on every update of every resource", async () => {
    const net = await create("network", { name: "rev" });
    const subnet = await create("subnet", { network_id: net.id, cidr: "192.168.77.0/24", ip_version: 4 });
    const cases: [string, string, J][] = [
      ["networks", "network", { name: "x" }],
      ["subnets", "subnet", { name: "x" }],
      ["ports", "port", { name: "x" }],
      ["routers", "router", { name: "x" }],
      ["security-groups", "security_group", { name: "x" }],
      ["floatingips", "floatingip", { description: "x" }],
      ["subnetpools", "subnetpool", { name: "x" }],
    ];
    const ids: Record<string, string> = {
      networks: net.id,
      subnets: subnet.id,
      ports: (await port()).id,
      routers: (await create("router", { name: "r" })).id,
      "security-groups": (await create("security_group", { name: "g" })).id,
      floatingips: (await fip()).id,
      subnetpools: (await create("subnetpool", { name: "p", prefixes: ["192.168.0.0/16"] })).id,
    };
    for (const [collection, key, body] of cases) {
      const before = (await demo.call("GET", `/network/v2.0/${collection}/${ids[collection]}`)).body as J;
      const first = await put(`/${collection}/${ids[collection]}`, { [key]: body });
      const second = await put(`/${collection}/${ids[collection]}`, {
        [key]: { ...body, description: "again" },
      });
      const r0 = before[key].revision_number;
      expect((first.body as J)[key].revision_number, collection).toBe(r0 + 1);
      expect((second.body as J)[key].revision_number, collection).toBe(r0 + 2);
    }
  });

  it("answers 412 with neutron's body when If-Match names another revision, on PUT and DELETE", async () => {
    const f = await fip();
    const rev = f.revision_number as number;
    const stale = await put(
      `/floatingips/${f.id}`,
      { floatingip: { description: "a" } },
      { "If-Match": `revision_number=${rev + 5}` },
    );
    expect(stale.status).toBe(412);
    expect((stale.body as J).NeutronError).toEqual({
      type: "RevisionNumberConstraintFailed",
      message: `Constrained to ${rev + 5}, but current revision is ${rev}`,
      detail: "",
    });
    const ok = await put(
      `/floatingips/${f.id}`,
      { floatingip: { description: "a" } },
      { "If-Match": `revision_number=${rev}` },
    );
    expect(ok.status).toBe(200);
    const del = await demo.call("DELETE", `/network/v2.0/floatingips/${f.id}`, undefined, {
      "If-Match": `revision_number=${rev}`,
    });
    expect(del.status).toBe(412);
    const bad = await demo.call("DELETE", `/network/v2.0/floatingips/${f.id}`, undefined, {
      "If-Match": "revision_number=x",
    });
    expect(bad.status).toBe(400);
    const del2 = await demo.call("DELETE", `/network/v2.0/floatingips/${f.id}`, undefined, {
      "If-Match": `revision_number=${rev + 1}`,
    });
    expect(del2.status).toBe(204);
  });
});

describe("subnet pools and sorting", () => {
  it("allocates subnets from the default pool by prefixlen, and get-me-a-network uses it", async () => {
    const pools = (await demo.call("GET", "/network/v2.0/subnetpools?is_default=true")).body as J;
    expect(pools.subnetpools).toHaveLength(1);
    const pool = pools.subnetpools[0];
    const net = await create("network", { name: "pooled" });
    const a = await create("subnet", {
      network_id: net.id,
      use_default_subnetpool: true,
      ip_version: 4,
      prefixlen: 28,
    });
    const b = await create("subnet", { network_id: net.id, subnetpool_id: pool.id, ip_version: 4 });
    expect(a.subnetpool_id).toBe(pool.id);
    expect(a.cidr).toMatch(/^10\.0\.\d+\.\d+\/28$/);
    expect(b.cidr).toMatch(/\/26$/);
    expect(b.cidr).not.toBe(a.cidr);
    const tooBig = await demo.call("POST", "/network/v2.0/subnets", {
      subnet: { network_id: net.id, subnetpool_id: pool.id, ip_version: 4, prefixlen: 4 },
    });
    expect(tooBig.status).toBe(400);
    const topo = await demo.call("GET", `/network/v2.0/auto-allocated-topology/${demo.projectId}`);
    const netId = (topo.body as J).auto_allocated_topology.id;
    const subnets = (await demo.call("GET", `/network/v2.0/subnets?network_id=${netId}`)).body as J;
    expect(subnets.subnets[0].subnetpool_id).toBe(pool.id);
  });

  it("sorts lists by sort_key/sort_dir with marker pagination, and refuses unknown keys", async () => {
    for (const name of ["s-b", "s-c", "s-a"]) await create("network", { name, tags: [] });
    const q = "/network/v2.0/networks?sort_key=name&sort_dir=desc&name=s-a&name=s-b&name=s-c";
    const all = (await demo.call("GET", q)).body as J;
    expect(all.networks.map((n: J) => n.name)).toEqual(["s-c", "s-b", "s-a"]);
    const page1 = (await demo.call("GET", `${q}&limit=2`)).body as J;
    expect(page1.networks.map((n: J) => n.name)).toEqual(["s-c", "s-b"]);
    const page2 = (await demo.call("GET", `${q}&limit=2&marker=${page1.networks[1].id}`)).body as J;
    expect(page2.networks.map((n: J) => n.name)).toEqual(["s-a"]);
    expect((await demo.call("GET", "/network/v2.0/networks?sort_key=nope")).status).toBe(400);
    expect((await demo.call("GET", "/network/v2.0/networks?sort_key=name&sort_dir=up")).status).toBe(400);
  });
});
