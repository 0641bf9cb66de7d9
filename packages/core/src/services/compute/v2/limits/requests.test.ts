import { describe, expect, it } from "vitest";
import { fixture, fixtureFiles } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import { getLimits, listAvailabilityZones } from "./requests.js";

describe("limits and availability zones", () => {
  it("gets limits from every upstream sample", async () => {
    for (const path of fixtureFiles("compute/limits")) {
      const client = scriptedClient([
        { method: "GET", path: "/limits", query: { tenant_id: "p1" }, response: fixture(path) },
      ]);
      const limits = await getLimits(client, { projectId: "p1" });
      expect(limits.absolute.maxTotalInstances, path).toBe(10);
      client.assertDone();
    }
  });

  it("lists zones, with hosts on the detail call", async () => {
    const client = scriptedClient([
      {
        method: "GET",
        path: "/os-availability-zone",
        response: fixture("compute/os-availability-zone/availability-zone-list-resp.json"),
      },
      {
        method: "GET",
        path: "/os-availability-zone/detail",
        response: fixture("compute/os-availability-zone/availability-zone-detail-resp.json"),
      },
    ]);
    expect((await listAvailabilityZones(client)).map((z) => [z.zoneName, z.zoneState.available])).toEqual([
      ["nova", true],
    ]);
    const detail = await listAvailabilityZones(client, { detail: true });
    expect(detail.some((z) => z.hosts !== null)).toBe(true);
    client.assertDone();
  });
});
