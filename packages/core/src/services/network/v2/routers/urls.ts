import type { NeutronResource } from "../resource.js";

/** Neutron routers: `/routers`, `{"router": ...}`, `{"routers": [...]}`. */
export const ROUTERS: NeutronResource = { path: "/routers", singular: "router", plural: "routers" };

/** `/routers/{id}`. */
export function routerPath(id: string): string {
  return `/routers/${encodeURIComponent(id)}`;
}

/** `/routers/{id}/add_router_interface` or `/remove_router_interface`. */
export function routerInterfacePath(id: string, verb: "add" | "remove"): string {
  return `${routerPath(id)}/${verb}_router_interface`;
}
