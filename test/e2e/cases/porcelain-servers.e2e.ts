import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CloudContext } from "../../../packages/core/src/cloud/context.js";
import { addFloatingIpToServer, deleteFloatingIp } from "../../../packages/core/src/cloud/floating-ips.js";
import { deleteServerById, serverWatch, waitForServer } from "../../../packages/core/src/cloud/servers.js";
import type { Server } from "../../../packages/core/src/models/server.js";
import {
  createServer,
  updateServer,
} from "../../../packages/core/src/services/compute/v2/servers/requests.js";
import type { WatchEvent } from "../../../packages/core/src/state/watch.js";
import { Cleanup, runPrefix } from "../harness.js";
import { openPorcelain, type Porcelain } from "../porcelain.js";
import { pollUntil, type RawSession } from "../raw-client.js";
import { deleteServerRaw, flavorId, imageId, rawDelete } from "../raw-resources.js";
import type { SuiteContext } from "../suite.js";

/** How many servers boot at once (the scenario; the demo project's instance quota is 10). */
const PARALLEL = 10;

/** A network routed to the external network, made with the raw client; returns its id. */
async function routedNetwork(s: RawSession, cleanup: Cleanup, externalId: string): Promise<string> {
  const { network } = await s.request<{ network: { id: string } }>("network", "POST", "/v2.0/networks", {
    body: { network: { name: `${runPrefix}porcelain-net` } },
  });
  cleanup.push(`network ${network.id}`, () => rawDelete(s, "network", `/v2.0/networks/${network.id}`));
  const { subnet } = await s.request<{ subnet: { id: string } }>("network", "POST", "/v2.0/subnets", {
    body: {
      subnet: {
        network_id: network.id,
        ip_version: 4,
        cidr: "192.168.92.0/24",
        name: `${runPrefix}porcelain-subnet`,
      },
    },
  });
  const { router } = await s.request<{ router: { id: string } }>("network", "POST", "/v2.0/routers", {
    body: {
      router: { name: `${runPrefix}porcelain-router`, external_gateway_info: { network_id: externalId } },
    },
  });
  cleanup.push(`router ${router.id}`, () => rawDelete(s, "network", `/v2.0/routers/${router.id}`));
  await s.request("network", "PUT", `/v2.0/routers/${router.id}/add_router_interface`, {
    body: { subnet_id: subnet.id },
  });
  cleanup.push(`router interface ${router.id}`, () =>
    s.request("network", "PUT", `/v2.0/routers/${router.id}/remove_router_interface`, {
      body: { subnet_id: subnet.id },
      ok: [200, 404],
    }),
  );
  return network.id;
}

/**
 * The porcelain (packages/core cloud/) on the real cloud: the shared server watch, waits
 * through it, floating IPs through the router (with reuse under concurrency), delete and wait.
 */
export function porcelainServerCases(suite: () => SuiteContext): void {
  describe("porcelain: servers, shared watch, floating IPs", () => {
    const cleanup = new Cleanup();
    let porcelain: Porcelain;
    let ctx: CloudContext;
    let networkId: string;
    let flavor: string;
    let image: string;
    beforeAll(async () => {
      const { e2e, member } = suite();
      porcelain = await openPorcelain(e2e);
      ctx = porcelain.ctx;
      cleanup.push("porcelain connection", () => porcelain.close());
      const ext = await member.request<{ networks: { id: string }[] }>(
        "network",
        "GET",
        "/v2.0/networks?router:external=true&name=public",
      );
      networkId = await routedNetwork(member, cleanup, ext.networks[0]!.id);
      flavor = await flavorId(member, "m1.nano");
      image = await imageId(member, "cirros-fake");
    });
    afterAll(async () => {
      await cleanup.run();
    });
    const boot = async (name: string) => {
      const compute = await ctx.client("compute");
      const s = suite().member;
      const made = await createServer(compute, {
        name,
        flavorRef: flavor,
        imageRef: image,
        networks: [{ uuid: networkId }],
      });
      cleanup.push(`server ${made.id}`, () => deleteServerRaw(s, made.id));
      return made.id;
    };

    it("the shared watch sees a server appear, change and disappear", { timeout: 120_000 }, async () => {
      const watch = await serverWatch(ctx);
      const events: WatchEvent<Server>[] = [];
      const unsubscribe = watch.subscribe((batch) => events.push(...batch));
      try {
        const id = await boot(`${runPrefix}watched`);
        const of = (type: WatchEvent<Server>["type"], test: (s: Server) => boolean = () => true) =>
          pollUntil(`watch event ${type} for ${id}`, async () =>
            events.find((e) => e.id === id && e.type === type && test(e.object)),
          );
        await of("ADDED");
        const active = await pollUntil("the watch to report ACTIVE", async () =>
          events.find((e) => e.id === id && e.object.status === "ACTIVE"),
        );
        expect(active.type === "MODIFIED" || active.type === "ADDED").toBe(true);
        await updateServer(await ctx.client("compute"), id, { name: `${runPrefix}watched-renamed` });
        await of("MODIFIED", (s) => s.name === `${runPrefix}watched-renamed`);
        const gone = await deleteServerById(ctx, id, { wait: true, timeoutMs: 60_000 });
        expect(gone.state).toBe("success");
        await of("DELETED");
      } finally {
        unsubscribe();
      }
    });

    it(`${PARALLEL} boots at once: each ACTIVE with its own floating IP, spare IPs reused`, {
      timeout: 300_000,
    }, async () => {
      const s = suite().member;
      const ext = await s.request<{ networks: { id: string }[] }>(
        "network",
        "GET",
        "/v2.0/networks?router:external=true&name=public",
      );
      // Three unattached floating IPs the servers may reuse (the classic race: several clients see the same free IP).
      const spares: string[] = [];
      for (let i = 0; i < 3; i++) {
        const { floatingip } = await s.request<{ floatingip: { id: string } }>(
          "network",
          "POST",
          "/v2.0/floatingips",
          {
            body: {
              floatingip: { floating_network_id: ext.networks[0]!.id, description: `${runPrefix}spare` },
            },
          },
        );
        spares.push(floatingip.id);
        cleanup.push(`floating ip ${floatingip.id}`, () =>
          rawDelete(s, "network", `/v2.0/floatingips/${floatingip.id}`),
        );
      }
      const before = porcelain.requests();
      const t0 = Date.now();
      const ids = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => boot(`${runPrefix}par-${i}`)));
      const results = await Promise.all(ids.map((id) => waitForServer(ctx, id, { timeoutMs: 240_000 })));
      expect(results.map((r) => `${r.state} ${r.value?.status ?? "-"}`)).toEqual(
        ids.map(() => "success ACTIVE"),
      );
      const fips = await Promise.all(
        results.map((r) => addFloatingIpToServer(ctx, r.value!, { reuse: true })),
      );
      for (const f of fips) {
        if (f.created)
          cleanup.push(`floating ip ${f.floatingIp.id}`, () => deleteFloatingIp(ctx, f.floatingIp.id));
      }
      const perServer = (porcelain.requests() - before) / PARALLEL;
      console.info(
        `e2e: ${PARALLEL} boots + floating IPs in ${Date.now() - t0} ms, ${perServer.toFixed(1)} requests per server`,
      );
      const addresses = fips.map((f) => f.floatingIp.floatingIpAddress);
      expect(new Set(addresses).size).toBe(PARALLEL);
      expect(
        fips
          .filter((f) => !f.created)
          .map((f) => f.floatingIp.id)
          .sort(),
      ).toEqual([...spares].sort());
      // Each IP is bound to a port of its own server (read back with the raw client).
      for (const [i, f] of fips.entries()) {
        const { floatingip } = await s.request<{ floatingip: { port_id: string | null } }>(
          "network",
          "GET",
          `/v2.0/floatingips/${f.floatingIp.id}`,
        );
        const { port } = await s.request<{ port: { device_id: string } }>(
          "network",
          "GET",
          `/v2.0/ports/${floatingip.port_id}`,
        );
        expect(port.device_id).toBe(ids[i]);
      }
      // Another client needed 670 requests per server here; oaktree's shared watch keeps it small.
      expect(perServer).toBeLessThan(20);
      const deleted = await Promise.all(
        ids.map((id) => deleteServerById(ctx, id, { wait: true, timeoutMs: 120_000 })),
      );
      expect(deleted.map((d) => d.state)).toEqual(ids.map(() => "success"));
    });
  });
}
