/**
 * @oaktree/core: the OpenStack knowledge of oaktree, usable directly from TypeScript.
 * Layers (one direction of dependency; each imports only from those before it):
 * config -> http -> catalog -> auth -> services -> models -> state -> connection -> cloud
 * (docs/decisions/0009-layering.md).
 */

export {
  createDelegatedAuth,
  currentCallerToken,
  type DelegatedAuth,
  type DelegatedAuthOptions,
  NoCallerTokenError,
  withCallerToken,
} from "./auth/delegated.js";
export {
  AuthenticationError,
  createKeystoneAuth,
  DEFAULT_EXPIRY_MARGIN_MS,
  type KeystoneAuth,
  type KeystoneAuthOptions,
} from "./auth/keystone.js";
export type { TokenDomain, TokenInfo, TokenProject, TokenUser } from "./auth/types.js";
export { createTokenValidator, type TokenValidator, type TokenValidatorOptions } from "./auth/validate.js";
export {
  type CatalogEndpoint,
  type CatalogEntry,
  catalogRegions,
  catalogServiceTypes,
  type EndpointInterface,
  type EndpointQuery,
  hasProjectTemplate,
  parseV2Catalog,
  parseV3Catalog,
  type SelectedEndpoint,
  type ServiceCatalog,
  selectEndpoint,
  substituteProjectId,
} from "./catalog/catalog.js";
export {
  createDocumentCache,
  type DebugLogger,
  type DiscoveredVersion,
  type DiscoveryContext,
  type DiscoverySource,
  type DiscoveryTarget,
  type DocumentCache,
  discoverVersion,
  SUPPORTED_MAJOR_VERSIONS,
} from "./catalog/discovery.js";
export {
  CLIENT_MAX_MICROVERSIONS,
  type MicroversionRange,
  microversionHeaders,
  type NegotiatedMicroversions,
  negotiateMicroversion,
} from "./catalog/microversions.js";
export { aliasesOf, candidateTypes, isOfficialType, officialType } from "./catalog/service-types.js";
export { type ApiVersion, parseVersionDocument } from "./catalog/version-document.js";
export * from "./cloud/index.js";
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
export {
  type CloudConnection,
  type ConnectOptions,
  connect,
  type DiscoveredService,
  type ServiceClientRequest,
} from "./connection/connect.js";
export * from "./errors.js";
export * from "./http/clock.js";
export * from "./http/errors.js";
export {
  type HttpObserver,
  type ObservedRequest,
  observe,
} from "./http/interceptors/observe.js";
export {
  classifyError,
  type ErrorClass,
  isRetryable,
  type RetryEvent,
  type RetryOptions,
} from "./http/interceptors/retry.js";
export * from "./http/paginate.js";
export * from "./http/rate-limit.js";
export * from "./http/rate-limit-memory.js";
export * from "./http/rate-limit-redis.js";
export { redactHeaders, redactJson, redactText, redactUrl } from "./http/redact.js";
export {
  callScopedStorage,
  currentRequestId,
  detachFromCall,
  withRequestId,
} from "./http/request-context.js";
export * from "./http/service-client.js";
export * from "./http/stack.js";
export * from "./http/transport.js";
export type * from "./http/types.js";
export * from "./models/flavor.js";
export * from "./models/floating-ip.js";
export * from "./models/image.js";
export * from "./models/keypair.js";
export * from "./models/limits.js";
export { MalformedResourceError } from "./models/malformed.js";
export * from "./models/network.js";
export * from "./models/port.js";
export * from "./models/project.js";
export * from "./models/router.js";
export * from "./models/security-group.js";
export * from "./models/server.js";
export * from "./models/server-addresses.js";
export * from "./models/server-group.js";
export * from "./models/snapshot.js";
export * from "./models/subnet.js";
export * from "./models/volume.js";
export * from "./models/volume-attachment.js";
export * from "./models/volume-type.js";
export * as blockStorage from "./services/block-storage/index.js";
export * as compute from "./services/compute/index.js";
export * as identity from "./services/identity/index.js";
export * as image from "./services/image/index.js";
export * as network from "./services/network/index.js";
export * as objectStore from "./services/object-store/index.js";
export * from "./state/index.js";
export * from "./timestamps.js";
