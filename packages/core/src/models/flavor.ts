import type { FlavorWire } from "../services/compute/v2/flavors/wire.js";
import { type Location, locationOf, type NormalizeContext } from "./location.js";
import { readingWire } from "./malformed.js";
import { restOf } from "./model-helpers.js";

/** A nova flavor (region-level: no zone). */
export interface Flavor {
  readonly location: Location;
  readonly id: string;
  readonly name: string;
  readonly vcpus: number;
  /** MiB */
  readonly ram: number;
  /** GiB of root disk; 0 means the image's size (or boot from volume). */
  readonly disk: number;
  /** GiB */
  readonly ephemeral: number;
  /** MiB */
  readonly swap: number;
  readonly rxtxFactor: number;
  readonly isPublic: boolean;
  readonly isDisabled: boolean;
  /** Empty when the cloud did not send them (before 2.61, or by policy). */
  readonly extraSpecs: Readonly<Record<string, string>>;
  readonly description?: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

const CONSUMED = new Set([
  "id",
  "name",
  "vcpus",
  "ram",
  "disk",
  "swap",
  "OS-FLV-EXT-DATA:ephemeral",
  "OS-FLV-DISABLED:disabled",
  "os-flavor-access:is_public",
  "rxtx_factor",
  "extra_specs",
  "description",
  "links",
]);

const num = (value: unknown, fallback = 0): number => {
  const n = typeof value === "string" ? (value === "" ? fallback : Number(value)) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : fallback;
};

/**
 * Normalizes a flavor. NOTE: nova sends swap "" for none before compute 2.75; `ephemeral` and
 * `is_public` come under extension keys. Flavors are not owned by the caller's project, but
 * are listed in its context, so the location keeps the caller's project.
 */
export const normalizeFlavor: (wire: FlavorWire, ctx: NormalizeContext) => Flavor = readingWire(
  "flavor",
  readFlavor,
);

function readFlavor(wire: FlavorWire, ctx: NormalizeContext): Flavor {
  return {
    location: locationOf(ctx),
    id: String(wire.id),
    name: wire.name,
    vcpus: num(wire.vcpus),
    ram: num(wire.ram),
    disk: num(wire.disk),
    ephemeral: num(wire["OS-FLV-EXT-DATA:ephemeral"] ?? wire.ephemeral),
    swap: num(wire.swap),
    rxtxFactor: num(wire.rxtx_factor, 1),
    isPublic: wire["os-flavor-access:is_public"] !== false,
    isDisabled: wire["OS-FLV-DISABLED:disabled"] === true,
    extraSpecs: { ...(wire.extra_specs ?? {}) },
    ...(typeof wire.description === "string" && wire.description !== "" && { description: wire.description }),
    properties: restOf(wire, CONSUMED),
  };
}
