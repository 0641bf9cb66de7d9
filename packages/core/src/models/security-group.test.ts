import { describe, expect, it } from "vitest";
import type { NovaSecurityGroupRuleWire } from "../services/compute/v2/security-group-rules/wire.js";
import type { NovaSecurityGroupWire } from "../services/compute/v2/security-groups/wire.js";
import type { SecurityGroupRuleWire } from "../services/network/v2/security-group-rules/wire.js";
import type { SecurityGroupWire } from "../services/network/v2/security-groups/wire.js";
import { fixture, fixtureFiles } from "../testing/fixtures.js";
import type { NormalizeContext } from "./location.js";
import {
  normalizeNovaSecurityGroup,
  normalizeNovaSecurityGroupRule,
  normalizeSecurityGroup,
  normalizeSecurityGroupRule,
  type SecurityGroupRule,
} from "./security-group.js";
import { expectNothingLost, itemsOf } from "./test-helpers.js";

const ctx: NormalizeContext = {
  cloud: "example",
  region: "RegionOne",
  project: { id: "e4f50856753b4dc6afee5fa6b9b6c550" },
};
const RULE_READ = [
  "id",
  "security_group_id",
  "direction",
  "ethertype",
  "protocol",
  "port_range_min",
  "port_range_max",
  "remote_ip_prefix",
  "remote_group_id",
  "description",
];
const GROUP_READ = [
  "id",
  "name",
  "security_group_rules",
  "stateful",
  "shared",
  "project_id",
  "tenant_id",
  "description",
  "tags",
  "created_at",
  "updated_at",
  "revision_number",
];

describe("neutron security groups", () => {
  it("maps the show sample to the expected model", () => {
    const wire = fixture<{ security_group: SecurityGroupWire }>(
      "network/security-groups/security-group-show-response.json",
    ).security_group;
    const group = normalizeSecurityGroup(wire, ctx);
    expect(group).toMatchObject({
      location: {
        cloud: "example",
        region: "RegionOne",
        project: { id: "e4f50856753b4dc6afee5fa6b9b6c550" },
      },
      id: "85cc3048-abc3-43cc-89b3-377341426ac5",
      name: "default",
      description: "default",
      isStateful: true,
      isShared: false,
      tags: ["tag1,tag2"],
      revisionNumber: 4,
      createdAt: "2018-03-19T19:16:56Z",
      properties: {},
    });
    expect(group.rules).toHaveLength(4);
    const ingress: SecurityGroupRule = {
      id: "c0b09f00-1d49-4e64-a0a7-8a186d928138",
      securityGroupId: "85cc3048-abc3-43cc-89b3-377341426ac5",
      direction: "ingress",
      ethertype: "IPv6",
      remoteGroupId: "85cc3048-abc3-43cc-89b3-377341426ac5",
      properties: {
        project_id: "e4f50856753b4dc6afee5fa6b9b6c550",
        tenant_id: "e4f50856753b4dc6afee5fa6b9b6c550",
        revision_number: 1,
        tags: ["tag1,tag2"],
        created_at: "2018-03-19T19:16:56Z",
        updated_at: "2018-03-19T19:16:56Z",
        belongs_to_default_sg: false,
      },
    };
    expect(group.rules[2]).toEqual(ingress);
  });

  it.each(
    fixtureFiles(
      "network/security-groups",
      /security-group-(create|show|update)-response\.json$|groups-list-response\.json$/,
    ),
  )("normalizes every group in %s", (path) => {
    const groups = itemsOf<SecurityGroupWire>(fixture(path), "security_group", "security_groups");
    expect(groups.length).toBeGreaterThan(0);
    for (const wire of groups) {
      const group = normalizeSecurityGroup(wire, ctx);
      expect(group.rules).toHaveLength(wire.security_group_rules?.length ?? 0);
      expectNothingLost(wire, group, GROUP_READ);
    }
  });

  it.each(fixtureFiles("network/security-groups", /rules?-.*response\.json$/))(
    "normalizes every rule in %s",
    (path) => {
      const rules = itemsOf<SecurityGroupRuleWire>(
        fixture(path),
        "security_group_rule",
        "security_group_rules",
      );
      expect(rules.length).toBeGreaterThan(0);
      for (const wire of rules) {
        const rule = normalizeSecurityGroupRule(wire);
        expect(rule.direction).toBe(wire.direction);
        expect(rule.portRangeMin ?? null).toBe(
          wire.port_range_min === null ? null : Number(wire.port_range_min),
        );
        expectNothingLost(wire, rule, RULE_READ);
      }
    },
  );
});

describe("nova-network security groups", () => {
  it("maps nova's rule shape to the same model (ingress only, cidr, group name)", () => {
    const wire = fixture<{ security_group_rule: NovaSecurityGroupRuleWire }>(
      "nova-network/os-security-groups/security-group-rules-post-resp.json",
    ).security_group_rule;
    const expected: SecurityGroupRule = {
      id: "baed7fb4-16b9-4b99-a2fd-02d0b1a4d9b2",
      securityGroupId: "d6f86d8c-06ef-4bef-8e7c-8bf8f9ba9b7a",
      direction: "ingress",
      ethertype: "IPv4",
      protocol: "tcp",
      portRangeMin: 22,
      portRangeMax: 22,
      remoteIpPrefix: "10.0.0.0/24",
      properties: {},
    };
    expect(normalizeNovaSecurityGroupRule(wire)).toEqual(expected);
    const icmpFromGroup = normalizeNovaSecurityGroupRule({
      ...wire,
      id: 3,
      parent_group_id: 9,
      ip_protocol: "ICMP",
      from_port: -1,
      to_port: -1,
      ip_range: {},
      group: { name: "web", tenant_id: "p2" },
    });
    expect(icmpFromGroup).toEqual({
      id: "3",
      securityGroupId: "9",
      direction: "ingress",
      ethertype: "IPv4",
      protocol: "icmp",
      properties: { remoteGroupName: "web", remoteGroupProjectId: "p2" },
    });
  });

  it("maps nova's group shape to the same model", () => {
    const wire = fixture<{ security_group: NovaSecurityGroupWire }>(
      "nova-network/os-security-groups/security-groups-get-resp.json",
    ).security_group;
    expect(normalizeNovaSecurityGroup(wire, ctx)).toEqual({
      location: {
        cloud: "example",
        region: "RegionOne",
        project: { id: "6f70656e737461636b20342065766572" },
      },
      id: "4e469db4-3b60-43c7-8dfa-2c60e2f27075",
      name: "default",
      description: "default",
      rules: [],
      tags: [],
      properties: {},
    });
  });

  it.each(fixtureFiles("nova-network/os-security-groups", /groups-.*resp\.json$/))(
    "normalizes every group in %s",
    (path) => {
      const groups = itemsOf<NovaSecurityGroupWire>(fixture(path), "security_group", "security_groups");
      expect(groups.length).toBeGreaterThan(0);
      for (const wire of groups) {
        const group = normalizeNovaSecurityGroup(wire, ctx);
        expect(group.id).toBe(String(wire.id));
        expect(group.rules).toHaveLength(wire.rules?.length ?? 0);
      }
    },
  );
});
