import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ServiceError, status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listCloudConfigsFromDisk } from "../../../packages/core/src/index.js";
import { resolveServerSettings } from "../../../packages/server/src/config.js";
import { Stage } from "../../../packages/server/src/gen/oaktree/v1/common_pb.js";
import { ServerService } from "../../../packages/server/src/gen/oaktree/v1/server_pb.js";
import { Oaktree } from "../../../packages/server/src/gen-legacy/oaktree_pb.js";
import { serve } from "../../../packages/server/src/serve.js";
import { GrpcTestClient } from "../../interop/grpc-test-client.js";
import { Cleanup, runPrefix } from "../harness.js";
import type { RawSession } from "../raw-client.js";
import { deleteServerRaw, rawDelete, routedNetwork } from "../raw-resources.js";
import type { SuiteContext } from "../suite.js";

/** How many servers boot at once (the scenario; the demo project's instance quota is 10). */
const PARALLEL = 10;

/** The floating IP (id, and the port it is bound to) that has `address`, read with the raw client. */
async function floatingIpOf(
  s: RawSession,
  address: string,
): Promise<{ id: string; port_id: string | null }[]> {
  const { floatingips } = await s.request<{ floatingips: { id: string; port_id: string | null }[] }>(
    "network",
    "GET",
    `/v2.0/floatingips?floating_ip_address=${encodeURIComponent(address)}`,
  );
  return floatingips;
}

/** The server a port belongs to. */
async function deviceOf(s: RawSession, portId: string): Promise<string> {
  const { port } = await s.request<{ port: { device_id: string } }>(
    "network",
    "GET",
    `/v2.0/ports/${portId}`,
  );
  return port.device_id;
}

/**
 * The oaktree service over real gRPC (`serve()` in-process, on the suite's clouds.yaml):
 * CreateServer with auto_ip, 10 at once, each ACTIVE with its own floating IP, then DeleteServer
 * with delete_ips; and the 2017 API's ListFlavors.
 */
export function grpcCases(suite: () => SuiteContext): void {
  describe("oaktree service over gRPC", () => {
    const cleanup = new Cleanup();
    let servers: GrpcTestClient<typeof ServerService>;
    let legacy: GrpcTestClient<typeof Oaktree>;
    let cloudName: string;

    beforeAll(async () => {
      const { e2e, member } = suite();
      cloudName = e2e.cloud;
      const home = mkdtempSync(join(tmpdir(), "oaktree-e2e-grpc-"));
      cleanup.push("temporary home", async () => rmSync(home, { recursive: true, force: true }));
      const configs = await listCloudConfigsFromDisk({
        env: { OS_CLIENT_CONFIG_FILE: e2e.configFile },
        cwd: home,
        home,
      });
      // `oaktree serve` on the suite's clouds.yaml, its gRPC listener on a free port of 127.0.0.1.
      const server = await serve({
        settings: resolveServerSettings({}, { listen: "127.0.0.1:0", httpListen: "off", logLevel: "warn" }),
        configs: configs.filter((config) => config.name === e2e.cloud),
        defaultCloud: e2e.cloud,
        cloudOptions: { pollIntervalMs: 1000 },
      });
      cleanup.push("oaktree server", () => server.stop());
      servers = new GrpcTestClient(server.grpcAddress, ServerService);
      legacy = new GrpcTestClient(server.grpcAddress, Oaktree);
      cleanup.push("gRPC clients", async () => {
        servers.close();
        legacy.close();
      });
      const ext = await member.request<{ networks: { id: string }[] }>(
        "network",
        "GET",
        "/v2.0/networks?router:external=true&name=public",
      );
      await routedNetwork(member, cleanup, ext.networks[0]!.id, "grpc", "192.168.95.0/24");
    });
    afterAll(async () => {
      await cleanup.run();
    });

    it(`CreateServer with auto_ip, ${PARALLEL} streams at once: each ACTIVE with its own floating IP; DeleteServer with delete_ips releases them`, {
      timeout: 480_000,
    }, async () => {
      const s = suite().member;
      const t0 = Date.now();
      const settled = await Promise.allSettled(
        Array.from({ length: PARALLEL }, (_, i) =>
          servers.stream("createServer", {
            location: { cloud: cloudName },
            name: `${runPrefix}grpc-${i}`,
            image: "cirros-fake",
            flavor: "m1.nano",
            networks: [`${runPrefix}grpc-net`],
            autoIp: true,
            wait: true,
            timeoutSeconds: 300,
          }),
        ),
      );
      const finals = settled.flatMap((result) =>
        result.status === "fulfilled" && result.value.at(-1)?.server ? [result.value.at(-1)!] : [],
      );
      // Undo what was made, whatever the assertions below say.
      for (const final of finals) {
        const id = final.server!.id;
        cleanup.push(`server ${id}`, () => deleteServerRaw(s, id));
        if (final.floatingIp) {
          const address = final.floatingIp;
          cleanup.push(`floating ip ${address}`, async () => {
            for (const ip of await floatingIpOf(s, address)) {
              await rawDelete(s, "network", `/v2.0/floatingips/${ip.id}`);
            }
          });
        }
      }
      expect(
        settled.flatMap((result) =>
          result.status === "rejected" ? [`${(result.reason as ServiceError).details ?? result.reason}`] : [],
        ),
      ).toEqual([]);
      console.info(`e2e: ${PARALLEL} CreateServer streams over gRPC at once in ${Date.now() - t0} ms`);
      expect(finals).toHaveLength(PARALLEL);
      for (const result of settled) {
        const events = (result as PromiseFulfilledResult<typeof finals>).value;
        expect(events[0]?.progress?.stage).toBe(Stage.ACCEPTED);
        expect(events.at(-1)?.progress?.stage).toBe(Stage.DONE);
      }
      expect(finals.map((final) => final.server?.status)).toEqual(finals.map(() => "ACTIVE"));
      const addresses = finals.map((final) => final.floatingIp);
      expect(addresses.every((address) => /^\d+\.\d+\.\d+\.\d+$/.test(address))).toBe(true);
      expect(new Set(addresses).size).toBe(PARALLEL);
      for (const final of finals) {
        expect(final.server?.interfaceIp).toBe(final.floatingIp);
        expect(final.server?.location?.cloud).toBe(cloudName);
        const [ip] = await floatingIpOf(s, final.floatingIp);
        expect(ip?.port_id).toBeTruthy();
        expect(await deviceOf(s, ip!.port_id!)).toBe(final.server?.id);
      }

      const deletions = await Promise.all(
        finals.map((final) =>
          servers.stream("deleteServer", {
            location: { cloud: cloudName },
            nameOrId: final.server!.id,
            wait: true,
            deleteIps: true,
            timeoutSeconds: 120,
          }),
        ),
      );
      expect(deletions.map((events) => events.at(-1)?.progress?.stage)).toEqual(finals.map(() => Stage.DONE));
      for (const final of finals) {
        // Gone, or (nova, for a moment after the delete) listed as DELETED.
        const gone = await s.request<{ server: { status: string } } | undefined>(
          "compute",
          "GET",
          `/servers/${final.server!.id}`,
          { ok: [200, 404] },
        );
        if (gone?.server) expect(gone.server.status).toBe("DELETED");
        expect(await floatingIpOf(s, final.floatingIp)).toEqual([]);
      }
    });

    it("the 2017 API: ListFlavors lists the cloud's flavors with their Location; a missing one is NOT_FOUND", async () => {
      const { flavors } = await legacy.unary("listFlavors", { location: { cloud: cloudName } });
      const nano = flavors.find((flavor) => flavor.name === "m1.nano");
      expect(nano).toBeDefined();
      expect(nano?.vcpus).toBe(1);
      expect(nano?.location?.cloud).toBe(cloudName);
      expect(nano?.location?.project?.project.case).toBe("id");
      const filtered = await legacy.unary("listFlavors", { filter: { name: "m1.nano" } });
      expect(filtered.flavors.map((flavor) => flavor.id)).toEqual([nano?.id]);
      const missing = await legacy.unary("getFlavor", { nameOrId: `${runPrefix}no-such-flavor` }).then(
        () => undefined,
        (error: ServiceError) => error,
      );
      expect(missing?.code).toBe(status.NOT_FOUND);
    });
  });
}
