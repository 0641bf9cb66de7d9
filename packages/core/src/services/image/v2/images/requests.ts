import { ValidationError } from "../../../../errors.js";
import { nextPathStrategy, paginate } from "../../../../http/paginate.js";
import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { type QueryNames, queryOf, requireId, requirePositiveInteger } from "../../../query.js";
import { imagePath, imagesPath } from "./urls.js";
import type { ImagePatchOperation, ImageWire } from "./wire.js";

/** Filters and paging of GET /images. */
export interface ListImagesOptions {
  readonly name?: string;
  readonly status?: string;
  readonly visibility?: "public" | "private" | "shared" | "community" | "all";
  readonly owner?: string;
  readonly memberStatus?: "accepted" | "pending" | "rejected" | "all";
  readonly tag?: readonly string[];
  readonly diskFormat?: string;
  readonly containerFormat?: string;
  /** Glance operators: `gte:1000`, `lt:2000`... */
  readonly size?: string;
  readonly protected?: boolean;
  /** Hidden images (os_hidden) too. */
  readonly osHidden?: boolean;
  /** e.g. `gt:2024-01-01T00:00:00Z` */
  readonly createdAt?: string;
  readonly updatedAt?: string;
  /** `name:asc,created_at:desc` */
  readonly sort?: string;
  readonly sortKey?: string;
  readonly sortDir?: "asc" | "desc";
  readonly limit?: number;
  readonly marker?: string;
}

const LIST_QUERY: QueryNames<ListImagesOptions> = {
  name: "name",
  status: "status",
  visibility: "visibility",
  owner: "owner",
  memberStatus: "member_status",
  tag: "tag",
  diskFormat: "disk_format",
  containerFormat: "container_format",
  size: "size",
  protected: "protected",
  osHidden: "os_hidden",
  createdAt: "created_at",
  updatedAt: "updated_at",
  sort: "sort",
  sortKey: "sort_key",
  sortDir: "sort_dir",
  limit: "limit",
  marker: "marker",
};

/** GET /images, page after page (glance's top-level `next`). */
export function listImages(
  client: ServiceClient,
  options: ListImagesOptions = {},
  call: CallOptions = {},
): AsyncGenerator<ImageWire, void, undefined> {
  requirePositiveInteger("limit", options.limit);
  return paginate<ImageWire>(
    client,
    {
      method: "GET",
      path: imagesPath(),
      query: queryOf(options, LIST_QUERY),
      okStatus: [200],
      ...callFields(call),
    },
    nextPathStrategy("images"),
  );
}

/** GET /images/{id} (the image itself, not wrapped in an envelope). */
export async function getImage(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<ImageWire> {
  requireId("id", id);
  const response = await client.request({
    method: "GET",
    path: imagePath(id),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<ImageWire>();
}

/** Core attributes of POST /images; custom properties go in `properties` (string values). */
export interface CreateImageOptions {
  readonly name: string;
  readonly id?: string;
  readonly diskFormat?: string;
  readonly containerFormat?: string;
  readonly visibility?: "public" | "private" | "shared" | "community";
  readonly minDisk?: number;
  readonly minRam?: number;
  readonly protected?: boolean;
  readonly tags?: readonly string[];
  readonly properties?: Readonly<Record<string, string>>;
}

/** The core keys glance rejects as custom properties. */
const RESERVED = new Set([
  "id",
  "name",
  "status",
  "visibility",
  "disk_format",
  "container_format",
  "min_disk",
  "min_ram",
  "protected",
  "tags",
  "owner",
  "size",
  "virtual_size",
  "checksum",
  "created_at",
  "updated_at",
  "file",
  "self",
  "schema",
  "locations",
  "direct_url",
  "os_hash_algo",
  "os_hash_value",
]);

/** POST /images (201): a queued image record, without data yet. */
export async function createImage(
  client: ServiceClient,
  options: CreateImageOptions,
  call: CallOptions = {},
): Promise<ImageWire> {
  requireId("name", options.name);
  const body: Record<string, unknown> = {
    name: options.name,
    ...(options.id !== undefined && { id: options.id }),
    ...(options.diskFormat !== undefined && { disk_format: options.diskFormat }),
    ...(options.containerFormat !== undefined && { container_format: options.containerFormat }),
    ...(options.visibility !== undefined && { visibility: options.visibility }),
    ...(options.minDisk !== undefined && { min_disk: options.minDisk }),
    ...(options.minRam !== undefined && { min_ram: options.minRam }),
    ...(options.protected !== undefined && { protected: options.protected }),
    ...(options.tags !== undefined && { tags: options.tags }),
  };
  for (const [key, value] of Object.entries(options.properties ?? {})) {
    if (RESERVED.has(key))
      throw new ValidationError(`properties.${key}`, "is a core image attribute, not a property");
    if (typeof value !== "string") throw new ValidationError(`properties.${key}`, "must be a string");
    body[key] = value;
  }
  const response = await client.request({
    method: "POST",
    path: imagesPath(),
    json: body,
    okStatus: [201],
    ...callFields(call),
  });
  return response.json<ImageWire>();
}

/** The media type glance v2 requires for PATCH. */
export const IMAGE_PATCH_CONTENT_TYPE = "application/openstack-images-v2.1-json-patch";

/**
 * PATCH /images/{id} with JSON-patch operations, e.g.
 * `[{ op: "replace", path: "/name", value: "x" }, { op: "remove", path: "/os_distro" }]`.
 */
export async function updateImage(
  client: ServiceClient,
  id: string,
  operations: readonly ImagePatchOperation[],
  call: CallOptions = {},
): Promise<ImageWire> {
  requireId("id", id);
  if (operations.length === 0) throw new ValidationError("operations", "nothing to update");
  operations.forEach((operation, i) => {
    if (!["add", "replace", "remove"].includes(operation.op)) {
      throw new ValidationError(`operations[${i}].op`, 'must be "add", "replace" or "remove"');
    }
    if (!operation.path.startsWith("/"))
      throw new ValidationError(`operations[${i}].path`, 'must start with "/"');
  });
  // NOTE: glance v2 refuses PATCH with application/json: the body is JSON, the type is its own.
  const bytes = new TextEncoder().encode(JSON.stringify(operations));
  const response = await client.request({
    method: "PATCH",
    path: imagePath(id),
    body: { kind: "bytes", value: bytes, contentType: IMAGE_PATCH_CONTENT_TYPE },
    headers: { "content-type": IMAGE_PATCH_CONTENT_TYPE },
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<ImageWire>();
}

/** DELETE /images/{id} (204). */
export async function deleteImage(client: ServiceClient, id: string, call: CallOptions = {}): Promise<void> {
  requireId("id", id);
  await client.request({ method: "DELETE", path: imagePath(id), okStatus: [204], ...callFields(call) });
}
