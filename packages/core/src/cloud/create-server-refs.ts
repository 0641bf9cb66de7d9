/**
 * createServer's first step: every name its options hold resolved, and every option that
 * names something in the cloud checked, with reads only, before anything is created.
 */
import { ValidationError } from "../errors.js";
import { NotFoundError } from "../http/errors.js";
import type { FloatingIp } from "../models/floating-ip.js";
import { listNovaFloatingIpPools } from "../services/compute/v2/floating-ip-pools/requests.js";
import type {
  CreateServerOptions as CreateServerWireOptions,
  ServerNetworkRequest,
} from "../services/compute/v2/servers/requests.js";
import { getPort } from "../services/network/v2/ports/requests.js";
import type { CloudContext } from "./context.js";
import type { CreateServerOptions } from "./create-server-options.js";
import { ResourceNotFoundError } from "./find.js";
import { floatingIpSource } from "./floating-ip-source.js";
import { floatingNetwork, listFloatingIps } from "./floating-ips.js";
import { findKeypair } from "./keypairs.js";
import { findSecurityGroupId } from "./security-groups.js";
import {
  resolveFlavorId,
  resolveImageId,
  resolveNetworkIds,
  resolveServerGroupId,
  resolveVolumeId,
} from "./server-refs.js";

/** Everything a createServer call names, resolved; see {@link resolveServerRefs}. */
export interface ServerRefs {
  readonly flavorRef: string;
  readonly imageRef?: string;
  /**
   * Nova's `networks` for named networks, `nics` and `"none"`; undefined for `"auto"` and for
   * the default, which createServer decides itself (get-me-a-network creates, so it comes later).
   */
  readonly networks?: CreateServerWireOptions["networks"];
  readonly bootVolumeId?: string;
  readonly extraVolumeIds: readonly string[];
  readonly groupId?: string;
  /** The floating IPs `ips` names, in its order (checked to exist, not yet to be free). */
  readonly ips: readonly FloatingIp[];
}

/**
 * Resolves and checks every name createServer's options hold, with reads only, before
 * createServer writes anything: flavor, image, networks and NICs (with their ports), volumes,
 * server group, keypair, security groups, the `ips` addresses, the `ipPool` and the
 * `natDestination` network. Whatever the path, a name that matches nothing is a
 * ResourceNotFoundError naming its kind and the name; several matches an AmbiguousNameError.
 */
export async function resolveServerRefs(
  ctx: CloudContext,
  options: CreateServerOptions,
): Promise<ServerRefs> {
  const signal = options.signal;
  const [flavorRef, imageRef, networks, bootVolumeId, extraVolumeIds, groupId, ips] = await Promise.all([
    resolveFlavorId(ctx, options.flavor, signal),
    options.image !== undefined ? resolveImageId(ctx, options.image, signal) : undefined,
    resolveNamedNetworks(ctx, options),
    options.bootVolume !== undefined ? resolveVolumeId(ctx, options.bootVolume, signal) : undefined,
    Promise.all((options.volumes ?? []).map((volume) => resolveVolumeId(ctx, volume, signal))),
    options.serverGroup !== undefined ? resolveServerGroupId(ctx, options.serverGroup, signal) : undefined,
    resolveFloatingIps(ctx, options.ips ?? [], signal),
    options.keyName !== undefined ? requireKeypair(ctx, options.keyName, signal) : undefined,
    Promise.all((options.securityGroups ?? []).map((group) => requireSecurityGroup(ctx, group, signal))),
    options.ipPool !== undefined ? requireIpPool(ctx, options.ipPool, signal) : undefined,
    options.natDestination !== undefined
      ? resolveNetworkIds(ctx, [options.natDestination], signal)
      : undefined,
  ]);
  return {
    flavorRef,
    ...(imageRef !== undefined && { imageRef }),
    ...(networks !== undefined && { networks }),
    ...(bootVolumeId !== undefined && { bootVolumeId }),
    extraVolumeIds,
    ...(groupId !== undefined && { groupId }),
    ips,
  };
}

async function resolveNamedNetworks(
  ctx: CloudContext,
  options: CreateServerOptions,
): Promise<CreateServerWireOptions["networks"] | undefined> {
  const { network, nics, signal } = options;
  if (nics !== undefined) {
    const [ids] = await Promise.all([
      resolveNetworkIds(
        ctx,
        nics.flatMap((nic) => (nic.network !== undefined ? [nic.network] : [])),
        signal,
      ),
      ...nics.flatMap((nic) => (nic.port !== undefined ? [requirePort(ctx, nic.port, signal)] : [])),
    ]);
    let next = 0;
    return nics.map(
      (nic): ServerNetworkRequest => ({
        ...(nic.network !== undefined && { uuid: ids[next++]! }),
        ...(nic.port !== undefined && { port: nic.port }),
        ...(nic.fixedIp !== undefined && { fixedIp: nic.fixedIp }),
      }),
    );
  }
  if (network === "none") return "none";
  if (network === "auto" || network === undefined) return undefined;
  const names = typeof network === "string" ? [network] : network;
  return (await resolveNetworkIds(ctx, names, signal)).map((uuid) => ({ uuid }));
}

async function requirePort(ctx: CloudContext, id: string, signal?: AbortSignal): Promise<void> {
  const network = await ctx.optionalClient("network", signal);
  if (!network) throw new ValidationError("nics", "ports need neutron; this cloud has nova-network");
  try {
    await getPort(network, id, signal ? { signal } : {});
  } catch (error) {
    if (error instanceof NotFoundError) throw new ResourceNotFoundError("port", id);
    throw error;
  }
}

async function requireKeypair(ctx: CloudContext, name: string, signal?: AbortSignal): Promise<void> {
  if (!(await findKeypair(ctx, name, signal ? { signal } : {})))
    throw new ResourceNotFoundError("keypair", name);
}

async function requireSecurityGroup(
  ctx: CloudContext,
  nameOrId: string,
  signal?: AbortSignal,
): Promise<void> {
  if ((await findSecurityGroupId(ctx, nameOrId, signal ? { signal } : {})) === undefined) {
    throw new ResourceNotFoundError("security group", nameOrId);
  }
}

/** The floating IPs of the project with these addresses (all of them, or a ResourceNotFoundError). */
async function resolveFloatingIps(
  ctx: CloudContext,
  addresses: readonly string[],
  signal?: AbortSignal,
): Promise<FloatingIp[]> {
  if (addresses.length === 0) return [];
  const all = await listFloatingIps(ctx, signal ? { signal } : {});
  return addresses.map((address) => {
    const ip = all.find((candidate) => candidate.floatingIpAddress === address);
    if (!ip) throw new ResourceNotFoundError("floating IP", address);
    return ip;
  });
}

/** The external network (neutron) or pool (nova-network) `ipPool` names exists. */
async function requireIpPool(ctx: CloudContext, nameOrId: string, signal?: AbortSignal): Promise<void> {
  const source = await floatingIpSource(ctx);
  if (source.kind === "neutron") {
    try {
      await floatingNetwork(ctx, nameOrId);
    } catch (error) {
      if (error instanceof ValidationError && /^network: no external network/.test(error.message)) {
        throw new ResourceNotFoundError("external network", nameOrId);
      }
      if (error instanceof ValidationError)
        throw new ValidationError("ipPool", error.message.replace(/^network: /, ""));
      throw error;
    }
  } else if (source.kind === "nova") {
    const pools = await listNovaFloatingIpPools(
      await ctx.client("compute", signal),
      signal ? { signal } : {},
    );
    if (!pools.some((pool) => pool.name === nameOrId))
      throw new ResourceNotFoundError("floating IP pool", nameOrId);
  } else {
    throw new ValidationError("ipPool", `this cloud has no floating IPs: ${source.reason}`);
  }
}
