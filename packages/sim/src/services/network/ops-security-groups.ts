/** Security group operations (the per-project `default` group, rules). */
import type { SecurityGroupRecord } from "../../core/records.js";
import type { World } from "../../core/world.js";
import { checkNetworkQuota, stamps } from "./ops-common.js";

/** The project's `default` security group, created on first use (as neutron does). */
export function defaultSecurityGroup(world: World, projectId: string): SecurityGroupRecord {
  const existing = world.securityGroups.ofProject(projectId).find((g) => g.name === "default");
  if (existing) return existing;
  const sg = world.securityGroups.insert({
    id: world.ids.uuid(),
    seq: world.ids.seq(),
    project_id: projectId,
    name: "default",
    description: "Default security group",
    stateful: true,
    tags: [],
    ...stamps(world),
  });
  for (const ethertype of ["IPv4", "IPv6"] as const) {
    addRule(world, sg, { direction: "egress", ethertype });
    addRule(world, sg, { direction: "ingress", ethertype, remote_group_id: sg.id });
  }
  return sg;
}

/** Creates a security group (quota checked). */
export function createSecurityGroup(
  world: World,
  projectId: string,
  name: string,
  description = "",
): SecurityGroupRecord {
  defaultSecurityGroup(world, projectId);
  checkNetworkQuota(world, projectId, "security_group", world.securityGroups.ofProject(projectId).length);
  const sg = world.securityGroups.insert({
    id: world.ids.uuid(),
    seq: world.ids.seq(),
    project_id: projectId,
    name,
    description,
    stateful: true,
    tags: [],
    ...stamps(world),
  });
  for (const ethertype of ["IPv4", "IPv6"] as const) addRule(world, sg, { direction: "egress", ethertype });
  return sg;
}

/** Adds a rule to a group. */
export function addRule(
  world: World,
  sg: SecurityGroupRecord,
  r: Partial<Omit<import("../../core/records.js").SecurityGroupRuleRecord, "id" | "seq">> & {
    direction: "ingress" | "egress";
    ethertype: "IPv4" | "IPv6";
  },
) {
  return world.securityGroupRules.insert({
    id: world.ids.uuid(),
    seq: world.ids.seq(),
    project_id: sg.project_id,
    security_group_id: sg.id,
    protocol: null,
    port_range_min: null,
    port_range_max: null,
    remote_ip_prefix: null,
    remote_group_id: null,
    description: "",
    ...stamps(world),
    ...r,
  });
}
