import { Code } from "@connectrpc/connect";
import { afterEach, describe, expect, it } from "vitest";
import { Direction, SecurityGroupService } from "../gen/oaktree/v1/security_group_pb.js";
import { failure, violatedField } from "../testing/calls.js";
import { type SimServer, startSimServer } from "../testing/sim-server.js";

let s: SimServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe.each(["modern", "nova-network"] as const)("SecurityGroupService on %s", (profile) => {
  it("create a group, add and delete a rule, get, list with filters, delete; NOT_FOUND once gone", async () => {
    s = await startSimServer(profile);
    const client = s.client(SecurityGroupService);
    const { securityGroup } = await client.createSecurityGroup({ name: "web", description: "web servers" });
    expect(securityGroup?.name).toBe("web");
    const { rule } = await client.createSecurityGroupRule({
      securityGroup: "web",
      direction: Direction.INGRESS,
      protocol: "tcp",
      portRangeMin: 22,
      portRangeMax: 22,
      remoteIpPrefix: "192.0.2.0/24",
    });
    expect(rule).toMatchObject({
      securityGroupId: securityGroup?.id,
      direction: Direction.INGRESS,
      protocol: "tcp",
      portRangeMin: 22,
      portRangeMax: 22,
      remoteIpPrefix: "192.0.2.0/24",
    });
    const got = await client.getSecurityGroup({ nameOrId: "web" });
    expect(got.securityGroup?.rules.map((r) => r.id)).toContain(rule?.id);
    const listed = await client.listSecurityGroups({ filter: { fields: { name: "web" } } });
    expect(listed.securityGroups.map((g) => g.id)).toEqual([securityGroup?.id]);
    const withSsh = await client.listSecurityGroups({
      filter: { jmespath: "[?rules[?port_range_min==`22`]]" },
    });
    expect(withSsh.securityGroups.map((g) => g.id)).toEqual([securityGroup?.id]);

    await client.deleteSecurityGroupRule({ id: rule?.id ?? "" });
    expect(
      (await client.getSecurityGroup({ nameOrId: "web" })).securityGroup?.rules.map((r) => r.id),
    ).not.toContain(rule?.id);
    await client.deleteSecurityGroup({ nameOrId: "web" });
    expect((await failure(() => client.getSecurityGroup({ nameOrId: "web" }))).code).toBe(Code.NotFound);
    expect((await failure(() => client.deleteSecurityGroup({ nameOrId: "web" }))).code).toBe(Code.NotFound);
  });

  const rule = (fields: Record<string, unknown>) => (c: SimServer) =>
    c.client(SecurityGroupService).createSecurityGroupRule({ securityGroup: "default", ...fields });
  it.each([
    [
      "a rule without security_group",
      (c: SimServer) => c.client(SecurityGroupService).createSecurityGroupRule({}),
      "security_group",
    ],
    ["a direction out of the enum", rule({ direction: 7 }), "direction"],
    ["a port above 65535", rule({ protocol: "tcp", portRangeMin: 1, portRangeMax: 70000 }), "port_range_max"],
    ["a negative port", rule({ protocol: "tcp", portRangeMin: -1 }), "port_range_min"],
    [
      "a port range min above max",
      rule({ protocol: "tcp", portRangeMin: 90, portRangeMax: 80 }),
      "port_range_min",
    ],
    ["a port range without protocol", rule({ portRangeMin: 80, portRangeMax: 80 }), "protocol"],
    ["an ethertype IPv5", rule({ ethertype: "IPv5" }), "ethertype"],
    [
      "remote_group with remote_ip_prefix",
      rule({ remoteGroup: "default", remoteIpPrefix: "0.0.0.0/0" }),
      "remote_group",
    ],
    [
      "a group without name",
      (c: SimServer) => c.client(SecurityGroupService).createSecurityGroup({}),
      "name",
    ],
  ] as const)("%s is INVALID_ARGUMENT naming its field, with no cloud call", async (_, call, field) => {
    s = await startSimServer(profile);
    s.sim.admin.reset();
    const error = await failure(() => call(s as SimServer));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(violatedField(error)).toBe(field);
    expect(s.sim.admin.log()).toEqual([]);
  });
});

describe("SecurityGroupService on nova-network", () => {
  it("an egress rule is FAILED_PRECONDITION: nova-network has ingress rules only", async () => {
    s = await startSimServer("nova-network");
    const error = await failure(() =>
      (s as SimServer).client(SecurityGroupService).createSecurityGroupRule({
        securityGroup: "default",
        direction: Direction.EGRESS,
      }),
    );
    expect(error.code).toBe(Code.FailedPrecondition);
  });
});
