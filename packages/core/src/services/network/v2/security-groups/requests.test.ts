import { describe, expect, it } from "vitest";
import { collect } from "../../../../http/paginate.js";
import { fixture } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import {
  createSecurityGroupRule,
  deleteSecurityGroupRule,
  getSecurityGroupRule,
  listSecurityGroupRules,
} from "../security-group-rules/requests.js";
import {
  createSecurityGroup,
  deleteSecurityGroup,
  getSecurityGroup,
  listSecurityGroups,
  updateSecurityGroup,
} from "./requests.js";

const init = { serviceType: "network", endpoint: "https://net.example/v2.0", version: "2.0" };

describe("security groups and rules", () => {
  it("drives groups with the exact requests", async () => {
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/security-groups",
          query: { name: "default", project_id: "p1" },
          response: fixture("network/security-groups/security-groups-list-response.json"),
        },
        {
          method: "GET",
          path: "/security-groups/sg1",
          response: fixture("network/security-groups/security-group-show-response.json"),
        },
        {
          method: "POST",
          path: "/security-groups",
          json: fixture("network/security-groups/security-group-create-request.json"),
          status: 201,
          response: fixture("network/security-groups/security-group-create-response.json"),
        },
        {
          method: "PUT",
          path: "/security-groups/sg1",
          json: fixture("network/security-groups/security-group-update-request.json"),
          response: fixture("network/security-groups/security-group-update-response.json"),
        },
        { method: "DELETE", path: "/security-groups/sg1", status: 204 },
      ],
      init,
    );
    const groups = await collect(listSecurityGroups(client, { name: "default", projectId: "p1" }));
    expect(groups[0]?.security_group_rules.length).toBeGreaterThan(0);
    expect((await getSecurityGroup(client, "sg1")).security_group_rules).toHaveLength(4);
    const created = await createSecurityGroup(client, {
      name: "new-webservers",
      description: "security group for webservers",
      stateful: true,
    });
    expect(created.name).toBe("new-webservers");
    const update = fixture<{ security_group: { name: string; description: string } }>(
      "network/security-groups/security-group-update-request.json",
    ).security_group;
    await updateSecurityGroup(client, "sg1", update);
    await deleteSecurityGroup(client, "sg1");
    client.assertDone();
  });

  it("drives rules with the exact requests", async () => {
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/security-group-rules",
          query: { security_group_id: "sg1", direction: "ingress" },
          response: fixture("network/security-groups/security-group-rules-list-response.json"),
        },
        {
          method: "GET",
          path: "/security-group-rules/r1",
          response: fixture("network/security-groups/security-group-rule-show-response.json"),
        },
        {
          method: "POST",
          path: "/security-group-rules",
          json: {
            security_group_rule: {
              security_group_id: "a7734e61-b545-452d-a3cd-0189cbd9747a",
              direction: "ingress",
              ethertype: "IPv4",
              protocol: "tcp",
              port_range_min: 80,
              port_range_max: 80,
              remote_group_id: "85cc3048-abc3-43cc-89b3-377341426ac5",
            },
          },
          status: 201,
          response: fixture("network/security-groups/security-group-rule-create-response.json"),
        },
        { method: "DELETE", path: "/security-group-rules/r1", status: 204 },
      ],
      init,
    );
    const rules = await collect(
      listSecurityGroupRules(client, { securityGroupId: "sg1", direction: "ingress" }),
    );
    expect(rules.length).toBeGreaterThan(0);
    expect((await getSecurityGroupRule(client, "r1")).direction).toBeDefined();
    const rule = await createSecurityGroupRule(client, {
      securityGroupId: "a7734e61-b545-452d-a3cd-0189cbd9747a",
      direction: "ingress",
      ethertype: "IPv4",
      protocol: "tcp",
      portRangeMin: 80,
      portRangeMax: 80,
      remoteGroupId: "85cc3048-abc3-43cc-89b3-377341426ac5",
    });
    expect(rule.port_range_min).toBe(80);
    await deleteSecurityGroupRule(client, "r1");
    client.assertDone();
  });

  it("validates before any I/O", () => {
    const client = scriptedClient([], init);
    const base = { securityGroupId: "sg", direction: "ingress" } as const;
    expect(() => createSecurityGroupRule(client, { ...base, portRangeMin: 22 })).toThrow(
      /protocol: is required/,
    );
    expect(() => createSecurityGroupRule(client, { ...base, protocol: "tcp", portRangeMin: 70000 })).toThrow(
      /portRangeMin/,
    );
    expect(() =>
      createSecurityGroupRule(client, { ...base, protocol: "tcp", portRangeMin: 90, portRangeMax: 80 }),
    ).toThrow(/portRangeMax/);
    expect(() =>
      createSecurityGroupRule(client, { ...base, remoteIpPrefix: "0.0.0.0/0", remoteGroupId: "g" }),
    ).toThrow(/remoteGroupId/);
    expect(() => createSecurityGroupRule(client, { ...base, direction: "in" as "ingress" })).toThrow(
      /direction/,
    );
    expect(() => createSecurityGroup(client, { name: "" })).toThrow(/name/);
    expect(client.calls).toHaveLength(0);
  });
});
