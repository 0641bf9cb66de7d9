import type { NeutronResource } from "../resource.js";

/** Neutron security groups: `/security-groups`, `{"security_group": ...}`. */
export const SECURITY_GROUPS: NeutronResource = {
  path: "/security-groups",
  singular: "security_group",
  plural: "security_groups",
};
