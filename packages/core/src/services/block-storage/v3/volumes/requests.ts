import { OaktreeError, ValidationError } from "../../../../errors.js";
import { linksStrategy, paginate } from "../../../../http/paginate.js";
import type { HttpResponse, ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { checkGate, type MicroversionGate } from "../../../microversion.js";
import {
  compact,
  type QueryNames,
  queryOf,
  requireId,
  requirePositiveInteger,
  requireTime,
} from "../../../query.js";
import { volumeActionPath, volumePath, volumesDetailPath, volumesPath } from "./urls.js";
import type { VolumeCreateWire, VolumeUpdateWire, VolumeWire } from "./wire.js";

/** Filters of `GET /volumes/detail`. */
export interface ListVolumesOptions {
  readonly name?: string;
  readonly status?: string;
  readonly availabilityZone?: string;
  readonly bootable?: boolean;
  /** Volumes with all these metadata pairs. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Admin only: every project's volumes. */
  readonly allTenants?: boolean;
  /** Admin only, with allTenants. */
  readonly projectId?: string;
  readonly limit?: number;
  readonly marker?: string;
  /** `key:dir` pairs, e.g. "created_at:desc". */
  readonly sort?: string;
  /** Volumes updated at or after this time (`updated_at=gte:...`; microversion 3.60). */
  readonly updatedSince?: Date | string;
}

/** The one table of query names of volumes. */
export const VOLUME_QUERY = {
  name: "name",
  status: "status",
  availabilityZone: "availability_zone",
  bootable: "bootable",
  metadata: "metadata",
  allTenants: "all_tenants",
  projectId: "project_id",
  limit: "limit",
  marker: "marker",
  sort: "sort",
  updatedSince: "updated_at",
} as const satisfies QueryNames<ListVolumesOptions>;
/**
 * Every volume with details matching the filters, following `volumes_links`.
 * NOTE: cinder takes the metadata filter as one JSON-ish dict string (`metadata={"k":"v"}`),
 * and time comparisons as `gte:<time>` from volume 3.60 on.
 */
export function listVolumes(
  client: ServiceClient,
  options: ListVolumesOptions = {},
  call: CallOptions = {},
): AsyncGenerator<VolumeWire, void, undefined> {
  requirePositiveInteger("limit", options.limit);
  requireTime("updatedSince", options.updatedSince);
  if (options.updatedSince !== undefined)
    checkGate(client, { since: "3.60" }, "the updatedSince volume filter");
  const { metadata, updatedSince, allTenants, ...rest } = options;
  const query = {
    ...queryOf(rest, VOLUME_QUERY),
    ...(metadata !== undefined && { [VOLUME_QUERY.metadata]: JSON.stringify(metadata) }),
    ...(allTenants !== undefined && { [VOLUME_QUERY.allTenants]: allTenants ? 1 : 0 }),
    ...(updatedSince !== undefined && {
      [VOLUME_QUERY.updatedSince]: `gte:${updatedSince instanceof Date ? updatedSince.toISOString() : updatedSince}`,
    }),
  };
  return paginate<VolumeWire>(
    client,
    { method: "GET", path: volumesDetailPath(), query, okStatus: [200], ...callFields(call) },
    linksStrategy<VolumeWire>("volumes"),
  );
}

function volumeOf(response: HttpResponse): VolumeWire {
  const volume = response.json<{ volume?: VolumeWire } | undefined>()?.volume;
  if (!volume) throw new OaktreeError('block-storage: the response has no "volume"');
  return volume;
}

/** One volume by id. */
export async function getVolume(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<VolumeWire> {
  requireId("id", id);
  return volumeOf(
    await client.request({ method: "GET", path: volumePath(id), okStatus: [200], ...callFields(call) }),
  );
}

/** What a new volume is made of: a size, or a source (snapshot, volume) that implies one. */
export interface CreateVolumeOptions {
  /** GiB; required unless made from a snapshot or another volume. */
  readonly size?: number;
  readonly name?: string;
  readonly description?: string;
  /** A type name or id. */
  readonly volumeType?: string;
  readonly availabilityZone?: string;
  /** Make it from this image (a bootable volume). */
  readonly imageRef?: string;
  readonly snapshotId?: string;
  readonly sourceVolumeId?: string;
  readonly backupId?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly multiattach?: boolean;
}

/**
 * Creates a volume (`POST /volumes`, 202; it starts in "creating").
 * NOTE: "bootable" is not set at create: a volume made from an image is bootable already, and
 * others are marked with {@link setVolumeBootable} once available (as openstacksdk's cloud
 * layer does).
 */
export async function createVolume(
  client: ServiceClient,
  options: CreateVolumeOptions,
  call: CallOptions = {},
): Promise<VolumeWire> {
  const sources = [options.imageRef, options.snapshotId, options.sourceVolumeId, options.backupId].filter(
    (source) => source !== undefined,
  );
  if (sources.length > 1) {
    throw new ValidationError(
      "imageRef",
      "give at most one of imageRef, snapshotId, sourceVolumeId, backupId",
    );
  }
  // A snapshot, a source volume or a backup brings its own size; an image or nothing does not.
  const sized = options.snapshotId ?? options.sourceVolumeId ?? options.backupId;
  if (options.size === undefined && sized === undefined) {
    throw new ValidationError(
      "size",
      "is required unless the volume is made from a snapshot, volume or backup",
    );
  }
  requirePositiveInteger("size", options.size);
  const body: VolumeCreateWire = compact({
    size: options.size,
    name: options.name,
    description: options.description,
    volume_type: options.volumeType,
    availability_zone: options.availabilityZone,
    imageRef: options.imageRef,
    snapshot_id: options.snapshotId,
    source_volid: options.sourceVolumeId,
    backup_id: options.backupId,
    metadata: options.metadata,
    multiattach: options.multiattach,
  });
  return volumeOf(
    await client.request({
      method: "POST",
      path: volumesPath(),
      json: { volume: body },
      okStatus: [202],
      ...callFields(call),
    }),
  );
}

/** Changes to a volume; `metadata` replaces all of it. */
export interface UpdateVolumeOptions {
  readonly name?: string;
  readonly description?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Updates a volume (`PUT /volumes/{id}`, 200). */
export async function updateVolume(
  client: ServiceClient,
  id: string,
  changes: UpdateVolumeOptions,
  call: CallOptions = {},
): Promise<VolumeWire> {
  requireId("id", id);
  const body: VolumeUpdateWire = compact({ ...changes });
  if (Object.keys(body).length === 0) throw new ValidationError("changes", "nothing to update");
  return volumeOf(
    await client.request({
      method: "PUT",
      path: volumePath(id),
      json: { volume: body },
      okStatus: [200],
      ...callFields(call),
    }),
  );
}

/** How a volume is deleted. */
export interface DeleteVolumeOptions {
  /** Delete its snapshots too (`?cascade=true`). */
  readonly cascade?: boolean;
}

/** Deletes a volume (`DELETE /volumes/{id}`, 202). */
export async function deleteVolume(
  client: ServiceClient,
  id: string,
  options: DeleteVolumeOptions = {},
  call: CallOptions = {},
): Promise<void> {
  requireId("id", id);
  await client.request({
    method: "DELETE",
    path: volumePath(id),
    ...(options.cascade && { query: { cascade: true } }),
    okStatus: [202],
    ...callFields(call),
  });
}

/** How a volume action is sent: gates and accepted statuses. */
export interface VolumeActionOptions extends MicroversionGate {
  /** Cinder answers most actions 202, some 200. */
  readonly okStatus?: readonly number[];
  readonly microversion?: string;
}

/**
 * The one funnel for `POST /volumes/{id}/action`: `body` is the action object, e.g.
 * `{ "os-extend": { "new_size": 3 } }`. Gates are checked before any I/O.
 */
export async function volumeAction(
  client: ServiceClient,
  id: string,
  body: Readonly<Record<string, unknown>>,
  call: CallOptions = {},
  options: VolumeActionOptions = {},
): Promise<HttpResponse> {
  requireId("id", id);
  const keys = Object.keys(body);
  if (keys.length !== 1)
    throw new ValidationError("body", "a volume action body has exactly one key, the action's name");
  checkGate(client, options, `the volume action ${keys[0]}`);
  return client.request({
    method: "POST",
    path: volumeActionPath(id),
    json: body,
    okStatus: options.okStatus ?? [200, 202],
    ...(options.microversion !== undefined && { microversion: options.microversion }),
    ...callFields(call),
  });
}

/**
 * Grows a volume to `newSize` GiB (os-extend).
 * NOTE: extending an attached ("in-use") volume needs volume microversion 3.42; cinder
 * refuses it below that.
 */
export async function extendVolume(
  client: ServiceClient,
  id: string,
  newSize: number,
  call: CallOptions = {},
): Promise<void> {
  requirePositiveInteger("newSize", newSize);
  await volumeAction(client, id, { "os-extend": { new_size: newSize } }, call);
}

/** Marks a volume bootable or not (os-set_bootable). */
export async function setVolumeBootable(
  client: ServiceClient,
  id: string,
  bootable: boolean,
  call: CallOptions = {},
): Promise<void> {
  if (typeof bootable !== "boolean") throw new ValidationError("bootable", "must be true or false");
  await volumeAction(client, id, { "os-set_bootable": { bootable } }, call);
}

/** The states an admin may force on a volume (os-reset_status). */
export interface ResetVolumeStatusOptions {
  readonly status: string;
  readonly attachStatus?: "attached" | "detached";
  readonly migrationStatus?: string;
}

/** Admin only: forces a volume's status fields (os-reset_status). */
export async function resetVolumeStatus(
  client: ServiceClient,
  id: string,
  options: ResetVolumeStatusOptions,
  call: CallOptions = {},
): Promise<void> {
  requireId("status", options.status);
  const reset = compact({
    status: options.status,
    attach_status: options.attachStatus,
    migration_status: options.migrationStatus,
  });
  await volumeAction(client, id, { "os-reset_status": reset }, call);
}

/** Admin only: deletes a volume whatever its state (os-force_delete). */
export async function forceDeleteVolume(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<void> {
  await volumeAction(client, id, { "os-force_delete": {} }, call);
}
