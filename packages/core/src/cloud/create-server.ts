import { OaktreeError, ValidationError } from "../errors.js";
import { isRefusal } from "../http/errors.js";
import type { FloatingIp } from "../models/floating-ip.js";
import type { Server } from "../models/server.js";
import {
  type BlockDeviceMapping,
  type CreateServerOptions as CreateServerWireOptions,
  createServer as createServerCall,
} from "../services/compute/v2/servers/requests.js";
import { supportsMicroversion } from "../services/microversion.js";
import { decideAutoIp, withFloatingIp } from "./auto-ip.js";
import { ClientTokenLease, findByClientToken } from "./client-token.js";
import type { CloudContext } from "./context.js";
import {
  bootMapping,
  type CreateServerOptions,
  type CreateServerProgress,
  toWireOptions,
  validateCreateServerOptions,
} from "./create-server-options.js";
import { resolveServerRefs, type ServerRefs } from "./create-server-refs.js";
import { floatingIpSource } from "./floating-ip-source.js";
import {
  addFloatingIpToServer,
  attachFloatingIp,
  deleteFloatingIp,
  detachFloatingIp,
  floatingIpOfServer,
  listFloatingIps,
} from "./floating-ips.js";
import { floatingIpDescriptionMatches, serverMarker, volumeMarker } from "./markers.js";
import { type NatDestination, natDestinationPort } from "./nat-destination.js";
import { deleteLeftovers } from "./reclaim.js";
import { CLEANUP_GRACE_MS, Rollback } from "./rollback.js";
import { deleteServerUntilGone, untilActive, waitForServer } from "./servers.js";
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
      /** oaktree's marks (markers.ts): the volume must be created with them. */
      readonly metadata?: Readonly<Record<string, string>>;
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
 * 2. with a client token, return the server an earlier attempt made (found by metadata),
 *    holding the token's lease through step 6 so that concurrent calls share one server;
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
  // Every request of the create ends at the deadline too (a hung one must not outlive it);
  // only the cleanup of a failed create runs past it, for at most CLEANUP_GRACE_MS.
  options = { ...options, signal: untilDeadline(options.signal, deadline) };
  try {
    // Every name is resolved and every option checked (reads only) before the first write.
    options.onProgress?.({ stage: "resolving" });
    const refs = await resolveServerRefs(ctx, options);
    if (options.clientToken === undefined) return await createNew(ctx, deps, options, refs, deadline);
    return await createWithToken(ctx, deps, options, refs, deadline, options.clientToken);
  } catch (error) {
    throw typedError(error, options.name);
  }
}

/**
 * A create with a client token. The call that holds the token's lease does the whole create,
 * through reachability; the others wait for the lease and then find its server (or, if it
 * failed and cleaned up, create one themselves). See docs/decisions/0011.
 */
async function createWithToken(
  ctx: CloudContext,
  deps: CreateServerDeps,
  options: CreateServerOptions,
  refs: ServerRefs,
  deadline: number,
  token: string,
): Promise<CreateServerResult> {
  const lease = await ClientTokenLease.acquire(ctx, token, {
    deadline,
    onTimeout: () =>
      new ServerCreateError(`client token ${token}: another create with it was still running`, undefined, []),
    ...(options.signal && { signal: options.signal }),
  });
  try {
    const existing = await findByClientToken(ctx, options.name, token, options.signal);
    if (existing) {
      try {
        return await finishExisting(ctx, existing, options, refs, deadline, lease);
      } catch (error) {
        const failed = error instanceof ServerCreateError ? error.server : undefined;
        // In ERROR, or still not ACTIVE when this call's time ran out (a stuck BUILD): as its
        // own boot would be, an undelivered attempt's server is deleted; only the former is
        // booted again now (no time is left for the latter: the next reissue boots).
        const dead = failed?.status === "ERROR";
        const stuck = failed !== undefined && failed.status !== "ACTIVE" && Date.now() >= deadline;
        if ((!dead && !stuck) || !(await removedDeadAttempt(ctx, failed!, lease))) throw error;
        if (stuck) throw error;
      }
    }
    return await createNew(ctx, deps, options, refs, deadline, lease);
  } finally {
    await lease.release();
  }
}

/**
 * A server of the token in ERROR or stuck building (found so, or so when this call's time ran
 * out) whose record is still `pending` is an earlier attempt of oaktree's own that died, lost
 * the create's answer, or failed to roll back: never delivered, so nobody else's. It is deleted
 * with what else that attempt made (true), as its own rollback would have done. Without a
 * pending record (a delivered server that failed later, or state lost) it is left alone (false)
 * and the call fails as before: the safe direction. Found by the chaos soak
 * (docs/reliability.md). Like a rollback, it may run past the call's deadline by the grace.
 */
async function removedDeadAttempt(
  ctx: CloudContext,
  existing: Server,
  lease: ClientTokenLease,
): Promise<boolean> {
  const record = await lease.readRecord();
  if (record?.state !== "pending") return false;
  const { failures } = await deleteLeftovers(ctx, record, AbortSignal.timeout(CLEANUP_GRACE_MS));
  if (failures.length > 0) {
    throw new ServerCreateError(
      `client token ${record.token}: an earlier attempt's server ${existing.id} is ${existing.status}; retry with the token`,
      existing,
      failures,
    );
  }
  return true;
}

/** The caller's signal, also aborted at `deadline`. */
function untilDeadline(signal: AbortSignal | undefined, deadline: number): AbortSignal {
  const timeout = AbortSignal.timeout(Math.max(0, deadline - Date.now()));
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/** Errors leave createServer as OaktreeErrors: anything else (a bug, an abort) is wrapped. */
function typedError(error: unknown, name: string): OaktreeError {
  if (error instanceof OaktreeError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new ServerCreateError(`creating server "${name}" failed: ${reason}`, undefined, [], {
    cause: error,
  });
}

async function createNew(
  ctx: CloudContext,
  deps: CreateServerDeps,
  options: CreateServerOptions,
  refs: ServerRefs,
  deadline: number,
  /** The client token's lease, when the call has a token: it decides who may delete the server. */
  lease?: ClientTokenLease,
): Promise<CreateServerResult> {
  const progress = options.onProgress ?? (() => {});
  const signal = options.signal;
  const { flavorRef, imageRef, bootVolumeId, extraVolumeIds, groupId } = refs;
  const attachedIp = refs.ips.find((ip) => ip.attached);
  if (attachedIp) {
    throw new ValidationError("ips", `floating IP ${attachedIp.floatingIpAddress} is already attached`);
  }
  // get-me-a-network may create a network: only now that every name has been resolved.
  const networks = refs.networks ?? (await chooseNetworks(ctx, deps, options));
  if (lease) await startRecord(ctx, lease, options);

  const rollback = new Rollback();
  let server: Server | undefined;
  /**
   * A create was sent (the boot volume's, POST /servers, the floating IP's) and no answer says
   * whether the cloud made the object: a reset after the request was applied, a timeout, a 5xx.
   */
  let postOutcomeUnknown = false;
  try {
    let blockDeviceMappings: BlockDeviceMapping[] | undefined;
    if (options.bootFromVolume) {
      progress({ stage: "creating-volume" });
      postOutcomeUnknown = true;
      const volume = await deps.createBootVolume(ctx, {
        imageId: imageRef!,
        sizeGb: options.volumeSize!,
        name: `${options.name}-boot`,
        timeoutMs: Math.max(0, deadline - Date.now()),
        metadata: volumeMarker(options.clientToken),
        ...(signal && { signal }),
      });
      postOutcomeUnknown = false;
      await lease?.recordCreated({ volumeId: volume.id });
      rollback.add(`boot volume ${volume.id}`, () => deps.deleteVolume(ctx, volume.id));
      blockDeviceMappings = [bootMapping(volume.id, options.terminateVolume ?? false)];
    } else if (bootVolumeId !== undefined) {
      blockDeviceMappings = [bootMapping(bootVolumeId, options.terminateVolume ?? false)];
    }

    progress({ stage: "creating" });
    const compute = await ctx.client("compute", signal);
    postOutcomeUnknown = true;
    const created = await createServerCall(
      compute,
      // The marks ride in the POST: tagging costs no request (see markers.ts).
      toWireOptions(
        { ...options, metadata: { ...options.metadata, ...serverMarker() } },
        {
          flavorRef,
          ...(imageRef !== undefined && !blockDeviceMappings && { imageRef }),
          ...(networks !== undefined && { networks }),
          ...(blockDeviceMappings && { blockDeviceMappings }),
          ...(groupId !== undefined && { groupId }),
        },
      ),
      signal ? { signal } : {},
    ).catch((error: unknown) => serverOfLostAnswer(ctx, options.name, lease, error, signal));
    postOutcomeUnknown = false;
    await lease?.recordCreated({ serverId: created.id });
    // Registered before any wait: from here on, a failure deletes the server, unless another
    // call with the client token has been handed it meanwhile (it is theirs now).
    rollback.add(`server ${created.id}`, async (cleanup) => {
      if (lease && !(await lease.mayDelete(created.id))) return;
      // Not confirmed gone within the grace: it throws, and leftBehind names the server.
      await deleteServerUntilGone(ctx, created.id, { timeoutMs: CLEANUP_GRACE_MS, signal: cleanup });
    });
    progress({ stage: "creating", serverId: created.id });
    if (options.wait === false) {
      rollback.commit();
      await lease?.recordDelivered(options.name, created.id);
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
    // The floating IP's create may lose its answer too; the IP it made carries the token's mark.
    postOutcomeUnknown = true;
    const reach = await ensureReachable(ctx, server, options, refs, rollback, progress, lease);
    // Before the result leaves: from here on, the reclaimer never touches this server.
    await lease?.recordDelivered(options.name, server.id);
    rollback.commit();
    progress({ stage: "ready", server: reach.server });
    return { ...reach, existing: false };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    progress({ stage: "rolling-back", reason });
    const leftBehind = [
      ...(await rollback.run({ timeoutMs: CLEANUP_GRACE_MS })),
      ...bootVolumeLeftover(error),
    ];
    // A create whose answer was lost may have made what no undo knows of: swept now by the
    // token's marks, and the record kept pending (a request still in flight may land after the
    // sweep) so that a reissue or the reclaimer sweeps again. Nothing left: no record either.
    const mayExist = postOutcomeUnknown && !isRefusal(error);
    if (lease && mayExist) leftBehind.push(...(await sweepMarked(ctx, lease)));
    if (leftBehind.length === 0 && !mayExist) await lease?.forgetRecord().catch(() => {});
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

/** Nova's networks for `network: "auto"` (get-me-a-network, which may create) or the default. */
async function chooseNetworks(
  ctx: CloudContext,
  deps: CreateServerDeps,
  options: CreateServerOptions,
): Promise<CreateServerWireOptions["networks"] | undefined> {
  if (options.network === "auto") {
    const choice = await deps.chooseAutoNetwork(ctx, options.signal);
    if (choice.kind === "nova-auto") return "auto";
    if (choice.kind === "network") return [{ uuid: choice.networkId }];
  }
  return defaultNetworks(ctx);
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
  // The call's own signal also aborts at the deadline: that is a timeout, not the caller's abort.
  const timedOut =
    result.state === "timeout" ||
    (result.state === "aborted" && (signal?.reason as Error | undefined)?.name === "TimeoutError");
  const why =
    result.state === "failure"
      ? result.value
        ? `went to ${result.value.status}${fault ? `: ${fault.message}` : ""}`
        : "was deleted while building"
      : result.state === "error"
        ? `could not be read while building: ${result.error?.message}`
        : timedOut
          ? `was not ACTIVE in time (last status ${result.value?.status ?? "unknown"})`
          : "wait aborted";
  throw new ServerCreateError(`server ${id} ${why}`, result.value, [], { cause: result.error });
}

async function ensureReachable(
  ctx: CloudContext,
  server: Server,
  options: CreateServerOptions,
  refs: ServerRefs,
  rollback: Rollback,
  progress: (event: CreateServerProgress) => void,
  /** The client token's lease: the floating IP is recorded, and its mark names the token. */
  lease?: ClientTokenLease,
  /** A server an earlier attempt made may have its floating IP already (see below). */
  earlierAttempt = false,
): Promise<{ server: Server; floatingIp?: FloatingIp; reachability: CreateServerResult["reachability"] }> {
  const signal = options.signal;
  const pick = {
    ...(options.natDestination !== undefined && { natDestination: options.natDestination }),
    ...(signal && { signal }),
  };
  const external = (await ctx.normalizeContext()).externalNetworks;
  /** `found`: somebody else (another call with the token) bound it: not ours to undo. */
  const attached = async (floatingIp: FloatingIp, how: { created: boolean; found?: true }) => {
    if (!how.found) {
      await lease?.recordCreated({ floatingIp: { id: floatingIp.id, created: how.created } });
      rollback.add(`floating IP ${floatingIp.floatingIpAddress}`, (cleanup) =>
        how.created
          ? deleteFloatingIp(ctx, floatingIp.id, { signal: cleanup })
          : detachFloatingIp(ctx, floatingIp, { signal: cleanup }),
      );
    }
    const reachable = withFloatingIp(server, floatingIp, external);
    return {
      server: reachable,
      floatingIp,
      reachability: {
        address: floatingIp.floatingIpAddress,
        reason: how.found ? "floating IP attached by an earlier attempt" : "floating IP attached",
      },
    };
  };
  const wantsFloatingIp =
    (options.ips?.length ?? 0) > 0 || options.ipPool !== undefined || options.autoIp !== false;
  if (earlierAttempt && wantsFloatingIp) {
    // NOTE: nova learns of a floating IP from neutron asynchronously, and clouds without an
    // L3 agent may never list it: ask the floating-IP API whether the earlier attempt bound one.
    const bound = await floatingIpOfServer(ctx, server, pick);
    if (bound) return attached(bound, { created: false, found: true });
    // The earlier attempt may have died between making a floating IP and binding it (nova's
    // two-step API; a port that went away): bind the one marked with the token, not a second.
    const orphan = lease && (await orphanFloatingIps(ctx, lease.token, signal))[0];
    if (orphan) {
      progress({ stage: "attaching-ip", server });
      return attached(await attachFloatingIp(ctx, server, orphan, pick), { created: false, found: true });
    }
  }

  if (refs.ips.length > 0) {
    progress({ stage: "attaching-ip", server });
    let result: Awaited<ReturnType<typeof attached>> | undefined;
    for (const ip of refs.ips) {
      if (ip.attached) {
        throw new ValidationError("ips", `floating IP ${ip.floatingIpAddress} is already attached`);
      }
      result = await attached(await attachFloatingIp(ctx, server, ip, pick), { created: false });
      server = result.server;
    }
    return result!;
  }
  if (options.ipPool !== undefined) {
    progress({ stage: "attaching-ip", server });
    const how = await addFloatingIpToServer(ctx, server, {
      ...pick,
      network: options.ipPool,
      reuse: options.reuseIps ?? true,
      ...(options.clientToken !== undefined && { clientToken: options.clientToken }),
    });
    return attached(how.floatingIp, how);
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
  }
  progress({ stage: "attaching-ip", server });
  const how = await addFloatingIpToServer(ctx, server, {
    ...pick,
    ...(target && { target }),
    reuse: options.reuseIps ?? true,
    ...(options.clientToken !== undefined && { clientToken: options.clientToken }),
  });
  return attached(how.floatingIp, how);
}

function reachabilityOf(server: Server, reason: string): CreateServerResult["reachability"] {
  return server.interfaceIp !== undefined ? { address: server.interfaceIp, reason } : { reason };
}

/**
 * A retried create: wait for the earlier attempt's server and make sure it is reachable
 * (under the token's lease: no other call with the token works on it meanwhile). The server
 * is then handed over: the call that created it will not delete it any more.
 */
async function finishExisting(
  ctx: CloudContext,
  existing: Server,
  options: CreateServerOptions,
  refs: ServerRefs,
  deadline: number,
  lease: ClientTokenLease,
): Promise<CreateServerResult> {
  const progress = options.onProgress ?? (() => {});
  const handOver = async () => {
    await lease.handOver(existing.id, Math.max(0, deadline - Date.now()));
    await lease.recordDelivered(options.name, existing.id);
  };
  if (options.wait === false) {
    await handOver();
    return { server: existing, reachability: reachabilityOf(existing, "existing server"), existing: true };
  }
  const server =
    existing.status === "ACTIVE"
      ? existing
      : await waitActive(ctx, existing.id, deadline, progress, options.signal);
  // The earlier attempt may have died before its address step: do it now, but never delete
  // the server on failure here: it is not this call's creation.
  const rollback = new Rollback();
  const reach = await ensureReachable(ctx, server, options, refs, rollback, progress, lease, true);
  rollback.commit();
  await handOver();
  progress({ stage: "ready", server: reach.server });
  return { ...reach, existing: true };
}

/**
 * Starts the token's `pending` record, first cleaning what a dead earlier call with the token
 * left (its record is still pending and its lease was free, since this call holds it now):
 * its server is gone (else this call would be finishing it), so its floating IPs and volumes
 * are nobody's. Without such a record there is nothing to clean: no extra request.
 */
async function startRecord(ctx: CloudContext, lease: ClientTokenLease, options: CreateServerOptions) {
  const earlier = await lease.readRecord();
  if (earlier?.state === "pending") {
    await deleteLeftovers(ctx, earlier, options.signal);
  }
  await lease.recordPending(options.name);
}

/**
 * POST /servers got no answer (a reset after nova applied it, a timeout, a 5xx): with a client
 * token, nova's list says whether it made the server (the token rides in its metadata, and under
 * the token's lease no other call made one since this call looked), and the create goes on with
 * it instead of failing and booting again. Without a token, a refusal (4xx), or nothing found
 * (the request may still be on its way): the error stands.
 */
async function serverOfLostAnswer(
  ctx: CloudContext,
  name: string,
  lease: ClientTokenLease | undefined,
  error: unknown,
  signal: AbortSignal | undefined,
): Promise<{ id: string }> {
  if (!lease || isRefusal(error) || signal?.aborted) throw error;
  const found = await findByClientToken(ctx, name, lease.token, signal).catch(() => undefined);
  if (!found) throw error;
  return { id: found.id };
}

/**
 * Deletes what the token's marks show this attempt made beyond its undos (a server, floating IP
 * or boot volume whose create lost its answer and was not found by it); returns what it could
 * not delete, for leftBehind.
 */
async function sweepMarked(
  ctx: CloudContext,
  lease: ClientTokenLease,
): Promise<{ what: string; error: unknown }[]> {
  try {
    const record = await lease.readRecord();
    if (record?.state !== "pending") return [];
    const { failures } = await deleteLeftovers(ctx, record, AbortSignal.timeout(CLEANUP_GRACE_MS));
    return failures;
  } catch (error) {
    return [{ what: `what client token ${lease.token} may have made`, error }];
  }
}

/** Unattached floating IPs marked with the client token (an earlier attempt made them). */
async function orphanFloatingIps(ctx: CloudContext, token: string, signal: AbortSignal | undefined) {
  const ips = await listFloatingIps(ctx, signal ? { signal } : {});
  return ips.filter((ip) => !ip.attached && floatingIpDescriptionMatches(ip.description, token));
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
