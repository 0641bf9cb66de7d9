/**
 * @oaktree/core: the OpenStack knowledge of oaktree, usable directly from TypeScript.
 * Layers (one direction of dependency): config -> http -> auth -> catalog -> services -> models -> state -> cloud.
 */

export { ConfigError, type ConfigOrigin, type OriginKind } from "./config/errors.js";
export {
  type ConfigFile,
  type ConfigFileCandidates,
  type ConfigSources,
  type Env,
  type FileReader,
  findConfigFiles,
  readConfigSources,
  readConfigSourcesFromDisk,
} from "./config/files.js";
export { formatCloudConfig } from "./config/format.js";
export {
  type DiskLoadOptions,
  type ListOptions,
  type LoadOptions,
  listCloudConfigs,
  listCloudConfigsFromDisk,
  loadCloudConfig,
  loadCloudConfigFromDisk,
} from "./config/load.js";
export { MASK, maskSecrets } from "./config/mask.js";
export { officialServiceType } from "./config/service-types.js";
export type * from "./config/types.js";
export { shippedVendorProfiles, type VendorProfile } from "./config/vendors.js";
export * from "./errors.js";
export * from "./http/clock.js";
export * from "./http/errors.js";
export {
  classifyError,
  type ErrorClass,
  isRetryable,
  type RetryEvent,
  type RetryOptions,
} from "./http/interceptors/retry.js";
export * from "./http/paginate.js";
export { redactHeaders, redactJson, redactText, redactUrl } from "./http/redact.js";
export * from "./http/service-client.js";
export * from "./http/stack.js";
export * from "./http/transport.js";
export type * from "./http/types.js";
export * from "./state/rate-limit.js";
export * from "./state/rate-limit-memory.js";
