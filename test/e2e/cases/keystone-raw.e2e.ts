import { describe, expect, it } from "vitest";
import { passwordAuthBody, RawHttpError } from "../raw-client.js";
import type { SuiteContext } from "../suite.js";

/**
 * The cloud itself, through Node's fetch only (no oaktree code): keystone issues a token and
 * the catalog lists the services the rest of the suite relies on. When these fail, the cloud
 * (or the recipe) is broken, not oaktree.
 */
export function keystoneRawCases(suite: () => SuiteContext): void {
  describe("keystone and catalog (raw fetch)", () => {
    it("issues a project-scoped token for the member cloud", async () => {
      const { member } = suite();
      expect(member.token.length).toBeGreaterThan(20);
      expect(member.projectId).toMatch(/^[0-9a-f]{32}$/);
      // The token validates: keystone answers GET /auth/tokens with the same project.
      const body = await member.request<{ token: { project: { id: string; name: string } } }>(
        "identity",
        "GET",
        "/auth/tokens",
        { headers: { "X-Subject-Token": member.token } },
      );
      expect(body.token.project).toMatchObject({ id: member.projectId, name: member.entry.projectName });
    });

    it("lists identity, compute, image, network, block storage and placement in the catalog", () => {
      const types = new Set(suite().member.catalog.map((c) => c.type));
      for (const t of ["identity", "compute", "image", "network", "placement"]) expect(types).toContain(t);
      expect(types.has("block-storage") || types.has("volumev3")).toBe(true);
    });

    it("gives every catalog entry an endpoint for the cloud's interface that answers", async () => {
      const { member } = suite();
      for (const entry of member.catalog) {
        const url = member.endpoint(entry.type);
        const res = await fetch(url, {
          headers: { "X-Auth-Token": member.token },
          signal: AbortSignal.timeout(30_000),
        });
        await res.arrayBuffer();
        // Version documents answer 200 or 300; cinder's project URL answers 404 without a path.
        expect(res.status, `${entry.type} ${url}`).toBeLessThan(500);
      }
    });

    it("rejects a wrong password with 401", async () => {
      const { member } = suite();
      const res = await fetch(`${member.entry.authUrl}/auth/tokens`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(
          passwordAuthBody({ ...member.entry, password: `${member.entry.password}-wrong` }),
        ),
        signal: AbortSignal.timeout(30_000),
      });
      await res.arrayBuffer();
      expect(res.status).toBe(401);
    });

    it("reports a missing server as a 404 from nova", async () => {
      const { member } = suite();
      const err = await member
        .request("compute", "GET", "/servers/00000000-0000-0000-0000-000000000000")
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RawHttpError);
      expect((err as RawHttpError).status).toBe(404);
    });
  });
}
