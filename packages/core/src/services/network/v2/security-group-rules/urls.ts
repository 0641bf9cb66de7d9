import type { NeutronResource } from "../resource.js";

/** Neutron security group rules: `/security-group-rules`, `{"security_group_rule": ...}`. */
export const SECURITY_GROUP_RULES: NeutronResource = {
  path: "/security-group-rules",
  singular: "security_group_rule",
  plural: "security_group_rules",
};
