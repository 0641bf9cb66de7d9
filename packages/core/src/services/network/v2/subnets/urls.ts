import type { NeutronResource } from "../resource.js";

/** Neutron subnets: `/subnets`, `{"subnet": ...}`, `{"subnets": [...]}`. */
export const SUBNETS: NeutronResource = { path: "/subnets", singular: "subnet", plural: "subnets" };

/** `/subnets/{id}`. */
export function subnetPath(id: string): string {
  return `/subnets/${encodeURIComponent(id)}`;
}
