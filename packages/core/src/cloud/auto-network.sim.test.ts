import type { ProfileName } from "@oaktree/sim";
import { afterEach, describe, expect, it } from "vitest";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import { addedSince, simInventory } from "../testing/sim-inventory.js";
import { Cloud } from "./cloud.js";

// `network: "auto"` through the facade, in a project that has no network of its own (a new
// project seeded in the simulator, with its own member user), on every profile.

let cloud: SimCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

const expected: Record<
  ProfileName,
  {
    /** Network names the server ends on. */
    readonly networks: readonly string[];
    /** How it is reachable. */
    readonly address: "floating" | "public";
    /** What "auto" made in the project (by kind). */
    readonly made: Readonly<Record<string, number>>;
    /** Networks oaktree itself created (POST /networks). */
    readonly built: number;
  }
> = {
  // nova's "auto" (2.37+): neutron's auto-allocated topology, oaktree builds nothing.
  modern: {
    networks: ["auto_allocated_network"],
    address: "floating",
    made: { networks: 1, subnets: 1, routers: 1 },
    built: 0,
  },
  // No auto-allocated topology: oaktree builds network, subnet and router.
  kilo: {
    networks: ["oaktree-auto-network"],
    address: "floating",
    made: { networks: 1, subnets: 1, routers: 1 },
    built: 1,
  },
  // nova-network: no network is passed, nova-network attaches the shared one.
  "nova-network": {
    networks: ["private"],
    address: "floating",
    made: {},
    built: 0,
  },
  // No routers, no floating IPs: the cloud's default networks, public IPv4 on the server.
  rackspace: {
    networks: ["private", "public"],
    address: "public",
    made: {},
    built: 0,
  },
};

describe('Cloud.createServer({ network: "auto" }) in a project with no network', () => {
  it.each(Object.keys(expected) as ProfileName[])("%s", async (profile) => {
    cloud = await startSimCloud(profile, { simulator: { buildDelayMs: 20, deleteDelayMs: 20 } });
    const [project] = cloud.sim.admin.seed({ projects: 1 }).projects;
    const ctx = await cloud.context({
      overrides: { auth: { username: project!.user, password: "secret", project_name: project!.name } },
    });
    const facade = new Cloud(ctx);
    await ctx.normalizeContext();
    const world = cloud.sim.admin.state.world;
    expect(world.networks.ofProject(project!.id)).toEqual([]);
    const before = simInventory(cloud.sim);
    cloud.sim.admin.reset();

    const want = expected[profile];
    const { server, floatingIp, reachability } = await facade.createServer({
      name: `auto-${profile}`,
      image: "cirros-0.6.2-x86_64-disk",
      flavor: "m1.tiny",
      network: "auto",
      timeoutMs: 20_000,
    });

    expect(server.status).toBe("ACTIVE");
    expect(server.location.project.id).toBe(project!.id);
    expect([...new Set(server.addresses.map((address) => address.network))].sort()).toEqual(want.networks);
    expect(cloud.sim.admin.count("network", "POST /networks")).toBe(want.built);
    expect(cloud.sim.admin.count("compute", "POST /servers")).toBe(1);
    if (want.address === "floating") {
      const fixed = server.addresses.find((address) => address.type === "fixed" && address.version === 4);
      expect(floatingIp).toMatchObject({ attached: true, fixedIpAddress: fixed?.address });
      expect(server.publicV4).toBe(floatingIp?.floatingIpAddress);
    } else {
      expect(floatingIp).toBeUndefined();
      expect(server.publicV4).toBeDefined();
      expect(reachability.reason).toMatch(/already has a public address/);
    }
    const added = addedSince(before, simInventory(cloud.sim));
    for (const kind of ["networks", "subnets", "routers"]) {
      expect({ kind, count: added[kind]?.length ?? 0 }).toEqual({ kind, count: want.made[kind] ?? 0 });
    }
    // Whatever "auto" made belongs to the new project, never to demo or admin.
    for (const net of world.networks.filter((candidate) =>
      (added.networks ?? []).some((item) => item.includes(candidate.id)),
    ))
      expect(net.project_id).toBe(project!.id);

    // Deleting the server with its IPs leaves only what "auto" made (it is kept for the next boot).
    await facade.deleteServer(server.id, { deleteIps: true, timeoutMs: 10_000 });
    const left = addedSince(before, simInventory(cloud.sim));
    expect(Object.keys(left).sort()).toEqual(
      Object.keys(want.made).length > 0 ? ["networks", "ports", "routers", "subnets"] : [],
    );
    // The ports left are the router's (gateway and interface), not the server's.
    for (const port of world.ports.filter((candidate) =>
      (left.ports ?? []).some((item) => item.includes(candidate.id)),
    ))
      expect(port.device_owner).toMatch(/^network:router_/);
  });
});
