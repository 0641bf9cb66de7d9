import { OaktreeError, ValidationError } from "../errors.js";
import { isRefusal, NotFoundError } from "../http/errors.js";
import { collect } from "../http/paginate.js";
import type { ServiceClient } from "../http/types.js";
import { normalizeVolume, type Volume } from "../models/volume.js";
import {
  createVolume as createVolumeWire,
  deleteVolume as deleteVolumeWire,
  listVolumes as listVolumesWire,
} from "../services/block-storage/v3/volumes/requests.js";
import { signalOf } from "../services/call-options.js";
import {
  attachVolume as attachWire,
  detachVolume as detachWire,
} from "../services/compute/v2/servers/attachments.js";
import type { Judge, SharedWatch } from "../state/watch.js";
import type { CloudContext } from "./context.js";
import { applyFilters, type FilterOptions, pickOne, ResourceNotFoundError } from "./find.js";
import { TOKEN_HASH_METADATA_KEY } from "./markers.js";
import { CLEANUP_GRACE_MS } from "./rollback.js";

/**
 * POST /volumes got no answer (a reset after cinder applied it, a timeout, a 5xx). A volume
 * carrying a client token's mark (createServer's boot volumes: the token's hash and this
 * create's millisecond, markers.ts) is this very create's if cinder lists one with that
 * metadata: the create goes on with it. Otherwise, or on a refusal (4xx), the error stands.
 */
async function volumeOfLostAnswer(cinder: ServiceClient, options: CreateVolumeOptions, error: unknown) {
  const metadata = options.metadata;
  if (isRefusal(error) || metadata?.[TOKEN_HASH_METADATA_KEY] === undefined || options.signal?.aborted)
    throw error;
  const listed = await collect(listVolumesWire(cinder, { metadata }, signalOf(options))).catch(() => []);
  const ours = listed.filter((volume) =>
    Object.entries(metadata).every(([key, value]) => volume.metadata?.[key] === value),
  );
  if (ours.length !== 1) throw error;
  return ours[0]!;
}

/** Options every volume call takes. */
export interface VolumeCallOptions {
  readonly signal?: AbortSignal;
}

/** Options of the calls that may wait. */
export interface VolumeWaitOptions extends VolumeCallOptions {
  /** Wait for the end state (available, in-use, gone). Default true. */
  readonly wait?: boolean;
  /** Default 10 minutes. */
  readonly timeoutMs?: number;
}

/** Options of {@link createVolume}. */
export interface CreateVolumeOptions extends VolumeWaitOptions {
  /** GiB; required unless made from a snapshot (then the snapshot's size is the default). */
  readonly size?: number;
  readonly name?: string;
  readonly description?: string;
  /** A volume type name or id. */
  readonly volumeType?: string;
  readonly availabilityZone?: string;
  /** Make it from this image id (a bootable volume). */
  readonly imageId?: string;
  readonly snapshotId?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /** Called with the volume as created, then each time the wait sees its status change. */
  readonly onProgress?: (volume: Volume) => void;
}

/** A volume went to `error` (or away): oaktree deleted it; `reason` is what the cloud said. */
export class VolumeCreateError extends OaktreeError {
  override readonly name = "VolumeCreateError";
  constructor(
    readonly volumeId: string,
    readonly reason: string,
    readonly leftover: boolean,
  ) {
    super(
      `volume ${volumeId}: ${reason}${leftover ? "; oaktree could not delete it" : "; oaktree deleted it"}`,
    );
  }
}

/** A wait on a volume ended without reaching the state wanted. */
export class VolumeWaitError extends OaktreeError {
  override readonly name = "VolumeWaitError";
  constructor(
    readonly volumeId: string,
    readonly wanted: string,
    readonly state: string,
    readonly last?: Volume,
    /** With state `error`: why the cloud could not be read. */
    readonly error?: Error,
  ) {
    super(
      `volume ${volumeId}: ${state} waiting for ${wanted}${last ? ` (status ${last.status})` : ""}${error ? `: ${error.message}` : ""}`,
      { cause: error },
    );
  }
}

/** The project's volumes. */
export async function listVolumes(
  ctx: CloudContext,
  options: FilterOptions & VolumeCallOptions = {},
): Promise<Volume[]> {
  const cinder = await ctx.client("block-storage", options.signal);
  const normalize = await ctx.normalizeContext();
  const volumes: Volume[] = [];
  for await (const wire of listVolumesWire(cinder, {}, signalOf(options)))
    volumes.push(normalizeVolume(wire, normalize));
  return applyFilters(volumes, options.filters);
}

/** A volume by name or id, or undefined (several of one name: an error listing them). */
export async function findVolume(
  ctx: CloudContext,
  nameOrId: string,
  options: FilterOptions & VolumeCallOptions = {},
): Promise<Volume | undefined> {
  requireNonEmpty("nameOrId", nameOrId);
  return pickOne("volume", await listVolumes(ctx, signalOf(options)), nameOrId, options.filters);
}

/** Like {@link findVolume}; a missing volume is a ResourceNotFoundError. */
export async function getVolume(
  ctx: CloudContext,
  nameOrId: string,
  options: FilterOptions & VolumeCallOptions = {},
): Promise<Volume> {
  const volume = await findVolume(ctx, nameOrId, options);
  if (!volume) throw new ResourceNotFoundError("volume", nameOrId);
  return volume;
}

/**
 * Creates a volume (empty, from an image, or from a snapshot) and, unless `wait: false`, waits
 * (shared watch) until it is available. A volume that goes to `error` (e.g. cinder could not
 * copy the image: ImageCopyFailure) is deleted, and a VolumeCreateError carries the reason.
 */
export async function createVolume(ctx: CloudContext, options: CreateVolumeOptions): Promise<Volume> {
  if (options.size === undefined && options.snapshotId === undefined) {
    throw new ValidationError("size", "is required unless the volume is made from a snapshot");
  }
  if (options.size !== undefined && (!Number.isInteger(options.size) || options.size < 1)) {
    throw new ValidationError("size", `must be a positive integer of GiB, got ${options.size}`);
  }
  if (options.imageId !== undefined && options.snapshotId !== undefined) {
    throw new ValidationError("imageId", "cannot be combined with snapshotId");
  }
  const cinder = await ctx.client("block-storage", options.signal);
  const wire = await createVolumeWire(
    cinder,
    defined({
      size: options.size,
      name: options.name,
      description: options.description,
      volumeType: options.volumeType,
      availabilityZone: options.availabilityZone,
      imageRef: options.imageId,
      snapshotId: options.snapshotId,
      metadata: options.metadata,
    }),
    signalOf(options),
  ).catch((error: unknown) => volumeOfLostAnswer(cinder, options, error));
  const created = normalizeVolume(wire, await ctx.normalizeContext());
  if (options.wait === false) return created;
  options.onProgress?.(created);
  const available = judgeStatus("available");
  let lastStatus = created.status;
  const result = await (await volumeWatch(ctx)).waitFor(
    created.id,
    (volume, seen) => {
      if (volume && volume.status !== lastStatus) {
        lastStatus = volume.status;
        options.onProgress?.(volume);
      }
      return available(volume, seen);
    },
    waitOptions(options),
  );
  if (result.state === "success" && result.value) return result.value;
  // Failed, timed out or aborted: the volume is of no use to the caller, and must not leak.
  const leftover = !(await removeVolume(ctx, created.id));
  if (result.state === "failure") {
    throw new VolumeCreateError(created.id, await failureReason(result.value), leftover);
  }
  const why = result.error ? `: ${result.error.message}` : "";
  throw new VolumeCreateError(created.id, `${result.state} waiting for available${why}`, leftover);
}

/** A bootable volume of `sizeGb` from an image, for create-server's boot from volume. */
export async function createBootVolume(
  ctx: CloudContext,
  options: {
    readonly imageId: string;
    readonly sizeGb: number;
    readonly name: string;
    /** How long to wait for available (default as createVolume's). */
    readonly timeoutMs?: number;
    /** Metadata to create it with (createServer's marks: see markers.ts). */
    readonly metadata?: Readonly<Record<string, string>>;
    readonly signal?: AbortSignal;
  },
): Promise<Volume> {
  requireNonEmpty("imageId", options.imageId);
  return createVolume(ctx, {
    imageId: options.imageId,
    size: options.sizeGb,
    name: options.name,
    ...(options.metadata && { metadata: options.metadata }),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    ...(options.signal && { signal: options.signal }),
  });
}

/**
 * Attaches a volume to a server (nova os-volume_attachments) and, unless `wait: false`, waits
 * until cinder reports it in-use.
 */
export async function attachVolume(
  ctx: CloudContext,
  serverId: string,
  volume: string,
  options: VolumeWaitOptions & { readonly device?: string } = {},
): Promise<Volume> {
  requireNonEmpty("serverId", serverId);
  const target = await getVolume(ctx, volume, signalOf(options));
  const compute = await ctx.client("compute", options.signal);
  await attachWire(
    compute,
    serverId,
    { volumeId: target.id, ...defined({ device: options.device }) },
    signalOf(options),
  );
  if (options.wait === false) return target;
  return waitForVolume(ctx, target.id, "in-use", options);
}

/** Detaches a volume from a server and, unless `wait: false`, waits until it is available. */
export async function detachVolume(
  ctx: CloudContext,
  serverId: string,
  volume: string,
  options: VolumeWaitOptions = {},
): Promise<Volume> {
  requireNonEmpty("serverId", serverId);
  const target = await getVolume(ctx, volume, signalOf(options));
  const compute = await ctx.client("compute", options.signal);
  await detachWire(compute, serverId, target.id, signalOf(options));
  if (options.wait === false) return target;
  return waitForVolume(ctx, target.id, "available", options);
}

/**
 * Deletes a volume by name or id and, unless `wait: false`, waits until cinder no longer lists
 * it. False when there was none.
 */
export async function deleteVolume(
  ctx: CloudContext,
  volume: string,
  options: VolumeWaitOptions = {},
): Promise<boolean> {
  const target = await findVolume(ctx, volume, signalOf(options));
  if (!target) return false;
  const cinder = await ctx.client("block-storage", options.signal);
  try {
    await deleteVolumeWire(cinder, target.id, {}, signalOf(options));
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
  if (options.wait !== false) await waitForVolume(ctx, target.id, "gone", options);
  return true;
}

/**
 * Waits (shared watch) until the volume has `status` ("gone": no longer listed). A volume in
 * error (or error_deleting, error_extending...) ends the wait as a failure.
 */
export async function waitForVolume(
  ctx: CloudContext,
  id: string,
  status: "gone",
  options?: VolumeWaitOptions,
): Promise<undefined>;
export async function waitForVolume(
  ctx: CloudContext,
  id: string,
  status: string,
  options?: VolumeWaitOptions,
): Promise<Volume>;
export async function waitForVolume(
  ctx: CloudContext,
  id: string,
  status: string,
  options: VolumeWaitOptions = {},
): Promise<Volume | undefined> {
  const result = await (await volumeWatch(ctx)).waitFor(id, judgeStatus(status), waitOptions(options));
  // A volume that is gone has no last state to return (it used to be a made-up {id, status}).
  if (result.state === "success") return status === "gone" ? undefined : result.value;
  throw new VolumeWaitError(id, status, result.state, result.value, result.error);
}

/**
 * The verdict on one volume: the status wanted is success; any status starting with "error"
 * is failure; a volume that disappears after being seen is a failure unless "gone" is wanted.
 */
export function judgeStatus(status: string): Judge<Volume> {
  return (volume, seen) => {
    if (volume === undefined) return status === "gone" ? "success" : seen ? "failure" : "pending";
    if (volume.status === status) return "success";
    if (volume.status.startsWith("error")) return "failure";
    return "pending";
  };
}

/** The shared watch over the project's volumes (one list per interval, whoever waits). */
export async function volumeWatch(ctx: CloudContext): Promise<SharedWatch<Volume>> {
  const scope = await ctx.scope();
  // NOTE: cinder 3.60 can filter on updated_at, but lists no deletions: full lists it is.
  return ctx.watches.watch<Volume>(`${scope}/volume`, () => ({
    listAll: (signal) => listVolumes(ctx, { signal }),
    idOf: (volume) => volume.id,
  }));
}

/** Deletes a volume by id, waiting until it is gone; false when that failed. */
async function removeVolume(ctx: CloudContext, id: string): Promise<boolean> {
  try {
    const cinder = await ctx.client("block-storage");
    await deleteVolumeWire(cinder, id).catch((error: unknown) => {
      if (!(error instanceof NotFoundError)) throw error;
    });
    // Bounded like any cleanup: the caller's timeout has passed or is near.
    await waitForVolume(ctx, id, "gone", { timeoutMs: CLEANUP_GRACE_MS });
    return true;
  } catch {
    return false;
  }
}

/**
 * What the cloud says went wrong: cinder keeps the reason in its user messages API, which
 * oaktree does not bind yet; the volume's own record tells the status and, when a vendor adds
 * one, an error field (kept in properties).
 */
async function failureReason(volume: Volume | undefined): Promise<string> {
  if (!volume) return "the volume disappeared while being created";
  const detail = ["fault", "error", "error_message", "status_reason"]
    .map((key) => volume.properties[key])
    .find((value) => typeof value === "string" && value !== "");
  const origin = volume.imageMetadata.image_id
    ? ` creating it from image ${volume.imageMetadata.image_id}`
    : "";
  return `went to status ${volume.status}${origin}${detail ? `: ${detail as string}` : ""}`;
}

function waitOptions(options: VolumeWaitOptions): { timeoutMs: number; signal?: AbortSignal } {
  return { timeoutMs: options.timeoutMs ?? 600_000, ...signalOf(options) };
}

function requireNonEmpty(field: string, value: string): void {
  if (typeof value !== "string" || value.trim() === "")
    throw new ValidationError(field, "must be a non-empty string");
}

function defined<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}
