import { describe, expect, it } from "vitest";
import { runPrefix } from "../harness.js";
import { leakedProjects, leaksOf } from "../leak-check.js";
import type { SuiteContext } from "../suite.js";

/**
 * The last block of the suite: the member project holds nothing the suite made (servers,
 * floating IPs, ports, volumes, networks, subnets, routers, security groups, images, keypairs),
 * and no project named with the run's prefix is left.
 */
export function leakCheckCases(suite: () => SuiteContext): void {
  describe("leak check", () => {
    it("leaves nothing behind in the member project", async () => {
      const { member, baseline } = suite();
      expect(await leaksOf(member, runPrefix, baseline)).toEqual([]);
    });

    it("leaves no project it created", async (t) => {
      const { admin } = suite();
      if (!admin) return t.skip("needs OAKTREE_E2E_ADMIN_CLOUD");
      expect(await leakedProjects(admin, runPrefix)).toEqual([]);
    });
  });
}
