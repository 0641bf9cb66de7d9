import type { ImageV1Wire } from "../services/image/v1/images/wire.js";
import type { ImageWire } from "../services/image/v2/images/wire.js";
import { isoTime } from "../timestamps.js";
import { type Location, locationOf, type NormalizeContext } from "./location.js";
import { readingWire } from "./malformed.js";
import { definedOnly, finiteNumber, restOf, str } from "./model-helpers.js";

/** A glance image (region-level: no zone), from glance v2 or v1. */
export interface Image {
  /** project = the image's owner. */
  readonly location: Location;
  readonly id: string;
  readonly name: string;
  /** queued, saving, importing, active, deactivated, killed, deleted, pending_delete, ... */
  readonly status: string;
  /** public, private, shared or community (v1: public or private from is_public). */
  readonly visibility: string;
  readonly diskFormat?: string;
  readonly containerFormat?: string;
  /** Bytes. */
  readonly size?: number;
  readonly virtualSize?: number;
  /** MD5 of the data. */
  readonly checksum?: string;
  /** Multihash (glance Rocky+): e.g. "sha512". */
  readonly hashAlgo?: string;
  readonly hashValue?: string;
  /** GiB */
  readonly minDisk: number;
  /** MiB */
  readonly minRam: number;
  readonly owner?: string;
  readonly protected: boolean;
  readonly tags: readonly string[];
  readonly createdAt?: string;
  readonly updatedAt?: string;
  /** Every non-core key: custom properties (os_distro, hw_*), os_hidden, locations, ... */
  readonly properties: Readonly<Record<string, unknown>>;
}

/** Core v2 keys (read into fields, or links that say nothing about the image). */
const CORE_V2 = new Set([
  "id",
  "name",
  "status",
  "visibility",
  "disk_format",
  "container_format",
  "size",
  "virtual_size",
  "checksum",
  "os_hash_algo",
  "os_hash_value",
  "min_disk",
  "min_ram",
  "owner",
  "protected",
  "tags",
  "created_at",
  "updated_at",
  "self",
  "file",
  "schema",
]);

function compactImage(image: Record<string, unknown>): Image {
  return definedOnly(image) as unknown as Image;
}

/** Normalizes a glance v2 image. */
export const normalizeImage: (wire: ImageWire, ctx: NormalizeContext) => Image = readingWire(
  "image",
  readImage,
);

function readImage(wire: ImageWire, ctx: NormalizeContext): Image {
  return compactImage({
    location: locationOf(ctx, wire.owner),
    id: wire.id,
    name: wire.name ?? "",
    status: wire.status,
    visibility: wire.visibility ?? "private",
    diskFormat: str(wire.disk_format),
    containerFormat: str(wire.container_format),
    size: finiteNumber(wire.size),
    virtualSize: finiteNumber(wire.virtual_size),
    checksum: str(wire.checksum),
    hashAlgo: str(wire.os_hash_algo),
    hashValue: str(wire.os_hash_value),
    minDisk: finiteNumber(wire.min_disk) ?? 0,
    minRam: finiteNumber(wire.min_ram) ?? 0,
    owner: str(wire.owner),
    protected: wire.protected === true,
    tags: [...(wire.tags ?? [])],
    createdAt: isoTime(wire.created_at),
    updatedAt: isoTime(wire.updated_at),
    properties: restOf(wire, CORE_V2),
  });
}

const CORE_V1 = new Set([
  "id",
  "name",
  "status",
  "is_public",
  "disk_format",
  "container_format",
  "size",
  "virtual_size",
  "checksum",
  "min_disk",
  "min_ram",
  "owner",
  "protected",
  "created_at",
  "updated_at",
  "properties",
]);

/**
 * Normalizes a glance v1 image into the same shape: is_public becomes the visibility, the
 * `properties` object (x-image-meta-property-*) and other non-core keys become properties.
 * NOTE: glance v1 has no tags and no multihash; its times have no zone (UTC).
 */
export function normalizeImageV1(wire: ImageV1Wire, ctx: NormalizeContext): Image {
  const extras = restOf(wire, CORE_V1);
  return compactImage({
    location: locationOf(ctx, wire.owner),
    id: wire.id,
    name: wire.name ?? "",
    status: wire.status,
    visibility: wire.is_public ? "public" : "private",
    diskFormat: str(wire.disk_format),
    containerFormat: str(wire.container_format),
    size: finiteNumber(wire.size),
    virtualSize: finiteNumber(wire.virtual_size),
    checksum: str(wire.checksum),
    minDisk: finiteNumber(wire.min_disk) ?? 0,
    minRam: finiteNumber(wire.min_ram) ?? 0,
    owner: str(wire.owner),
    protected: wire.protected === true,
    tags: [],
    createdAt: isoTime(wire.created_at),
    updatedAt: isoTime(wire.updated_at),
    properties: { ...extras, ...(wire.properties ?? {}) },
  });
}
