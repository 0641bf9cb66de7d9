import { badRequest, forbidden, SimError } from "../../core/errors.js";
import type { ImageRecord } from "../../core/records.js";
import type { Profile } from "../../profiles.js";
import { containerFormats, diskFormats, visibilities } from "./schemas.js";

const READ_ONLY = new Set([
  "created_at",
  "updated_at",
  "status",
  "checksum",
  "size",
  "virtual_size",
  "direct_url",
  "self",
  "file",
  "schema",
  "os_hash_algo",
  "os_hash_value",
]);
const RESERVED = new Set(["location", "deleted", "deleted_at", "locations", "stores"]);

/** What a caller may change and how: the profile (enums) and whether they are admin (publicize). */
export interface FieldContext {
  readonly profile: Profile;
  readonly admin: boolean;
}

function schemaError(message: string): SimError {
  return badRequest(`Provided object does not match schema 'image': ${message}`);
}

/**
 * Sets one image attribute (create body member or JSON-patch path root) the way glance validates it:
 * 403 for read-only or reserved attributes, 400 naming the field for bad values, `undefined` removes
 * an extra property.
 */
export function setField(ctx: FieldContext, img: ImageRecord, key: string, value: unknown): void {
  if (READ_ONLY.has(key)) throw forbidden(`Attribute '${key}' is read-only.`);
  if (RESERVED.has(key) || key.startsWith("os_glance")) throw forbidden(`Attribute '${key}' is reserved.`);
  switch (key) {
    case "id":
      throw forbidden("Attribute 'id' is read-only.");
    case "name":
      if (value !== null && typeof value !== "string")
        throw schemaError(`${JSON.stringify(value)} is not of type 'null', 'string'`);
      if (typeof value === "string" && value.length > 255)
        throw schemaError("name is too long (maximum 255 characters)");
      img.name = value ?? "";
      return;
    case "disk_format":
    case "container_format": {
      const allowed = key === "disk_format" ? diskFormats(ctx.profile) : containerFormats(ctx.profile);
      if (value !== null && (typeof value !== "string" || !allowed.includes(value))) {
        throw schemaError(
          `${JSON.stringify(value)} is not one of [${["None", ...allowed.map((f) => `'${f}'`)].join(", ")}] (field ${key})`,
        );
      }
      if (img.status !== "queued" && img[key] !== value)
        throw forbidden(`Attribute ${key} can be only replaced for a queued image.`);
      img[key] = value as string | null;
      return;
    }
    case "visibility": {
      const allowed = visibilities(ctx.profile);
      if (typeof value !== "string" || !allowed.includes(value)) {
        throw schemaError(
          `${JSON.stringify(value)} is not one of ${JSON.stringify(allowed)} (field visibility)`,
        );
      }
      // NOTE: glance's default policy lets only admins publicize an image.
      if (value === "public" && !ctx.admin)
        throw forbidden("You are not authorized to complete publicize_image action.");
      img.visibility = value as ImageRecord["visibility"];
      return;
    }
    case "min_disk":
    case "min_ram":
      if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
        throw schemaError(
          `${JSON.stringify(value)} is not of type 'integer' or is less than the minimum of 0 (field ${key})`,
        );
      }
      img[key] = value;
      return;
    case "protected":
    case "os_hidden":
      if (typeof value !== "boolean")
        throw schemaError(`${JSON.stringify(value)} is not of type 'boolean' (field ${key})`);
      img[key] = value;
      return;
    case "tags":
      if (!Array.isArray(value) || value.some((t) => typeof t !== "string")) {
        throw schemaError(`${JSON.stringify(value)} is not of type 'array' of strings (field tags)`);
      }
      img.tags = [...new Set(value as string[])];
      return;
    case "owner":
      // NOTE: the simulator indexes records by owner, so it does not move images between projects.
      if (value !== img.project_id) throw forbidden("You are not permitted to modify 'owner' on this image.");
      return;
    default:
      if (value === undefined) {
        delete img.properties[key];
        return;
      }
      if (typeof value !== "string") {
        throw schemaError(`${JSON.stringify(value)} is not of type 'string' (extra property ${key})`);
      }
      img.properties[key] = value;
  }
}

/** True when `key` is a glance base attribute (not an extra property). */
export function isBaseAttribute(key: string): boolean {
  return (
    [
      "name",
      "disk_format",
      "container_format",
      "visibility",
      "min_disk",
      "min_ram",
      "protected",
      "os_hidden",
      "tags",
      "owner",
      "id",
    ].includes(key) || READ_ONLY.has(key)
  );
}

/** Raises glance's 409 for a property a JSON patch removes or replaces that the image lacks. */
export function requireProperty(img: ImageRecord, key: string): void {
  if (!isBaseAttribute(key) && !(key in img.properties))
    throw new SimError(409, `Property ${key} does not exist.`);
}
