import { describe, expect, it } from "vitest";
import { fixture } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import {
  deleteAutoAllocatedTopology,
  getAutoAllocatedTopology,
  validateAutoAllocatedTopology,
} from "./requests.js";

const init = { serviceType: "network", endpoint: "https://net.example/v2.0", version: "2.0" };

describe("auto-allocated topology", () => {
  it("gets (bare upstream sample and enveloped), dry-runs and deletes", async () => {
    const bare = fixture<{ id: string }>("network/auto-topology/topo-show-response.json");
    const client = scriptedClient(
      [
        { method: "GET", path: "/auto-allocated-topology/p%201", response: bare },
        { method: "GET", path: "/auto-allocated-topology/p1", response: { auto_allocated_topology: bare } },
        {
          method: "GET",
          path: "/auto-allocated-topology/p1",
          query: { fields: "dry-run" },
          response: { auto_allocated_topology: { "dry-run": "pass" } },
        },
        { method: "DELETE", path: "/auto-allocated-topology/p1", status: 204 },
      ],
      init,
    );
    expect((await getAutoAllocatedTopology(client, "p 1")).id).toBe("31483d41-5c2b-481c-beef-ab501bd2e0da");
    expect((await getAutoAllocatedTopology(client, "p1")).id).toBe("31483d41-5c2b-481c-beef-ab501bd2e0da");
    expect(await validateAutoAllocatedTopology(client, "p1")).toEqual({ "dry-run": "pass" });
    await deleteAutoAllocatedTopology(client, "p1");
    client.assertDone();
  });

  it("needs a project id", async () => {
    const client = scriptedClient([], init);
    await expect(getAutoAllocatedTopology(client, "")).rejects.toThrow(/projectId/);
    expect(client.calls).toHaveLength(0);
  });
});
