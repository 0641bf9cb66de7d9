import { afterEach, describe, expect, it } from "vitest";
import { imageBootDeps } from "../testing/create-server-deps.js";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import { createServer } from "./create-server.js";
import { natDestinationPort } from "./nat-destination.js";
import { createNetwork, createSubnet } from "./networks.js";
import { addRouterInterface, createRouter } from "./routers.js";

const deps = imageBootDeps({ kind: "nova-auto" });

let cloud: SimCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

describe("natDestinationPort", () => {
  it("picks the port on the routed network, and sees routing oaktree changes at once even when cached", async () => {
    // Caching on for every kind: the routed-subnet list is cached, and must be invalidated.
    cloud = await startSimCloud("modern", {
      simulator: { buildDelayMs: 0 },
      overrides: { cache: { expiration_time: 3600 } },
    });
    const ctx = cloud.ctx;
    for (const [name, cidr] of [
      ["side", "192.168.77.0/24"],
      ["other", "192.168.78.0/24"],
    ] as const) {
      await createNetwork(ctx, { name });
      await createSubnet(ctx, { network: name, cidr });
    }
    const { server } = await createServer(ctx, deps, {
      name: "two-legs",
      image: "cirros-0.6.2-x86_64-disk",
      flavor: "m1.tiny",
      network: ["side", "other"],
      autoIp: false,
    });
    // Two ports, neither on a routed network: no NAT destination (asked twice: one router list).
    for (let i = 0; i < 2; i++) {
      expect((await natDestinationPort(ctx, server)).kind).toBe("none");
    }
    expect(cloud.sim.admin.count("network", "GET /routers")).toBe(1);

    // Route "side" through oaktree: the cached list must not hide the new router.
    const router = await createRouter(ctx, { name: "side-router", externalNetwork: "public" });
    await addRouterInterface(ctx, router.id, { subnet: (await subnetOf(ctx, "side"))! });
    const listsBefore = cloud.sim.admin.count("network", "GET /routers");
    const after = await natDestinationPort(ctx, server);
    expect(after.kind === "port" && after.fixedIp.startsWith("192.168.77.")).toBe(true);
    expect(cloud.sim.admin.count("network", "GET /routers")).toBe(listsBefore + 1);
  });
});

async function subnetOf(ctx: SimCloud["ctx"], network: string): Promise<string | undefined> {
  const { listSubnets } = await import("./networks.js");
  const { getNetwork } = await import("./networks.js");
  const net = await getNetwork(ctx, network);
  return (await listSubnets(ctx)).find((subnet) => subnet.networkId === net.id)?.id;
}
