import { afterAll, describe, expect, it } from "vitest";
import {
  parseV3Catalog,
  selectEndpoint,
  substituteProjectId,
} from "../../../packages/core/src/catalog/catalog.js";
import {
  createDocumentCache,
  type DiscoveredVersion,
  discoverVersion,
} from "../../../packages/core/src/catalog/discovery.js";
import { createHttpStack, type HttpStack } from "../../../packages/core/src/http/stack.js";
import type { SuiteContext } from "../suite.js";

/**
 * What the recipe's Zed cloud really offers (Debian 12: nova 26, cinder 21, placement 8,
 * glance 25, neutron 21, keystone 22). The simulator's Zed profile should agree.
 */
const ZED: Readonly<Record<string, { version: string; microversions?: { min: string; max: string } }>> = {
  identity: { version: "3" },
  compute: { version: "2.1", microversions: { min: "2.1", max: "2.93" } },
  image: { version: "2" },
  network: { version: "2.0" },
  "block-storage": { version: "3", microversions: { min: "3.0", max: "3.70" } },
  placement: { version: "1", microversions: { min: "1.0", max: "1.39" } },
};

/**
 * Version discovery of every catalog service through packages/core's catalog and http layers
 * (the token comes from the suite's raw client; auth through the core is in auth-core.e2e.ts).
 */
export function discoveryCoreCases(suite: () => SuiteContext): void {
  describe("catalog and version discovery (packages/core)", () => {
    let stack: HttpStack | undefined;
    afterAll(async () => {
      await stack?.close();
    });

    it("discovers every service of the catalog from its version document", async () => {
      const { member } = suite();
      const token = member.token;
      stack = createHttpStack({ auth: { getToken: async () => token, invalidate: () => {} }, retry: false });
      const catalog = parseV3Catalog(member.catalog);
      const documents = createDocumentCache();
      const found = new Map<string, DiscoveredVersion>();
      for (const entry of catalog) {
        const selected = selectEndpoint(catalog, { serviceType: entry.type, interface: "public" });
        expect(selected, `endpoint for ${entry.type}`).toBeDefined();
        const url = substituteProjectId(selected!.endpoint.url, member.projectId);
        const d = await discoverVersion(
          { send: stack, documents },
          { serviceType: entry.serviceType, url, projectId: member.projectId },
        );
        // A real Zed cloud has a document for every service: a fallback would mean a discovery bug.
        expect(d.source, `${entry.type}: ${d.note ?? ""}`).not.toBe("catalog");
        found.set(entry.serviceType, d);
      }
      for (const [type, want] of Object.entries(ZED)) {
        const d = found.get(type);
        expect(d, `discovered ${type}`).toBeDefined();
        expect({ version: d!.version, microversions: d!.microversions }, type).toEqual({
          version: want.version,
          microversions: want.microversions,
        });
      }
      // The project id cinder's catalog URL carries stays on its discovered endpoint.
      expect(found.get("block-storage")!.endpoint).toContain(member.projectId);
    });
  });
}
