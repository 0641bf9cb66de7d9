/**
 * createServer's options: their types, their validation (before any I/O) and their mapping to
 * the compute binding's create options. Split from create-server.ts, which re-exports the types.
 */
import { ValidationError } from "../errors.js";
import type { Server } from "../models/server.js";
import type {
  BlockDeviceMapping,
  CreateServerOptions as CreateServerWireOptions,
} from "../services/compute/v2/servers/requests.js";

/** Server metadata key holding a create's client token (so a retry finds the server). */
export const CLIENT_TOKEN_METADATA_KEY = "oaktree_client_token";

/** Everything createServer accepts; names or ids wherever the cloud has names. */
export interface CreateServerOptions {
  readonly name: string;
  /** Image name or id; not needed when booting from an existing volume (`bootVolume`). */
  readonly image?: string;
  readonly flavor: string;
  /**
   * `"auto"` (get-me-a-network), `"none"`, or network names/ids. Omitted: nova's default
   * (the project's networks; on compute 2.37+ oaktree sends "auto", which means the same).
   */
  readonly network?: "auto" | "none" | string | readonly string[];
  /** Explicit NICs: a port, or a network with a fixed IP. */
  readonly nics?: readonly { readonly network?: string; readonly port?: string; readonly fixedIp?: string }[];
  readonly keyName?: string;
  readonly securityGroups?: readonly string[];
  /** Plain text or bytes; oaktree base64-encodes it as nova wants. */
  readonly userData?: string | Uint8Array;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly configDrive?: boolean;
  readonly availabilityZone?: string;
  /** A server group (name or id): becomes the `group` scheduler hint. */
  readonly serverGroup?: string;
  readonly schedulerHints?: Readonly<Record<string, string | readonly string[]>>;
  /** Boot from a new volume made from `image`, of `volumeSize` GiB. */
  readonly bootFromVolume?: boolean;
  readonly volumeSize?: number;
  /** Boot from this existing (bootable) volume. */
  readonly bootVolume?: string;
  /** Delete the boot volume with the server. Default false (as shade). */
  readonly terminateVolume?: boolean;
  /** More volumes (names or ids) to attach once the server is active. */
  readonly volumes?: readonly string[];
  /** Ensure a reachable address (see decideAutoIp). Default true. */
  readonly autoIp?: boolean;
  /** Attach these existing floating IP addresses instead of choosing. */
  readonly ips?: readonly string[];
  /** Take the floating IP from this external network (neutron) or pool (nova). */
  readonly ipPool?: string;
  /** May an unattached floating IP of the project be reused? Default true (as shade). */
  readonly reuseIps?: boolean;
  /** The network of the port a floating IP should NAT to, when the server has several. */
  readonly natDestination?: string;
  /** Wait for ACTIVE (and the address). Default true: without it no address can be added. */
  readonly wait?: boolean;
  /** For the whole create, in milliseconds. Default 600 000. */
  readonly timeoutMs?: number;
  /** Makes the create idempotent: a retry with the same token returns the same server. */
  readonly clientToken?: string;
  /** Progress, for callers that stream it (the gRPC server). */
  readonly onProgress?: (event: CreateServerProgress) => void;
  readonly signal?: AbortSignal;
}

/** One step of a create, as it happens. */
export type CreateServerProgress =
  | { readonly stage: "resolving" }
  | { readonly stage: "creating-volume" }
  | { readonly stage: "creating"; readonly serverId?: string }
  | { readonly stage: "building"; readonly server: Server }
  | { readonly stage: "attaching-volumes"; readonly server: Server }
  | { readonly stage: "attaching-ip"; readonly server: Server }
  | { readonly stage: "ready"; readonly server: Server }
  | { readonly stage: "rolling-back"; readonly reason: string };

/**
 * Checks createServer's options before any I/O; every error names the offending field.
 * Conflicts: `bootFromVolume` with `bootVolume`, `ips` with `ipPool`, `network` with `nics`.
 */
export function validateCreateServerOptions(options: CreateServerOptions): void {
  if (!options.name?.trim()) throw new ValidationError("name", "must not be empty");
  if (!options.flavor?.trim()) throw new ValidationError("flavor", "must not be empty");
  if (options.image === undefined && options.bootVolume === undefined) {
    throw new ValidationError("image", "required unless bootVolume is given");
  }
  if (options.bootFromVolume) {
    if (options.image === undefined)
      throw new ValidationError("image", "bootFromVolume makes the volume from an image");
    if (options.bootVolume !== undefined)
      throw new ValidationError("bootVolume", "conflicts with bootFromVolume");
    if (!Number.isInteger(options.volumeSize) || (options.volumeSize ?? 0) < 1) {
      throw new ValidationError("volumeSize", "bootFromVolume needs a whole number of GiB, at least 1");
    }
  } else if (options.volumeSize !== undefined) {
    throw new ValidationError("volumeSize", "only used with bootFromVolume");
  }
  if (options.ips && options.ipPool) throw new ValidationError("ips", "conflicts with ipPool");
  if (options.network !== undefined && options.nics !== undefined) {
    throw new ValidationError("nics", "conflicts with network");
  }
  if (options.clientToken !== undefined && !/^[\w.:-]{1,200}$/.test(options.clientToken)) {
    throw new ValidationError("clientToken", "1-200 characters of letters, digits, '_', '.', ':' or '-'");
  }
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) {
    throw new ValidationError("timeoutMs", "must be positive");
  }
}

/** The block device mapping that boots from `volumeId`. */
export function bootMapping(volumeId: string, deleteOnTermination: boolean): BlockDeviceMapping {
  return {
    bootIndex: 0,
    uuid: volumeId,
    sourceType: "volume",
    destinationType: "volume",
    deleteOnTermination,
  };
}

/**
 * The binding's create options from the porcelain's and the ids resolved from its names: the
 * client token goes into metadata, the server group into the `group` scheduler hint, user
 * data is base64-encoded.
 */
export function toWireOptions(
  options: CreateServerOptions,
  resolved: {
    readonly flavorRef: string;
    readonly imageRef?: string;
    readonly networks?: CreateServerWireOptions["networks"];
    readonly blockDeviceMappings?: readonly BlockDeviceMapping[];
    readonly groupId?: string;
  },
): CreateServerWireOptions {
  const metadata = {
    ...options.metadata,
    ...(options.clientToken !== undefined && { [CLIENT_TOKEN_METADATA_KEY]: options.clientToken }),
  };
  const schedulerHints = {
    ...options.schedulerHints,
    ...(resolved.groupId !== undefined && { group: resolved.groupId }),
  };
  return {
    name: options.name,
    flavorRef: resolved.flavorRef,
    ...(resolved.imageRef !== undefined && { imageRef: resolved.imageRef }),
    ...(resolved.networks !== undefined && { networks: resolved.networks }),
    ...(resolved.blockDeviceMappings && { blockDeviceMappings: resolved.blockDeviceMappings }),
    ...(options.keyName !== undefined && { keyName: options.keyName }),
    ...(options.securityGroups !== undefined && { securityGroups: options.securityGroups }),
    ...(options.userData !== undefined && { userData: base64(options.userData) }),
    ...(Object.keys(metadata).length > 0 && { metadata }),
    ...(options.configDrive !== undefined && { configDrive: options.configDrive }),
    ...(options.availabilityZone !== undefined && { availabilityZone: options.availabilityZone }),
    ...(Object.keys(schedulerHints).length > 0 && { schedulerHints }),
  };
}

/** User data as nova wants it: base64 text (bytes as given; text as UTF-8). */
function base64(data: string | Uint8Array): string {
  return Buffer.from(typeof data === "string" ? new TextEncoder().encode(data) : data).toString("base64");
}
