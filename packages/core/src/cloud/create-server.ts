import { randomUUID } from "node:crypto";
import { OaktreeError, ValidationError } from "../errors.js";
import { collect } from "../http/paginate.js";
import type { FloatingIp } from "../models/floating-ip.js";
import { normalizeServer, type Server } from "../models/server.js";
import {
  type BlockDeviceMapping,
  type CreateServerOptions as CreateServerWireOptions,
  createServer as createServerCall,
  listServersDetail,
  type ServerNetworkRequest,
} from "../services/compute/v2/servers/requests.js";
import { supportsMicroversion } from "../services/microversion.js";
import { waitForLease } from "../state/lease.js";
import { decideAutoIp, withFloatingIp } from "./auto-ip.js";
import type { CloudContext } from "./context.js";
import {
  bootMapping,
  CLIENT_TOKEN_METADATA_KEY,
  type CreateServerOptions,
  type CreateServerProgress,
  toWireOptions,
  validateCreateServerOptions,
} from "./create-server-options.js";
import { floatingIpSource } from "./floating-ip-source.js";
import {
  addFloatingIpToServer,
  attachFloatingIp,
  deleteFloatingIp,
  detachFloatingIp,
  listFloatingIps,
} from "./floating-ips.js";
import { type NatDestination, natDestinationPort } from "./nat-destination.js";
import { Rollback } from "./rollback.js";
import {
  resolveFlavorId,
  resolveImageId,
  resolveNetworkIds,
  resolveServerGroupId,
  resolveVolumeId,
} from "./server-refs.js";
import { deleteServerById, untilActive, waitForServer } from "./servers.js";
import { VolumeCreateError } from "./volumes.js";

export {
  CLIENT_TOKEN_METADATA_KEY,
  type CreateServerOptions,
  type CreateServerProgress,
} from "./create-server-options.js";

/** How a server's network is chosen for `network: "auto"` (get-me-a-network). */
export type NetworkChoice =
  | { readonly kind: "nova-auto" }
  | { readonly kind: "network"; readonly networkId: string }
  | { readonly kind: "nova-default" };

/**
 * The steps createServer takes from other porcelain modules, passed in explicitly so that the
 * flow reads on its own and tests can script them (the Cloud facade wires the real ones).
 */
export interface CreateServerDeps {
  /** get-me-a-network: what to boot on when the caller says `network: "auto"`. */
  chooseAutoNetwork(ctx: CloudContext, signal?: AbortSignal): Promise<NetworkChoice>;
  /**
   * Makes a bootable volume of `sizeGb` from an image, waits until available (at most
   * `timeoutMs`); cleans up itself on failure, and throws a VolumeCreateError with `leftover`
   * when it could not.
   */
  createBootVolume(
    ctx: CloudContext,
    options: {
      readonly imageId: string;
      readonly sizeGb: number;
      readonly name: string;
      readonly timeoutMs?: number;
      readonly signal?: AbortSignal;
    },
  ): Promise<{ readonly id: string }>;
  /** Deletes a volume and waits until it is gone (a missing one counts as deleted). */
  deleteVolume(ctx: CloudContext, id: string): Promise<void>;
  /** Attaches a volume to a server and waits until it is in use. */
  attachVolume(ctx: CloudContext, serverId: string, volumeId: string, signal?: AbortSignal): Promise<void>;
}

/** What a create ends with. */
export interface CreateServerResult {
  readonly server: Server;
  /** The floating IP oaktree attached, if it attached one. */
  readonly floatingIp?: FloatingIp;
  /** How the server is reachable, or why it is not. */
  readonly reachability: { readonly address?: string; readonly reason: string };
  /** True when a client token found a server created by an earlier attempt. */
  readonly existing: boolean;
}

/**
 * A create that failed; whatever oaktree had created for it has been deleted, except what
 * `leftBehind` lists (each with the error that kept it).
 */
export class ServerCreateError extends OaktreeError {
  override readonly name = "ServerCreateError";
  constructor(
    message: string,
    readonly server: Server | undefined,
    readonly leftBehind: readonly { readonly what: string; readonly error: unknown }[],
    options?: { cause?: unknown },
  ) {
    super(
      leftBehind.length === 0
        ? message
        : `${message}; could not clean up: ${leftBehind.map((item) => item.what).join(", ")}`,
      options,
    );
  }
}

/**
 * Boots a server and, unless told otherwise, waits until it is ACTIVE and reachable:
 *
 * 1. validate the options, then resolve every name to an id (nothing created yet);
 * 2. with a client token, return the server an earlier attempt made (found by metadata);
 * 3. boot volume: make it from the image when asked (`bootFromVolume` + `volumeSize`);
 * 4. POST /servers, then wait through the shared server watch for ACTIVE or ERROR;
 * 5. attach extra volumes; 6. make it reachable (decideAutoIp, or `ips` / `ipPool`).
 *
 * Any failure after step 3 undoes what oaktree created, in reverse: floating IP (created:
 * deleted; reused: detached), the server (waited until gone, so that nova frees its ports),
 * the boot volume. The error is a ServerCreateError with the cloud's reason.
 */
export async function createServer(
  ctx: CloudContext,
  deps: CreateServerDeps,
  options: CreateServerOptions,
): Promise<CreateServerResult> {
  validateCreateServerOptions(options);
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  const signal = options.signal;

  if (options.clientToken === undefined) return createNew(ctx, deps, options, deadline);
  // Two attempts with one token at the same moment (a client retrying over a slow network)
  // must not both miss each other's server: the lookup and the POST happen under a lease.
  const token = options.clientToken;
  const release = await lockClientToken(ctx, token, deadline, signal);
  let accepted = false;
  try {
    const existing = await findByClientToken(ctx, options.name, token, signal);
    if (existing) {
      await release();
      accepted = true;
      return await finishExisting(ctx, existing, options, deadline);
    }
    return await createNew(ctx, deps, options, deadline, () => {
      accepted = true;
      void release();
    });
  } finally {
    if (!accepted) await release();
  }
}

/** Holds the lease of a client token; resolves to its release. */
async function lockClientToken(
  ctx: CloudContext,
  token: string,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<() => Promise<void>> {
  const name = `oaktree:client-token:${await ctx.scope()}:${token}`;
  return waitForLease(ctx.backend.leases, name, randomUUID(), {
    ttlMs: 60_000,
    intervalMs: 100,
    deadline,
    onTimeout: () => new ServerCreateError(`client token ${token} stayed locked`, undefined, []),
    ...(signal && { signal }),
  });
}

async function createNew(
  ctx: CloudContext,
  deps: CreateServerDeps,
  options: CreateServerOptions,
  deadline: number,
  onAccepted: () => void = () => {},
): Promise<CreateServerResult> {
  const progress = options.onProgress ?? (() => {});
  const signal = options.signal;
  progress({ stage: "resolving" });
  const [flavorRef, imageRef, networks, bootVolumeId, extraVolumeIds, groupId] = await Promise.all([
    resolveFlavorId(ctx, options.flavor, signal),
    options.image !== undefined ? resolveImageId(ctx, options.image, signal) : undefined,
    resolveNetworks(ctx, deps, options),
    options.bootVolume !== undefined ? resolveVolumeId(ctx, options.bootVolume, signal) : undefined,
    Promise.all((options.volumes ?? []).map((volume) => resolveVolumeId(ctx, volume, signal))),
    options.serverGroup !== undefined ? resolveServerGroupId(ctx, options.serverGroup, signal) : undefined,
  ]);

  const rollback = new Rollback();
  let server: Server | undefined;
  try {
    let blockDeviceMappings: BlockDeviceMapping[] | undefined;
    if (options.bootFromVolume) {
      progress({ stage: "creating-volume" });
      const volume = await deps.createBootVolume(ctx, {
        imageId: imageRef!,
        sizeGb: options.volumeSize!,
        name: `${options.name}-boot`,
        timeoutMs: Math.max(0, deadline - Date.now()),
        ...(signal && { signal }),
      });
      rollback.add(`boot volume ${volume.id}`, () => deps.deleteVolume(ctx, volume.id));
      blockDeviceMappings = [bootMapping(volume.id, options.terminateVolume ?? false)];
    } else if (bootVolumeId !== undefined) {
      blockDeviceMappings = [bootMapping(bootVolumeId, options.terminateVolume ?? false)];
    }

    progress({ stage: "creating" });
    const compute = await ctx.client("compute", signal);
    const created = await createServerCall(
      compute,
      toWireOptions(options, {
        flavorRef,
        ...(imageRef !== undefined && !blockDeviceMappings && { imageRef }),
        ...(networks !== undefined && { networks }),
        ...(blockDeviceMappings && { blockDeviceMappings }),
        ...(groupId !== undefined && { groupId }),
      }),
      signal ? { signal } : {},
    );
    // Registered before any wait: from here on, a failure deletes the server.
    rollback.add(`server ${created.id}`, async () => {
      await deleteServerById(ctx, created.id, { wait: true, timeoutMs: 300_000 });
    });
    // Nova lists the server (with its client token) from now on: a retry will find it.
    onAccepted();
    progress({ stage: "creating", serverId: created.id });
    if (options.wait === false) {
      rollback.commit();
      const now = await waitForServer(ctx, created.id, { timeoutMs: 0, judge: () => "pending" });
      server = now.value;
      return {
        server: server ?? placeholder(ctx, created.id, options.name),
        reachability: { reason: "not waited for: no address was ensured" },
        existing: false,
      };
    }

    server = await waitActive(ctx, created.id, deadline, progress, signal);
    for (const volumeId of extraVolumeIds) {
      progress({ stage: "attaching-volumes", server });
      await deps.attachVolume(ctx, server.id, volumeId, signal);
    }
    const reach = await ensureReachable(ctx, server, options, rollback, progress);
    rollback.commit();
    progress({ stage: "ready", server: reach.server });
    return { ...reach, existing: false };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    progress({ stage: "rolling-back", reason });
    const leftBehind = [...(await rollback.run()), ...bootVolumeLeftover(error)];
    if (error instanceof ServerCreateError) {
      throw new ServerCreateError(error.message.split("; could not clean up")[0]!, error.server, leftBehind, {
        cause: error.cause,
      });
    }
    throw new ServerCreateError(`creating server "${options.name}" failed: ${reason}`, server, leftBehind, {
      cause: error,
    });
  }
}

async function resolveNetworks(
  ctx: CloudContext,
  deps: CreateServerDeps,
  options: CreateServerOptions,
): Promise<CreateServerWireOptions["networks"] | undefined> {
  const { network, nics, signal } = options;
  if (nics !== undefined) {
    const ids = await resolveNetworkIds(
      ctx,
      nics.flatMap((nic) => (nic.network !== undefined ? [nic.network] : [])),
      signal,
    );
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
  if (network === "auto") {
    const choice = await deps.chooseAutoNetwork(ctx, signal);
    if (choice.kind === "nova-auto") return "auto";
    if (choice.kind === "network") return [{ uuid: choice.networkId }];
    return defaultNetworks(ctx);
  }
  if (network === undefined) return defaultNetworks(ctx);
  const names = typeof network === "string" ? [network] : network;
  return (await resolveNetworkIds(ctx, names, signal)).map((uuid) => ({ uuid }));
}

/** Nova's default: from compute 2.37 the field is required, and "auto" means the default. */
async function defaultNetworks(ctx: CloudContext): Promise<CreateServerWireOptions["networks"] | undefined> {
  return supportsMicroversion(await ctx.client("compute"), "2.37") ? "auto" : undefined;
}

async function waitActive(
  ctx: CloudContext,
  id: string,
  deadline: number,
  progress: (event: CreateServerProgress) => void,
  signal: AbortSignal | undefined,
): Promise<Server> {
  let lastStatus = "";
  const result = await waitForServer(ctx, id, {
    timeoutMs: Math.max(0, deadline - Date.now()),
    ...(signal && { signal }),
    judge: (server, seen) => {
      if (server && server.status !== lastStatus) {
        lastStatus = server.status;
        progress({ stage: "building", server });
      }
      return untilActive(server, seen);
    },
  });
  if (result.state === "success") return result.value!;
  const fault = result.value?.fault;
  const why =
    result.state === "failure"
      ? result.value
        ? `went to ${result.value.status}${fault ? `: ${fault.message}` : ""}`
        : "was deleted while building"
      : result.state === "timeout"
        ? `was not ACTIVE in time (last status ${result.value?.status ?? "unknown"})`
        : "wait aborted";
  throw new ServerCreateError(`server ${id} ${why}`, result.value, []);
}

async function ensureReachable(
  ctx: CloudContext,
  server: Server,
  options: CreateServerOptions,
  rollback: Rollback,
  progress: (event: CreateServerProgress) => void,
  /** A server an earlier attempt made may have its floating IP already (see below). */
  earlierAttempt = false,
): Promise<{ server: Server; floatingIp?: FloatingIp; reachability: CreateServerResult["reachability"] }> {
  const signal = options.signal;
  const pick = {
    ...(options.natDestination !== undefined && { natDestination: options.natDestination }),
    ...(signal && { signal }),
  };
  const external = (await ctx.normalizeContext()).externalNetworks;
  const attached = (floatingIp: FloatingIp, created: boolean) => {
    rollback.add(`floating IP ${floatingIp.floatingIpAddress}`, () =>
      created ? deleteFloatingIp(ctx, floatingIp.id) : detachFloatingIp(ctx, floatingIp),
    );
    const reachable = withFloatingIp(server, floatingIp, external);
    return {
      server: reachable,
      floatingIp,
      reachability: { address: floatingIp.floatingIpAddress, reason: "floating IP attached" },
    };
  };

  if (options.ips && options.ips.length > 0) {
    progress({ stage: "attaching-ip", server });
    const all = await listFloatingIps(ctx, signal ? { signal } : {});
    let result: ReturnType<typeof attached> | undefined;
    for (const address of options.ips) {
      const ip = all.find((candidate) => candidate.floatingIpAddress === address);
      if (!ip) throw new ValidationError("ips", `no floating IP ${address} in this project`);
      if (ip.attached) throw new ValidationError("ips", `floating IP ${address} is already attached`);
      result = attached(await attachFloatingIp(ctx, server, ip, pick), false);
      server = result.server;
    }
    return result!;
  }
  if (options.ipPool !== undefined) {
    progress({ stage: "attaching-ip", server });
    const { floatingIp, created } = await addFloatingIpToServer(ctx, server, {
      ...pick,
      network: options.ipPool,
      reuse: options.reuseIps ?? true,
    });
    return attached(floatingIp, created);
  }
  if (options.autoIp === false) {
    return { server, reachability: reachabilityOf(server, "autoIp is off") };
  }
  const source = await floatingIpSource(ctx);
  const decision = decideAutoIp(server, source);
  if (decision.action === "none") return { server, reachability: reachabilityOf(server, decision.reason) };
  let target: Extract<NatDestination, { kind: "port" }> | undefined;
  if (decision.via === "neutron") {
    // NOTE: a floating IP can only reach a port on a network routed to the external network.
    const found = await natDestinationPort(ctx, server, pick);
    if (found.kind === "none") return { server, reachability: reachabilityOf(server, found.reason) };
    target = found;
    if (earlierAttempt) {
      // NOTE: nova learns of a floating IP from neutron asynchronously, and clouds without an
      // L3 agent may never list it: ask neutron whether the earlier attempt bound one already.
      const bound = await listFloatingIps(ctx, {
        filters: { portId: found.port.id },
        ...(signal && { signal }),
      });
      if (bound[0]) {
        return {
          server: withFloatingIp(server, bound[0], external),
          floatingIp: bound[0],
          reachability: {
            address: bound[0].floatingIpAddress,
            reason: "floating IP attached by an earlier attempt",
          },
        };
      }
    }
  }
  progress({ stage: "attaching-ip", server });
  const { floatingIp, created } = await addFloatingIpToServer(ctx, server, {
    ...pick,
    ...(target && { target }),
    reuse: options.reuseIps ?? true,
  });
  return attached(floatingIp, created);
}

function reachabilityOf(server: Server, reason: string): CreateServerResult["reachability"] {
  return server.interfaceIp !== undefined ? { address: server.interfaceIp, reason } : { reason };
}

/** The server an earlier create with this client token made, if any. */
async function findByClientToken(
  ctx: CloudContext,
  name: string,
  token: string,
  signal: AbortSignal | undefined,
): Promise<Server | undefined> {
  const compute = await ctx.client("compute", signal);
  const normalize = await ctx.normalizeContext();
  // NOTE: nova cannot filter by metadata; a retry keeps the name, so list by exact name.
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const servers = await collect(
    listServersDetail(compute, { name: `^${escaped}$` }, signal ? { signal } : {}),
  );
  const match = servers.find((server) => server.metadata?.[CLIENT_TOKEN_METADATA_KEY] === token);
  return match ? normalizeServer(match, normalize) : undefined;
}

/** A retried create: wait for the earlier attempt's server and make sure it is reachable. */
async function finishExisting(
  ctx: CloudContext,
  existing: Server,
  options: CreateServerOptions,
  deadline: number,
): Promise<CreateServerResult> {
  const progress = options.onProgress ?? (() => {});
  if (options.wait === false) {
    return { server: existing, reachability: reachabilityOf(existing, "existing server"), existing: true };
  }
  const server =
    existing.status === "ACTIVE"
      ? existing
      : await waitActive(ctx, existing.id, deadline, progress, options.signal);
  // The earlier attempt may have died before its address step: do it now, but never delete
  // the server on failure here: it is not this call's creation.
  const rollback = new Rollback();
  const reach = await ensureReachable(ctx, server, options, rollback, progress, true);
  rollback.commit();
  progress({ stage: "ready", server: reach.server });
  return { ...reach, existing: true };
}

function placeholder(ctx: CloudContext, id: string, name: string): Server {
  void ctx;
  return {
    location: { cloud: "", project: {} },
    id,
    name,
    status: "BUILD",
    powerState: "NOSTATE",
    flavor: {},
    addresses: [],
    metadata: {},
    securityGroups: [],
    volumes: [],
    configDrive: false,
    tags: [],
    locked: false,
    properties: {},
  };
}

/** The boot volume a failed createBootVolume could not delete (it is oaktree's: never silent). */
function bootVolumeLeftover(error: unknown): { what: string; error: unknown }[] {
  return error instanceof VolumeCreateError && error.leftover
    ? [{ what: `boot volume ${error.volumeId}`, error }]
    : [];
}
