import { describe, expect, it } from "vitest";
import { NotSupportedError } from "../errors.js";
import { FAKE_PROJECT, fakeCapabilities, fakeContext } from "../testing/fake-context.js";
import { scriptedClient } from "../testing/scripted-client.js";
import {
  addSecurityGroupRule,
  createSecurityGroup,
  deleteSecurityGroup,
  deleteSecurityGroupRule,
  getSecurityGroup,
  listSecurityGroups,
} from "./security-groups.js";

const NOVA_GROUPS = {
  security_groups: [
    { id: 1, name: "default", description: "default", tenant_id: FAKE_PROJECT.id, rules: [] },
    { id: 2, name: "web", description: "web", tenant_id: FAKE_PROJECT.id, rules: [] },
  ],
};
const neutronGroup = (id: string, name: string) => ({
  id,
  name,
  description: "",
  project_id: FAKE_PROJECT.id,
  security_group_rules: [],
  tags: [],
});

describe("security groups on nova-network", () => {
  it("lists, creates with a description, adds an ingress rule with shade's defaults", async () => {
    const compute = scriptedClient(
      [
        { method: "GET", path: "/os-security-groups", response: NOVA_GROUPS },
        {
          method: "POST",
          path: "/os-security-groups",
          json: { security_group: { name: "ssh", description: "ssh" } },
          response: {
            security_group: { id: 3, name: "ssh", description: "ssh", tenant_id: FAKE_PROJECT.id, rules: [] },
          },
        },
        { method: "GET", path: "/os-security-groups", response: NOVA_GROUPS },
        {
          method: "POST",
          path: "/os-security-group-rules",
          json: {
            security_group_rule: {
              parent_group_id: "2",
              ip_protocol: "tcp",
              from_port: 22,
              to_port: 22,
              cidr: "0.0.0.0/0",
            },
          },
          response: {
            security_group_rule: {
              id: 9,
              parent_group_id: 2,
              ip_protocol: "tcp",
              from_port: 22,
              to_port: 22,
              ip_range: { cidr: "0.0.0.0/0" },
              group: {},
            },
          },
        },
        { method: "DELETE", path: "/os-security-group-rules/9", status: 202 },
      ],
      { microversion: "2.12" },
    );
    const ctx = fakeContext({ clients: { compute } });
    fakeCapabilities(ctx, { securityGroups: { model: "nova" } });
    expect((await listSecurityGroups(ctx)).map((group) => [group.id, group.name])).toEqual([
      ["1", "default"],
      ["2", "web"],
    ]);
    expect((await createSecurityGroup(ctx, { name: "ssh" })).id).toBe("3");
    const rule = await addSecurityGroupRule(ctx, { securityGroup: "web", protocol: "TCP", portRangeMin: 22 });
    expect(rule).toMatchObject({
      id: "9",
      securityGroupId: "2",
      direction: "ingress",
      protocol: "tcp",
      portRangeMin: 22,
      portRangeMax: 22,
      remoteIpPrefix: "0.0.0.0/0",
    });
    expect(await deleteSecurityGroupRule(ctx, "9")).toBe(true);
    compute.assertDone();
  });

  it("refuses egress rules before any I/O", async () => {
    const ctx = fakeContext({ clients: { compute: scriptedClient([]) } });
    fakeCapabilities(ctx, { securityGroups: { model: "nova" } });
    await expect(
      addSecurityGroupRule(ctx, { securityGroup: "web", direction: "egress" }),
    ).rejects.toBeInstanceOf(NotSupportedError);
  });
});

describe("security groups on neutron", () => {
  it("lists the project's groups, adds a rule from another group, deletes by name", async () => {
    const list = {
      method: "GET" as const,
      path: "/security-groups",
      query: { project_id: FAKE_PROJECT.id },
      response: { security_groups: [neutronGroup("sg-1", "default"), neutronGroup("sg-2", "web")] },
    };
    const network = scriptedClient(
      [
        list,
        list,
        {
          method: "POST",
          path: "/security-group-rules",
          json: {
            security_group_rule: {
              security_group_id: "sg-2",
              direction: "ingress",
              ethertype: "IPv4",
              protocol: "tcp",
              port_range_min: 80,
              port_range_max: 80,
              remote_group_id: "sg-1",
            },
          },
          status: 201,
          response: {
            security_group_rule: {
              id: "r-1",
              security_group_id: "sg-2",
              direction: "ingress",
              ethertype: "IPv4",
              protocol: "tcp",
              port_range_min: 80,
              port_range_max: 80,
              remote_group_id: "sg-1",
            },
          },
        },
        list,
        { method: "DELETE", path: "/security-groups/sg-2", status: 204 },
      ],
      { serviceType: "network", version: "2.0" },
    );
    const ctx = fakeContext({ clients: { network } });
    fakeCapabilities(ctx);
    expect((await getSecurityGroup(ctx, "web")).id).toBe("sg-2");
    const rule = await addSecurityGroupRule(ctx, {
      securityGroup: "web",
      protocol: "tcp",
      portRangeMin: 80,
      portRangeMax: 80,
      remoteGroup: "default",
    });
    expect(rule.remoteGroupId).toBe("sg-1");
    expect(await deleteSecurityGroup(ctx, "web")).toBe(true);
    network.assertDone();
  });

  it("a cloud without security groups lists none and refuses to create", async () => {
    const ctx = fakeContext({});
    fakeCapabilities(ctx, { securityGroups: { model: "none", reason: "no extension" } });
    expect(await listSecurityGroups(ctx)).toEqual([]);
    await expect(createSecurityGroup(ctx, { name: "x" })).rejects.toThrow("no extension");
  });
});
