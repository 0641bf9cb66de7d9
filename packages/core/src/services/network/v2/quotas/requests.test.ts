import { describe, expect, it } from "vitest";
import { fixture } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import { getQuota, getQuotaDetails } from "./requests.js";

const init = { serviceType: "network", endpoint: "https://net.example/v2.0", version: "2.0" };

describe("quotas", () => {
  it("gets limits and details", async () => {
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/quotas/p1",
          response: fixture("network/quotas/quotas-list-for-project-response.json"),
        },
        {
          method: "GET",
          path: "/quotas/p1/details",
          response: fixture("network/quota_details/quota-details-show-for-project-response.json"),
        },
      ],
      init,
    );
    expect((await getQuota(client, "p1")).floatingip).toBe(50);
    const details = await getQuotaDetails(client, "p1");
    expect(Object.values(details).every((d) => typeof d.limit === "number")).toBe(true);
    client.assertDone();
  });
});
