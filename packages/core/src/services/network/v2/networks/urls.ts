import type { NeutronResource } from "../resource.js";

/** Neutron networks: `/networks`, `{"network": ...}`, `{"networks": [...]}`. */
export const NETWORKS: NeutronResource = { path: "/networks", singular: "network", plural: "networks" };
