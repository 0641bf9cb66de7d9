import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CloudContext } from "../../../packages/core/src/cloud/context.js";
import { deleteServerById, serverWatch } from "../../../packages/core/src/cloud/servers.js";
import type { Server } from "../../../packages/core/src/models/server.js";
import {
  createServer,
  updateServer,
} from "../../../packages/core/src/services/compute/v2/servers/requests.js";
import type { WatchEvent } from "../../../packages/core/src/state/watch.js";
import { Cleanup, runPrefix } from "../harness.js";
import { openPorcelain, type Porcelain } from "../porcelain.js";
import { pollUntil } from "../raw-client.js";
import { deleteServerRaw, flavorId, imageId, routedNetwork } from "../raw-resources.js";
import type { SuiteContext } from "../suite.js";

/**
 * The porcelain (packages/core cloud/) on the real cloud: the shared server watch, waits
 * through it, delete and wait (createServer has its own block).
 */
export function porcelainServerCases(suite: () => SuiteContext): void {
  describe("porcelain: the shared server watch", () => {
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
      networkId = await routedNetwork(member, cleanup, ext.networks[0]!.id, "porcelain", "192.168.92.0/24");
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
  });
}
