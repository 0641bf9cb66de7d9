/**
 * The porcelain: one `Cloud` per cloud, region and project, and the types of its operations.
 * The logic lives in one module per concern (create-server.ts, floating-ips.ts, ...); the pure
 * decision functions are exported too, since their doc comments are the decision tables.
 */

// The changes the facade's update calls take (the bindings' option bags, camelCase).
export type { UpdateNetworkOptions } from "../services/network/v2/networks/requests.js";
export type { UpdatePortOptions } from "../services/network/v2/ports/requests.js";
export type { UpdateSubnetOptions } from "../services/network/v2/subnets/requests.js";
export { type AutoIpDecision, decideAutoIp } from "./auto-ip.js";
export {
  type CapabilityOptions,
  decideFloatingIpModel,
  decideGetMeANetwork,
  decideImageUploadMethods,
  decideSecurityGroupModel,
} from "./capabilities.js";
export {
  type ClientTokenRecord,
  listClientTokenRecords,
} from "./client-token.js";
export {
  type CallOptions,
  Cloud,
  type OpenCloudOptions,
  type ServerLookupOptions,
  type ServerWaitOptions,
} from "./cloud.js";
export { type CloudContext, type CloudOptions, createCloudContext } from "./context.js";
export {
  CLIENT_TOKEN_METADATA_KEY,
  type CreateServerOptions,
  type CreateServerProgress,
  type CreateServerResult,
  ServerCreateError,
} from "./create-server.js";
export type { DeleteServerOptions, DeleteServerResult } from "./delete-server.js";
export { AmbiguousNameError, type FilterOptions, ResourceNotFoundError } from "./find.js";
export type { FlavorConstraints, ListFlavorsOptions } from "./flavors.js";
export type { CreateFloatingIpForOptions, FloatingIpRefOptions } from "./floating-ip-refs.js";
export {
  type AttachFloatingIpOptions,
  type CleanupFloatingIpsOptions,
  type CreateFloatingIpOptions,
  FloatingIpError,
  OAKTREE_FLOATING_IP_MARK,
} from "./floating-ips.js";
export {
  AmbiguousNetworkError,
  type EnsureNetworkOptions,
  GetMeANetworkError,
  type NetworkVerdict,
} from "./get-me-a-network.js";
export {
  type CreateImageOptions,
  type CreateImageResult,
  ImageCreateError,
  ImageUploadRetryError,
} from "./image-upload.js";
export type {
  DeleteImageOptions,
  ImageCallOptions,
  ImagePropertyChanges,
  ListImagesOptions,
} from "./images.js";
export type { CreateKeypairOptions, KeypairCallOptions } from "./keypairs.js";
export {
  FLOATING_IP_MARK_PREFIX,
  isOaktreeFloatingIp,
  MANAGED_METADATA_KEY,
  parseFloatingIpMark,
  TOKEN_HASH_METADATA_KEY,
  tokenHash,
} from "./markers.js";
export type { NatDestination } from "./nat-destination.js";
export type {
  CreateNetworkOptions,
  CreateSubnetOptions,
  ListNetworksOptions,
  ListSubnetsOptions,
  NetworkCallOptions,
} from "./networks.js";
export type { CreatePortOptions, ListPortsOptions } from "./ports.js";
export {
  DELIVERED_RETENTION_MS,
  type ReclaimOptions,
  type ReclaimReport,
  reclaimAbandoned,
} from "./reclaim.js";
export { CLEANUP_GRACE_MS, Rollback } from "./rollback.js";
export type { CreateRouterOptions, ListRoutersOptions, RouterInterfaceTarget } from "./routers.js";
export type {
  AddSecurityGroupRuleOptions,
  CreateSecurityGroupOptions,
  SecurityGroupCallOptions,
} from "./security-groups.js";
export type { ListServersPorcelainOptions, WaitOptions } from "./servers.js";
export type { CreateVolumeFromOptions } from "./volume-refs.js";
export {
  type CreateVolumeOptions,
  type VolumeCallOptions,
  VolumeCreateError,
  VolumeWaitError,
  type VolumeWaitOptions,
} from "./volumes.js";

/** The changes {@link Cloud.updateRouter} takes. */
export type RouterChanges = Parameters<typeof import("./routers.js").updateRouter>[2];
