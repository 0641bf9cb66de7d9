import { afterAll, describe, expect, it } from "vitest";
import { OverLimitError } from "../../../packages/core/src/http/errors.js";
import { updateQuotaSet } from "../../../packages/core/src/services/compute/v2/quota-sets/requests.js";
import { createServer, getServer } from "../../../packages/core/src/services/compute/v2/servers/requests.js";
import { type CoreClients, coreClients } from "../core-clients.js";
import { Cleanup, runPrefix } from "../harness.js";
import { leaksOf } from "../leak-check.js";
import { pollUntil, type RawSession } from "../raw-client.js";
import {
  createMemberProject,
  deleteProject,
  deleteServerRaw,
  flavorId,
  imageId,
  rawDelete,
} from "../raw-resources.js";
import type { SuiteContext } from "../suite.js";

/**
 * Scenarios that need a project of their own (made by the admin cloud, deleted at the end):
 * get-me-a-network in a project with no network, and a boot over quota leaving nothing behind.
 */
export function projectCases(suite: () => SuiteContext): void {
  describe("a fresh project (admin-made): get-me-a-network, quota", () => {
    const cleanup = new Cleanup();
    const cores: CoreClients[] = [];
    let project: { projectId: string; session: RawSession } | undefined;
    const fresh = async () => {
      const { admin, member } = suite();
      if (!admin) throw new Error("needs OAKTREE_E2E_ADMIN_CLOUD");
      if (!project) {
        project = await createMemberProject(admin, member, `${runPrefix}project`);
        const id = project.projectId;
        cleanup.push(`project ${id}`, () => deleteProject(admin, id));
      }
      return project;
    };
    const clientsOf = (s: RawSession) => {
      const c = coreClients(s);
      cores.push(c);
      return c;
    };
    afterAll(async () => {
      try {
        await cleanup.run();
      } finally {
        await Promise.all(cores.map((c) => c.close()));
      }
    });

    it("get-me-a-network: networks 'auto' in a project with no network boots ACTIVE", {
      timeout: 180_000,
    }, async (t) => {
      if (!suite().admin) return t.skip("needs OAKTREE_E2E_ADMIN_CLOUD");
      const { projectId, session } = await fresh();
      const nets = await session.request<{ networks: unknown[] }>(
        "network",
        "GET",
        `/v2.0/networks?project_id=${projectId}`,
      );
      expect(nets.networks).toEqual([]);
      cleanup.push("auto-allocated topology", () =>
        rawDelete(session, "network", `/v2.0/auto-allocated-topology/${projectId}`),
      );
      const compute = await clientsOf(session).client("compute");
      const created = await createServer(compute, {
        name: `${runPrefix}vm-auto`,
        flavorRef: await flavorId(session, "m1.nano"),
        imageRef: await imageId(session, "cirros-fake"),
        networks: "auto",
      });
      cleanup.push(`server ${created.id}`, () => deleteServerRaw(session, created.id));
      const server = await pollUntil(
        "the auto-network server to leave BUILD",
        async () => {
          const sv = await getServer(compute, created.id);
          return sv.status === "BUILD" ? undefined : sv;
        },
        120_000,
      );
      expect(server.status, server.fault?.message ?? "").toBe("ACTIVE");
      // NOTE: neutron's auto-allocation makes a network, subnet (from the default subnetpool) and
      // a router to the default external network; nova puts the server on that network.
      const topo = await session.request<{ auto_allocated_topology: { id: string } }>(
        "network",
        "GET",
        `/v2.0/auto-allocated-topology/${projectId}`,
      );
      expect(Object.keys(server.addresses ?? {})).toHaveLength(1);
      const [net] = (
        await session.request<{ networks: { id: string }[] }>(
          "network",
          "GET",
          `/v2.0/networks?project_id=${projectId}`,
        )
      ).networks;
      expect(net?.id).toBe(topo.auto_allocated_topology.id);
      await deleteServerRaw(session, created.id);
      await rawDelete(session, "network", `/v2.0/auto-allocated-topology/${projectId}`);
      // Nothing but the default security group is left in the project.
      expect(await leaksOf(session, runPrefix)).toEqual([]);
    });

    it("a boot over the instance quota fails with OverLimitError and leaves nothing", async (t) => {
      const { admin } = suite();
      if (!admin) return t.skip("needs OAKTREE_E2E_ADMIN_CLOUD");
      const { projectId, session } = await fresh();
      const adminCompute = await clientsOf(admin).client("compute");
      const quota = await updateQuotaSet(adminCompute, projectId, { instances: 0 });
      expect(quota.instances).toBe(0);
      const compute = await clientsOf(session).client("compute");
      const err = await createServer(compute, {
        name: `${runPrefix}vm-quota`,
        flavorRef: await flavorId(session, "m1.nano"),
        imageRef: await imageId(session, "cirros-fake"),
        networks: "none",
      }).catch((e: unknown) => e);
      // NOTE: nova 26 answers 403 "Quota exceeded for instances: Requested 1, but already used 0 of 0 instances".
      expect(err).toBeInstanceOf(OverLimitError);
      expect((err as OverLimitError).status).toBe(403);
      expect((err as Error).message).toMatch(/quota exceeded/i);
      expect(await leaksOf(session, runPrefix)).toEqual([]);
    });
  });
}
