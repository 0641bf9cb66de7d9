import { describe, expect, it } from "vitest";
import { NotSupportedError, ValidationError } from "../../../../errors.js";
import { fixture } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import { createServerGroup, deleteServerGroup, getServerGroup, listServerGroups } from "./requests.js";

const sample = (path: string) => fixture(`compute/os-server-groups/${path}`);

describe("server groups", () => {
  it("creates with policies before 2.64 and policy + rules from 2.64", async () => {
    const old = scriptedClient(
      [
        {
          method: "POST",
          path: "/os-server-groups",
          json: sample("server-groups-post-req.json"),
          response: sample("server-groups-post-resp.json"),
        },
      ],
      { microversion: "2.15" },
    );
    expect((await createServerGroup(old, { name: "test", policy: "anti-affinity" })).policies).toEqual([
      "anti-affinity",
    ]);
    old.assertDone();
    const modern = scriptedClient(
      [
        {
          method: "POST",
          path: "/os-server-groups",
          json: sample("v2.64/server-groups-post-req.json"),
          response: sample("v2.64/server-groups-post-resp.json"),
        },
      ],
      { microversion: "2.64" },
    );
    const group = await createServerGroup(modern, {
      name: "test",
      policy: "anti-affinity",
      rules: { max_server_per_host: 3 },
    });
    expect(group.policy).toBe("anti-affinity");
    modern.assertDone();
  });

  it("gates soft policies and rules, validates the policy", async () => {
    const client = scriptedClient([], { microversion: "2.14" });
    await expect(createServerGroup(client, { name: "g", policy: "soft-affinity" })).rejects.toThrow(
      NotSupportedError,
    );
    await expect(createServerGroup(client, { name: "g", policy: "affinity", rules: {} })).rejects.toThrow(
      /2\.64/,
    );
    await expect(createServerGroup(client, { name: "g", policy: "near" as "affinity" })).rejects.toThrow(
      ValidationError,
    );
    expect(client.calls).toHaveLength(0);
  });

  it("lists, gets and deletes", async () => {
    const client = scriptedClient([
      {
        method: "GET",
        path: "/os-server-groups",
        query: { all_projects: true, limit: 10 },
        response: sample("v2.13/server-groups-list-resp.json"),
      },
      { method: "GET", path: "/os-server-groups/g1", response: sample("v2.13/server-groups-get-resp.json") },
      { method: "DELETE", path: "/os-server-groups/g1", status: 204 },
    ]);
    expect((await listServerGroups(client, { allProjects: true, limit: 10 }))[0]?.project_id).toBeTruthy();
    expect((await getServerGroup(client, "g1")).name).toBe("test");
    await deleteServerGroup(client, "g1");
    client.assertDone();
  });
});
