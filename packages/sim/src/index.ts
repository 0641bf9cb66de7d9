/**
 * `@oaktree/sim`: an OpenStack API simulator (keystone, nova, neutron, glance, cinder, swift) with
 * profiles, a request log, counters and fault injection. Independent of `@oaktree/core`.
 */
export type { SimAdmin } from "./admin/admin.js";
export { parseFaultRules } from "./admin/fault-file.js";
export { parseSeed, type SeedResult, type SeedSpec } from "./admin/seed.js";
export { type FaultKind, type FaultRule, validateFaultRule } from "./core/faults.js";
export type { LogEntry } from "./core/request-log.js";
export type { CatalogService, ServiceModule, SimState } from "./core/service.js";
export { getProfile, PROFILE_NAMES, type Profile, type ProfileName } from "./profiles.js";
export { type Simulator, type SimulatorOptions, startSimulator } from "./simulator.js";
