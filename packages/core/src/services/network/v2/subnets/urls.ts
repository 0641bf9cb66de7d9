import type { NeutronResource } from "../resource.js";

/** Neutron subnets: `/subnets`, `{"subnet": ...}`, `{"subnets": [...]}`. */
export const SUBNETS: NeutronResource = { path: "/subnets", singular: "subnet", plural: "subnets" };
