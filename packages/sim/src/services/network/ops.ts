/**
 * Network operations shared by neutron's API, nova (server ports, nova-network) and the seeds.
 * They enforce neutron's rules (quotas, IP allocation, one floating IP per port) and throw
 * `SimError`s with neutron's error types.
 */

export * from "./ops-common.js";
export * from "./ops-floating-ips.js";
export * from "./ops-networks.js";
export * from "./ops-ports.js";
export * from "./ops-routers.js";
export * from "./ops-security-groups.js";
