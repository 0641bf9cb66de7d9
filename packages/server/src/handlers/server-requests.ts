import type { CreateServerOptions } from "@oaktree/core";
import { invalidArgument } from "../errors.js";
import type { CreateServerRequest, DeleteServerRequest } from "../gen/oaktree/v1/server_pb.js";

/** What a client token may hold (as core's CreateServerOptions.clientToken). */
const CLIENT_TOKEN = /^[\w.:-]{1,200}$/;

/** The network words get-me-a-network understands; each must stand alone in `networks`. */
const NETWORK_WORDS = new Set(["auto", "none"]);

/**
 * Checks a CreateServerRequest before any cloud call: every error is INVALID_ARGUMENT naming
 * the proto field (core checks the same rules again, under its own option names).
 */
export function validateCreateServerRequest(request: CreateServerRequest): void {
  if (!request.name.trim()) throw invalidArgument("name", "required");
  if (!request.flavor.trim()) throw invalidArgument("flavor", "required (a flavor name or id)");
  if (!request.image.trim() && !request.bootVolume.trim()) {
    throw invalidArgument("image", "required unless boot_volume is given");
  }
  if (request.volumeSize < 0) throw invalidArgument("volume_size", "must not be negative");
  if (request.bootFromVolume) {
    if (!request.image.trim())
      throw invalidArgument("image", "boot_from_volume makes the volume from an image");
    if (request.bootVolume) throw invalidArgument("boot_volume", "conflicts with boot_from_volume");
    if (request.volumeSize < 1)
      throw invalidArgument("volume_size", "boot_from_volume needs a size in GiB, at least 1");
  } else if (request.volumeSize !== 0) {
    throw invalidArgument("volume_size", "only used with boot_from_volume");
  }
  if (request.ips.length > 0 && request.ipPool) throw invalidArgument("ips", "conflicts with ip_pool");
  if (request.networks.length > 0 && request.nics.length > 0) {
    throw invalidArgument("nics", "conflicts with networks");
  }
  request.networks.forEach((network, i) => {
    if (!network.trim()) throw invalidArgument(`networks[${i}]`, "must not be empty");
    if (NETWORK_WORDS.has(network) && request.networks.length > 1) {
      throw invalidArgument(`networks[${i}]`, `"${network}" must be the only entry`);
    }
  });
  request.nics.forEach((nic, i) => {
    if (!nic.network && !nic.port) throw invalidArgument(`nics[${i}]`, "needs a network or a port");
    if (nic.network && nic.port) throw invalidArgument(`nics[${i}].port`, "conflicts with network");
  });
  if (request.clientToken && !CLIENT_TOKEN.test(request.clientToken)) {
    throw invalidArgument("client_token", "1-200 characters of letters, digits, '_', '.', ':' or '-'");
  }
  if (request.timeoutSeconds < 0) throw invalidArgument("timeout_seconds", "must not be negative");
}

/**
 * core's createServer options from a validated request. Unset optional fields stay unset so
 * that core's defaults apply (auto_ip, wait, reuse_ips: true); empty strings and lists mean
 * "not given".
 */
export function toCreateServerOptions(request: CreateServerRequest): CreateServerOptions {
  return {
    name: request.name,
    flavor: request.flavor,
    ...(request.image && { image: request.image }),
    ...(networkOption(request.networks) !== undefined && { network: networkOption(request.networks) }),
    ...(request.nics.length > 0 && {
      nics: request.nics.map((nic) => ({
        ...(nic.network && { network: nic.network }),
        ...(nic.port && { port: nic.port }),
        ...(nic.fixedIp && { fixedIp: nic.fixedIp }),
      })),
    }),
    ...(request.autoIp !== undefined && { autoIp: request.autoIp }),
    ...(request.ipPool && { ipPool: request.ipPool }),
    ...(request.ips.length > 0 && { ips: request.ips }),
    ...(request.reuseIps !== undefined && { reuseIps: request.reuseIps }),
    ...(request.natDestination && { natDestination: request.natDestination }),
    ...(request.bootFromVolume && { bootFromVolume: true, volumeSize: request.volumeSize }),
    ...(request.bootVolume && { bootVolume: request.bootVolume }),
    ...(request.terminateVolume && { terminateVolume: true }),
    ...(request.volumes.length > 0 && { volumes: request.volumes }),
    ...(request.keyName && { keyName: request.keyName }),
    ...(request.securityGroups.length > 0 && { securityGroups: request.securityGroups }),
    ...(request.userData.length > 0 && { userData: request.userData }),
    ...(Object.keys(request.metadata).length > 0 && { metadata: request.metadata }),
    ...(request.availabilityZone && { availabilityZone: request.availabilityZone }),
    ...(request.configDrive && { configDrive: true }),
    ...(request.serverGroup && { serverGroup: request.serverGroup }),
    ...(request.wait !== undefined && { wait: request.wait }),
    ...(request.clientToken && { clientToken: request.clientToken }),
  };
}

/** `networks` as core's network option: ["auto"] and ["none"] are words, [] is the default. */
function networkOption(networks: readonly string[]): CreateServerOptions["network"] {
  if (networks.length === 0) return undefined;
  const [first] = networks;
  if (networks.length === 1 && (first === "auto" || first === "none")) return first;
  return [...networks];
}

/** Checks a DeleteServerRequest before any cloud call. */
export function validateDeleteServerRequest(request: DeleteServerRequest): void {
  if (!request.nameOrId.trim()) throw invalidArgument("name_or_id", "required");
  if (request.timeoutSeconds < 0) throw invalidArgument("timeout_seconds", "must not be negative");
}

/**
 * The milliseconds an operation may take: `timeout_seconds` (0: core's default) bounded by the
 * call's deadline when there is one.
 */
export function timeoutOf(timeoutSeconds: number, deadlineMs: number | undefined): number | undefined {
  const asked = timeoutSeconds > 0 ? timeoutSeconds * 1000 : undefined;
  if (deadlineMs === undefined) return asked;
  // A deadline already passed still gives core a positive timeout (it fails at once).
  const bounded = Math.max(1, deadlineMs);
  return asked === undefined ? bounded : Math.min(asked, bounded);
}
