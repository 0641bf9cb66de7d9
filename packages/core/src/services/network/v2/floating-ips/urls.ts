import type { NeutronResource } from "../resource.js";

/** Neutron floating IPs: `/floatingips`, `{"floatingip": ...}`, `{"floatingips": [...]}`. */
export const FLOATING_IPS: NeutronResource = {
  path: "/floatingips",
  singular: "floatingip",
  plural: "floatingips",
};
