/**
 * Neutron (service type "network", API v2.0) REST bindings. Functions take the network
 * ServiceClient first and return the API's wire types; models/ normalizes them.
 */

export type { QueryName, QueryNames } from "../query.js";
export * from "./v2/auto-allocated-topology/requests.js";
export * from "./v2/extensions/requests.js";
export * from "./v2/floating-ips/requests.js";
export * from "./v2/networks/requests.js";
export * from "./v2/ports/requests.js";
export type { NeutronListOptions } from "./v2/query.js";
export * from "./v2/quotas/requests.js";
export * from "./v2/routers/requests.js";
export * from "./v2/security-group-rules/requests.js";
export * from "./v2/security-groups/requests.js";
export * from "./v2/subnets/requests.js";
export * from "./v2/tags/requests.js";
export type { TaggableResource } from "./v2/tags/urls.js";
