import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../errors.js";
import { collect } from "../../../../http/paginate.js";
import { fixture, fixtureFiles } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import { getFlavor, getFlavorExtraSpecs, listFlavors } from "./requests.js";

describe("flavors", () => {
  it("lists details with minRam/minDisk for every upstream sample", async () => {
    for (const path of fixtureFiles("compute/flavors", /flavors-detail-resp\.json$/)) {
      const body = fixture<{ flavors: { id: string }[] }>(path);
      const client = scriptedClient([
        {
          method: "GET",
          path: "/flavors/detail",
          query: { minRam: 512, minDisk: 0, is_public: "None" },
          response: body,
        },
      ]);
      const flavors = await collect(listFlavors(client, { minRam: 512, minDisk: 0, isPublic: "None" }));
      expect(
        flavors.map((f) => f.id),
        path,
      ).toEqual(body.flavors.map((f) => f.id));
      client.assertDone();
    }
  });

  it("gets one flavor and its extra specs", async () => {
    const client = scriptedClient([
      { method: "GET", path: "/flavors/7", response: fixture("compute/flavors/v2.75/flavor-get-resp.json") },
      {
        method: "GET",
        path: "/flavors/7/os-extra_specs",
        response: fixture("compute/flavor-extra-specs/flavor-extra-specs-list-resp.json"),
      },
    ]);
    expect((await getFlavor(client, "7")).extra_specs).toEqual({
      "hw:cpu_policy": "shared",
      "hw:numa_nodes": "1",
    });
    expect(await getFlavorExtraSpecs(client, "7")).toEqual({
      "hw:cpu_policy": "shared",
      "hw:numa_nodes": "1",
    });
    client.assertDone();
  });

  it("rejects bad filters before any I/O", () => {
    const client = scriptedClient([]);
    expect(() => listFlavors(client, { minRam: -1 })).toThrow(ValidationError);
    expect(() => listFlavors(client, { minDisk: 1.5 })).toThrow(/^minDisk:/);
    expect(client.calls).toHaveLength(0);
  });
});
