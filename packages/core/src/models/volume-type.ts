import type { VolumeTypeWire } from "../services/block-storage/v3/types/wire.js";
import { type Location, locationOf, type NormalizeContext } from "./location.js";
import { definedOnly, restOf, str } from "./model-helpers.js";

/** A volume type (a class of storage: backend, QoS, encryption). */
export interface VolumeType {
  /** Region-level. */
  readonly location: Location;
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly isPublic: boolean;
  /** Admin only on most clouds (empty for other users). */
  readonly extraSpecs: Readonly<Record<string, string>>;
  readonly properties: Readonly<Record<string, unknown>>;
}

const CONSUMED = new Set([
  "id",
  "name",
  "description",
  "is_public",
  "os-volume-type-access:is_public",
  "extra_specs",
]);

/** Normalizes a volume type. NOTE: `is_public` is also sent as `os-volume-type-access:is_public`. */
export function normalizeVolumeType(wire: VolumeTypeWire, ctx: NormalizeContext): VolumeType {
  const isPublic = wire.is_public ?? wire["os-volume-type-access:is_public"] ?? true;
  return {
    location: locationOf(ctx),
    id: wire.id,
    name: wire.name ?? "",
    ...definedOnly({ description: str(wire.description) }),
    isPublic: isPublic !== false,
    extraSpecs: { ...(wire.extra_specs ?? {}) },
    properties: restOf(wire, CONSUMED),
  };
}
