import type { VolumeRecord } from "../../core/records.js";
import type { Row } from "../../core/table.js";
import { Table } from "../../core/table.js";
import type { World } from "../../core/world.js";

/** A cinder snapshot. */
export interface SnapshotRecord extends Row {
  name: string | null;
  description: string | null;
  volume_id: string;
  user_id: string;
  size: number;
  status: string;
  metadata: Record<string, string>;
  created: number;
  updated: number | null;
}

/** A cinder volume type (global: `project_id` is ""). */
export interface VolumeTypeRecord extends Row {
  name: string;
  description: string | null;
  is_public: boolean;
  extra_specs: Record<string, string>;
}

/**
 * A cinder attachment (v3 attachments API, 3.27+). While `reserved`/`attaching` it lives only here;
 * once attached, the volume's shared `attachments` list (which nova reads and writes) carries it too.
 */
export interface CinderAttachment {
  readonly id: string;
  readonly volume_id: string;
  readonly instance: string | null;
  status: "reserved" | "attaching" | "attached" | "detached";
  attach_mode: "rw" | "ro";
  connector: Record<string, unknown> | null;
  attached_at: number | null;
  detached_at: number | null;
  mountpoint: string | null;
}

/** What cinder knows about a volume beyond the shared record. */
export interface VolumeExtra {
  migration_status: string | null;
  /** `volume_image_metadata` of a volume created from an image. */
  image_metadata: Record<string, string> | null;
  /** The status to go back to when an action in progress ends (`extending` -> `available`). */
  readonly_flag: boolean;
}

/** cinder's private state in the world. */
export interface VolumeState {
  readonly snapshots: Table<SnapshotRecord>;
  readonly types: Table<VolumeTypeRecord>;
  readonly attachments: Map<string, CinderAttachment>;
  readonly extras: Map<string, VolumeExtra>;
  /** Name of the default volume type. */
  defaultType: string;
  /** How long volumes and snapshots stay `creating`/`deleting`/`extending`, ms. */
  delayMs: number;
}

/** The world's cinder state. */
export function volumeState(world: World): VolumeState {
  return world.state<VolumeState>("block-storage", () => ({
    snapshots: new Table<SnapshotRecord>(),
    types: new Table<VolumeTypeRecord>(),
    attachments: new Map(),
    extras: new Map(),
    defaultType: "lvmdriver-1",
    delayMs: Math.min(world.buildDelayMs, 1000),
  }));
}

/** The extra state of a volume (created on first use: nova also creates volumes). */
export function extraOf(world: World, vol: VolumeRecord): VolumeExtra {
  const extras = volumeState(world).extras;
  let e = extras.get(vol.id);
  if (!e) {
    e = { migration_status: null, image_metadata: null, readonly_flag: false };
    extras.set(vol.id, e);
  }
  return e;
}

/** Seeds the volume types of a fresh devstack (`lvmdriver-1` the default; Zed also has `__DEFAULT__`). */
export function seedVolumeTypes(world: World): void {
  const st = volumeState(world);
  if (st.types.size > 0) return;
  const add = (name: string, description: string | null, extra: Record<string, string>) =>
    st.types.insert({
      id: world.ids.uuid(),
      project_id: "",
      seq: world.ids.seq(),
      name,
      description,
      is_public: true,
      extra_specs: extra,
    });
  if (world.profile.name === "modern") add("__DEFAULT__", "Default Volume Type", {});
  add("lvmdriver-1", null, { volume_backend_name: "lvmdriver-1" });
}
