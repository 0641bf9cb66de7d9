import type { NeutronResource } from "../resource.js";

/** Neutron ports: `/ports`, `{"port": ...}`, `{"ports": [...]}`. */
export const PORTS: NeutronResource = { path: "/ports", singular: "port", plural: "ports" };
