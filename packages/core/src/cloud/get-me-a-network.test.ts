import { describe, expect, it } from "vitest";
import { OverLimitError } from "../http/errors.js";
import type { Network } from "../models/network.js";
import { FAKE_PROJECT, fakeCapabilities, fakeContext } from "../testing/fake-context.js";
import { type ScriptedCall, scriptedClient } from "../testing/scripted-client.js";
import {
  AmbiguousNetworkError,
  ensureNetwork,
  GetMeANetworkError,
  pickFreeCidr,
  usableNetworks,
} from "./get-me-a-network.js";

const EXT = {
  id: "ext-net",
  name: "public",
  "router:external": true,
  is_default: true,
  subnets: [],
  tags: [],
};
const own = (id: string, name: string, tags: string[] = []) => ({
  id,
  name,
  project_id: FAKE_PROJECT.id,
  "router:external": false,
  shared: false,
  subnets: [],
  tags,
});
const neutron = (script: ScriptedCall[]) =>
  scriptedClient(script, { serviceType: "network", endpoint: "https://net.example/v2.0", version: "2.0" });
const TAGS = ["oaktree", "oaktree:managed", "oaktree:auto-network"];

describe("ensureNetwork", () => {
  it('branch 1: nova 2.37+ takes networks "auto" itself: no call at all', async () => {
    const network = neutron([]);
    const ctx = fakeContext({ clients: { network } });
    fakeCapabilities(ctx, { getMeANetwork: { method: "nova-auto" } });
    expect(await ensureNetwork(ctx)).toMatchObject({ kind: "nova-auto" });
    network.assertDone();
  });

  it("the project's one usable network is used, as nova's auto would", async () => {
    const network = neutron([
      { method: "GET", path: "/networks", response: { networks: [EXT, own("n-1", "mine")] } },
    ]);
    const ctx = fakeContext({ clients: { network } });
    fakeCapabilities(ctx, { getMeANetwork: { method: "auto-allocated-topology" } });
    expect(await ensureNetwork(ctx)).toMatchObject({ kind: "network", networkId: "n-1", source: "existing" });
    network.assertDone();
  });

  it("several usable networks are ambiguous, like nova's NetworkAmbiguous", async () => {
    const network = neutron([
      { method: "GET", path: "/networks", response: { networks: [own("n-1", "a"), own("n-2", "b")] } },
    ]);
    const ctx = fakeContext({ clients: { network } });
    fakeCapabilities(ctx);
    await expect(ensureNetwork(ctx)).rejects.toBeInstanceOf(AmbiguousNetworkError);
  });

  it("branch 2: neutron's auto-allocated topology after a dry run", async () => {
    const network = neutron([
      { method: "GET", path: "/networks", response: { networks: [EXT] } },
      {
        method: "GET",
        path: `/auto-allocated-topology/${FAKE_PROJECT.id}`,
        query: { fields: "dry-run" },
        response: { auto_allocated_topology: { "dry-run": "pass" } },
      },
      {
        method: "GET",
        path: `/auto-allocated-topology/${FAKE_PROJECT.id}`,
        response: { auto_allocated_topology: { id: "auto-net", project_id: FAKE_PROJECT.id } },
      },
    ]);
    const ctx = fakeContext({ clients: { network } });
    fakeCapabilities(ctx, {
      getMeANetwork: { method: "auto-allocated-topology" },
      networkExtensions: ["router", "auto-allocated-topology"],
    });
    expect(await ensureNetwork(ctx)).toMatchObject({
      networkId: "auto-net",
      source: "auto-allocated-topology",
    });
    network.assertDone();
  });

  const buildScript = (routerStatus = 201): ScriptedCall[] => [
    { method: "GET", path: "/networks", response: { networks: [EXT] } },
    { method: "GET", path: "/networks", response: { networks: [EXT] } },
    {
      method: "POST",
      path: "/networks",
      json: { network: { name: "oaktree-auto-network", description: 'oaktree-managed: network for "auto"' } },
      status: 201,
      response: { network: own("n-new", "oaktree-auto-network") },
    },
    { method: "PUT", path: "/networks/n-new/tags", json: { tags: TAGS }, response: { tags: TAGS } },
    {
      method: "GET",
      path: "/subnets",
      response: { subnets: [{ id: "s-x", network_id: "other", ip_version: 4, cidr: "10.0.0.0/23" }] },
    },
    {
      method: "POST",
      path: "/subnets",
      json: {
        subnet: {
          network_id: "n-new",
          ip_version: 4,
          cidr: "10.0.2.0/24",
          name: "oaktree-auto-subnet",
          description: 'oaktree-managed: subnet for "auto"',
          enable_dhcp: true,
        },
      },
      status: 201,
      response: { subnet: { id: "s-new", network_id: "n-new", ip_version: 4, cidr: "10.0.2.0/24" } },
    },
    { method: "PUT", path: "/subnets/s-new/tags", json: { tags: TAGS }, response: { tags: TAGS } },
    { method: "GET", path: "/routers", query: { tags: "oaktree:auto-network" }, response: { routers: [] } },
    {
      method: "POST",
      path: "/routers",
      json: {
        router: {
          name: "oaktree-auto-router",
          description: 'oaktree-managed: router for "auto"',
          external_gateway_info: { network_id: "ext-net" },
        },
      },
      status: routerStatus,
      response:
        routerStatus === 201
          ? { router: { id: "r-new", name: "oaktree-auto-router" } }
          : { NeutronError: { message: "router quota exceeded" } },
    },
  ];

  it("branch 3: builds network, subnet (a free /24), router and interface, marked", async () => {
    const network = neutron([
      ...buildScript(),
      { method: "PUT", path: "/routers/r-new/tags", json: { tags: TAGS }, response: { tags: TAGS } },
      {
        method: "GET",
        path: "/ports",
        query: { device_id: "r-new", network_id: "n-new" },
        response: { ports: [] },
      },
      {
        method: "PUT",
        path: "/routers/r-new/add_router_interface",
        json: { subnet_id: "s-new" },
        response: {
          id: "r-new",
          subnet_id: "s-new",
          port_id: "p-1",
          network_id: "n-new",
          subnet_ids: ["s-new"],
        },
      },
    ]);
    const ctx = fakeContext({ clients: { network } });
    fakeCapabilities(ctx, { getMeANetwork: { method: "build" } });
    const verdict = await ensureNetwork(ctx);
    expect(verdict).toMatchObject({ kind: "network", networkId: "n-new", source: "built" });
    expect(verdict.kind === "network" && verdict.created).toHaveLength(4);
    network.assertDone();
  });

  it("a failed build deletes what it created, in reverse order", async () => {
    const network = neutron([
      ...buildScript(409),
      { method: "DELETE", path: "/subnets/s-new", status: 204 },
      { method: "DELETE", path: "/networks/n-new", status: 204 },
    ]);
    const ctx = fakeContext({ clients: { network } });
    fakeCapabilities(ctx, { getMeANetwork: { method: "build" } });
    const error = await ensureNetwork(ctx).catch((e: unknown) => e);
    // Everything was cleaned up: the cloud's own typed error reaches the caller.
    expect(error).toBeInstanceOf(OverLimitError);
    expect(error).not.toBeInstanceOf(GetMeANetworkError);
    expect((error as Error).message).toContain("router quota exceeded");
    network.assertDone();
  });

  it("an auto-allocation the cloud is not set up for falls back to building", async () => {
    const network = neutron([
      { method: "GET", path: "/networks", response: { networks: [EXT] } },
      {
        method: "GET",
        path: `/auto-allocated-topology/${FAKE_PROJECT.id}`,
        query: { fields: "dry-run" },
        status: 409,
        response: { NeutronError: { message: "Deployment error: No default router:external network." } },
      },
      ...buildScript().slice(1),
    ]);
    const ctx = fakeContext({ clients: { network } });
    fakeCapabilities(ctx, {
      getMeANetwork: { method: "auto-allocated-topology" },
      networkExtensions: ["router", "auto-allocated-topology", "standard-attr-tag"],
    });
    await expect(ensureNetwork(ctx)).rejects.toThrow(); // the script ends at the router POST
    expect(network.calls.map((c) => `${c.method} ${c.path}`)).toContain("POST /routers");
  });

  it("concurrent calls in one process share one network listing and one build", async () => {
    const network = neutron([
      ...buildScript(),
      { method: "PUT", path: "/routers/r-new/tags", json: { tags: TAGS }, response: { tags: TAGS } },
      { method: "GET", path: "/ports", response: { ports: [] } },
      {
        method: "PUT",
        path: "/routers/r-new/add_router_interface",
        response: {
          id: "r-new",
          subnet_id: "s-new",
          port_id: "p-1",
          network_id: "n-new",
          subnet_ids: ["s-new"],
        },
      },
    ]);
    // The second caller shares the first one's network listing (the context's cache) and build:
    // it sends nothing.
    const second = neutron([]);
    const ctx = fakeContext({ clients: { network } });
    fakeCapabilities(ctx, { getMeANetwork: { method: "build" } });
    const ctx2 = { ...ctx, client: async () => second };
    const [a, b] = await Promise.all([ensureNetwork(ctx), ensureNetwork(ctx2)]);
    expect(a).toBe(b);
    network.assertDone();
    second.assertDone();
  });
});

describe("pure parts", () => {
  it("pickFreeCidr skips overlapping ranges", () => {
    expect(pickFreeCidr([])).toBe("10.0.0.0/24");
    expect(pickFreeCidr(["10.0.0.0/16"])).toBe("10.1.0.0/24");
    expect(pickFreeCidr(["10.0.0.0/8", "fd00::/64", "junk"])).toBe("172.16.0.0/24");
    expect(pickFreeCidr(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"])).toBeUndefined();
  });

  it("usableNetworks: own and shared, never external", () => {
    const net = (id: string, project: string, shared: boolean, external: boolean) =>
      ({
        id,
        isShared: shared,
        isRouterExternal: external,
        location: { project: { id: project } },
      }) as unknown as Network;
    const nets = [
      net("a", FAKE_PROJECT.id, false, false),
      net("b", "other", true, false),
      net("c", "other", false, false),
      net("d", "other", true, true),
    ];
    expect(usableNetworks(nets, FAKE_PROJECT.id).map((n) => n.id)).toEqual(["a", "b"]);
  });
});
