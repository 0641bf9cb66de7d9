import type { NovaSecurityGroupRuleWire } from "../services/compute/v2/security-group-rules/wire.js";
import type { NovaSecurityGroupWire } from "../services/compute/v2/security-groups/wire.js";
import type { SecurityGroupRuleWire } from "../services/network/v2/security-group-rules/wire.js";
import type { SecurityGroupWire } from "../services/network/v2/security-groups/wire.js";
import { type Location, locationOf, type NormalizeContext } from "./location.js";
import { definedOnly, restOf, str } from "./model-helpers.js";
import { projectIdOf, STANDARD_KEYS, type StandardFields, standardFields } from "./neutron-fields.js";

/** One rule of a security group, from neutron or nova-network. */
export interface SecurityGroupRule {
  readonly id: string;
  readonly securityGroupId: string;
  readonly direction: "ingress" | "egress";
  readonly ethertype: "IPv4" | "IPv6";
  /** tcp, udp, icmp, a number as a string; absent for any protocol. */
  readonly protocol?: string;
  /** Absent for any port (or any ICMP type). */
  readonly portRangeMin?: number;
  readonly portRangeMax?: number;
  readonly remoteIpPrefix?: string;
  /** Neutron only: nova names the group (properties.remoteGroupName) instead. */
  readonly remoteGroupId?: string;
  readonly description?: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** A security group with its rules, from neutron or nova-network, in one shape. */
export interface SecurityGroup extends StandardFields {
  readonly location: Location;
  readonly id: string;
  readonly name: string;
  readonly rules: readonly SecurityGroupRule[];
  /** Neutron's "stateful-security-group" extension; absent elsewhere. */
  readonly isStateful?: boolean;
  readonly isShared?: boolean;
  readonly properties: Readonly<Record<string, unknown>>;
}

const RULE_CONSUMED = new Set([
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
]);

const port = (value: unknown): number | undefined =>
  typeof value === "number" && value >= 0 ? value : undefined;

/** Normalizes a neutron security group rule. */
export function normalizeSecurityGroupRule(wire: SecurityGroupRuleWire): SecurityGroupRule {
  return {
    id: wire.id,
    securityGroupId: wire.security_group_id,
    direction: wire.direction === "egress" ? "egress" : "ingress",
    ethertype: wire.ethertype === "IPv6" ? "IPv6" : "IPv4",
    ...definedOnly({
      protocol: str(wire.protocol),
      portRangeMin: port(wire.port_range_min),
      portRangeMax: port(wire.port_range_max),
      remoteIpPrefix: str(wire.remote_ip_prefix),
      remoteGroupId: str(wire.remote_group_id),
      description: str(wire.description),
    }),
    properties: restOf(wire, RULE_CONSUMED),
  };
}

const GROUP_CONSUMED = new Set([
  ...STANDARD_KEYS,
  "id",
  "name",
  "security_group_rules",
  "stateful",
  "shared",
]);

/** Normalizes a neutron security group and its rules. */
export function normalizeSecurityGroup(wire: SecurityGroupWire, ctx: NormalizeContext): SecurityGroup {
  return {
    location: locationOf(ctx, projectIdOf(wire)),
    id: wire.id,
    name: wire.name ?? "",
    rules: (wire.security_group_rules ?? []).map(normalizeSecurityGroupRule),
    ...definedOnly({
      isStateful: typeof wire.stateful === "boolean" ? wire.stateful : undefined,
      isShared: typeof wire.shared === "boolean" ? wire.shared : undefined,
    }),
    ...standardFields(wire),
    properties: restOf(wire, GROUP_CONSUMED),
  };
}

/**
 * Normalizes a nova-network rule.
 * NOTE: nova rules are ingress only; -1 ports mean any (ICMP type/code) and become absent;
 * the ethertype follows the CIDR (IPv4 when there is none, as nova-network is IPv4 first);
 * a group rule names its source group (`group.name`), kept as `properties.remoteGroupName`.
 */
export function normalizeNovaSecurityGroupRule(wire: NovaSecurityGroupRuleWire): SecurityGroupRule {
  const cidr = str(wire.ip_range?.cidr);
  const groupName = str(wire.group?.name);
  const rest = restOf(
    wire,
    new Set(["id", "parent_group_id", "ip_protocol", "from_port", "to_port", "ip_range", "group"]),
  );
  return {
    id: String(wire.id),
    securityGroupId: String(wire.parent_group_id),
    direction: "ingress",
    ethertype: cidr?.includes(":") ? "IPv6" : "IPv4",
    ...definedOnly({
      protocol: str(wire.ip_protocol)?.toLowerCase(),
      portRangeMin: port(wire.from_port),
      portRangeMax: port(wire.to_port),
      remoteIpPrefix: cidr,
    }),
    properties: {
      ...rest,
      ...(groupName !== undefined && { remoteGroupName: groupName }),
      ...(str(wire.group?.tenant_id) !== undefined && { remoteGroupProjectId: wire.group.tenant_id }),
    },
  };
}

/** Normalizes a nova-network security group (os-security-groups) and its rules. */
export function normalizeNovaSecurityGroup(
  wire: NovaSecurityGroupWire,
  ctx: NormalizeContext,
): SecurityGroup {
  return {
    location: locationOf(ctx, wire.tenant_id),
    id: String(wire.id),
    name: wire.name ?? "",
    rules: (wire.rules ?? []).map(normalizeNovaSecurityGroupRule),
    ...definedOnly({ description: str(wire.description) }),
    tags: [],
    properties: restOf(wire, new Set(["id", "name", "description", "tenant_id", "rules"])),
  };
}
