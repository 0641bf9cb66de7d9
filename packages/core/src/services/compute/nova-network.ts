/**
 * Nova's network proxy APIs for clouds without neutron ("nova-network" clouds): floating IPs,
 * pools, security groups and rules, networks. Every call pins compute microversion 2.35 or
 * lower, since 2.36 answers 404 on them. The addFloatingIp/removeFloatingIp server actions
 * live with the other server actions (v2/servers/actions.ts).
 */

export * from "./v2/floating-ip-pools/requests.js";
export * from "./v2/floating-ips/proxy.js";
export * from "./v2/floating-ips/requests.js";
export * from "./v2/networks/requests.js";
export * from "./v2/security-group-rules/requests.js";
export * from "./v2/security-groups/requests.js";
