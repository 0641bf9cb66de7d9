import { describe, expect, it } from "vitest";
import { fixture } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import { getQuotaSet, updateQuotaSet } from "./requests.js";

const sample = (path: string) => fixture(`compute/os-quota-sets/${path}`);

describe("quota sets", () => {
  it("gets a project's quotas, with detail, and the defaults", async () => {
    const client = scriptedClient([
      { method: "GET", path: "/os-quota-sets/p1", query: {}, response: sample("quotas-show-get-resp.json") },
      {
        method: "GET",
        path: "/os-quota-sets/p1/detail",
        query: { user_id: "u" },
        response: sample("quotas-show-detail-get-resp.json"),
      },
      {
        method: "GET",
        path: "/os-quota-sets/p1/defaults",
        response: sample("quotas-show-defaults-get-resp.json"),
      },
    ]);
    expect((await getQuotaSet(client, "p1")).cores).toBe(20);
    expect((await getQuotaSet(client, "p1", { detail: true, userId: "u" })).cores).toMatchObject({
      limit: 20,
    });
    expect((await getQuotaSet(client, "p1", { defaults: true })).instances).toBe(10);
    client.assertDone();
    await expect(getQuotaSet(client, "p1", { detail: true, defaults: true })).rejects.toThrow(/^detail:/);
  });

  it("updates with the upstream bodies", async () => {
    const client = scriptedClient([
      {
        method: "PUT",
        path: "/os-quota-sets/p1",
        json: sample("quotas-update-post-req.json"),
        response: sample("quotas-update-post-resp.json"),
      },
      {
        method: "PUT",
        path: "/os-quota-sets/p1",
        // NOTE: the upstream sample sends force as the string "True"; nova takes a JSON boolean too.
        json: { quota_set: { force: true, instances: 45 } },
        response: sample("quotas-update-force-post-resp.json"),
      },
    ]);
    expect((await updateQuotaSet(client, "p1", { cores: 45 })).cores).toBe(45);
    const force = (sample("quotas-update-force-post-req.json") as { quota_set: { instances: number } })
      .quota_set;
    await updateQuotaSet(client, "p1", { instances: force.instances }, { force: true });
    client.assertDone();
    await expect(updateQuotaSet(client, "p1", { cores: -2 })).rejects.toThrow(/^quotas\.cores:/);
  });
});
