/**
 * The porcelain: one `Cloud` per cloud, region and project, and the types of its operations.
 * The logic lives in one module per concern (create-server.ts, floating-ips.ts, ...); the pure
 * decision functions are exported too, since their doc comments are the decision tables.
 */
export { type AutoIpDecision, decideAutoIp } from "./auto-ip.js";
export {
  type CapabilityOptions,
  decideFloatingIpModel,
  decideGetMeANetwork,
  decideImageUploadMethods,
  decideSecurityGroupModel,
} from "./capabilities.js";
export { Cloud, type OpenCloudOptions } from "./cloud.js";
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
export {
  type AttachFloatingIpOptions,
  type CleanupFloatingIpsOptions,
  type CreateFloatingIpOptions,
  FloatingIpError,
  OAKTREE_FLOATING_IP_MARK,
} from "./floating-ips.js";
export { AmbiguousNetworkError, GetMeANetworkError, type NetworkVerdict } from "./get-me-a-network.js";
export { type CreateImageOptions, type CreateImageResult, ImageCreateError } from "./image-upload.js";
export type { NatDestination } from "./nat-destination.js";
export { Rollback } from "./rollback.js";
export type { ListServersPorcelainOptions, WaitOptions } from "./servers.js";
export { type CreateVolumeOptions, VolumeCreateError, VolumeWaitError } from "./volumes.js";
