import type { SnapshotWire } from "../services/block-storage/v3/snapshots/wire.js";
import { isoTime } from "../timestamps.js";
import { type Location, locationOf, type NormalizeContext } from "./location.js";
import { definedOnly, restOf, str } from "./model-helpers.js";

/** A point-in-time copy of a volume. */
export interface Snapshot {
  readonly location: Location;
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  /** creating, available, deleting, error, ... */
  readonly status: string;
  /** GiB. */
  readonly size: number;
  readonly volumeId: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** "0%" to "100%", when cinder reports it. */
  readonly progress?: string;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

const CONSUMED = new Set([
  "id",
  "name",
  "description",
  "status",
  "size",
  "volume_id",
  "metadata",
  "created_at",
  "updated_at",
  "os-extended-snapshot-attributes:progress",
  "os-extended-snapshot-attributes:project_id",
]);

/** Normalizes a snapshot of any cinder version. */
export function normalizeSnapshot(wire: SnapshotWire, ctx: NormalizeContext): Snapshot {
  return {
    location: locationOf(ctx, wire["os-extended-snapshot-attributes:project_id"]),
    id: wire.id,
    name: wire.name ?? "",
    ...definedOnly({
      description: str(wire.description),
      progress: str(wire["os-extended-snapshot-attributes:progress"]),
      createdAt: isoTime(wire.created_at),
      updatedAt: isoTime(wire.updated_at),
    }),
    status: wire.status ?? "UNKNOWN",
    size: typeof wire.size === "number" ? wire.size : 0,
    volumeId: wire.volume_id,
    metadata: { ...(wire.metadata ?? {}) },
    properties: restOf(wire, CONSUMED),
  };
}
