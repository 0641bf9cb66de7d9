import type { ImageRecord } from "../../core/records.js";
import type { World } from "../../core/world.js";
import { DEFAULT_MAX_BODY_BYTES } from "../object-store/body.js";

/** A glance task (v2 `/tasks`): task import from object storage on the Rackspace profile. */
export interface TaskRecord {
  readonly id: string;
  readonly owner: string;
  readonly type: string;
  status: "pending" | "processing" | "success" | "failure";
  readonly input: Record<string, unknown>;
  result: Record<string, unknown> | null;
  message: string;
  readonly created: number;
  updated: number;
  expires: number | null;
}

/** Member status of a project on a shared image. */
export type MemberStatus = "pending" | "accepted" | "rejected";

/** One image membership. */
export interface MemberRecord {
  status: MemberStatus;
  readonly created: number;
  updated: number;
}

/** glance's private state in the world. */
export interface ImageState {
  /** Bytes staged for `glance-direct`, by image id. */
  readonly staged: Map<string, Uint8Array>;
  readonly tasks: Map<string, TaskRecord>;
  /** image id -> member project id -> membership. */
  readonly members: Map<string, Map<string, MemberRecord>>;
  /** Largest accepted image upload (413 beyond), default 1 GiB. */
  maxUploadBytes: number;
  /** How long an import or a task stays in progress, ms (default: the world's build delay, at most 1 s). */
  importDelayMs: number;
}

/** The world's glance state. */
export function imageState(world: World): ImageState {
  return world.state<ImageState>("image", () => ({
    staged: new Map(),
    tasks: new Map(),
    members: new Map(),
    maxUploadBytes: DEFAULT_MAX_BODY_BYTES,
    importDelayMs: Math.min(world.buildDelayMs, 1000),
  }));
}

/** A new image record with glance's defaults (queued, no data). */
export function newImage(
  world: World,
  owner: string,
  fields: Partial<Omit<ImageRecord, "project_id" | "seq">>,
): ImageRecord {
  const now = world.clock.now();
  return world.images.insert({
    id: fields.id ?? world.ids.uuid(),
    project_id: owner,
    seq: world.ids.seq(),
    name: "",
    status: "queued",
    visibility: "shared",
    disk_format: null,
    container_format: null,
    size: null,
    virtual_size: null,
    checksum: null,
    os_hash_algo: null,
    os_hash_value: null,
    min_disk: 0,
    min_ram: 0,
    protected: false,
    os_hidden: false,
    tags: [],
    properties: {},
    created: now,
    updated: now,
    data: null,
    fail_builds: false,
    ...fields,
  });
}

/** Stores image data: size, md5 checksum and sha512 multihash, then `active`. */
export function setImageData(
  world: World,
  img: ImageRecord,
  bytes: Uint8Array,
  digests: { md5: string; sha512: string },
): void {
  img.data = bytes;
  img.size = bytes.byteLength;
  img.checksum = digests.md5;
  img.os_hash_algo = "sha512";
  img.os_hash_value = digests.sha512;
  img.status = "active";
  img.updated = world.clock.now();
}
