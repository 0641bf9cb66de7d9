import type { ImageRecord } from "../../core/records.js";
import type { TaskRecord } from "./state.js";

/** `2014-05-05T17:15:10Z`: glance v2 timestamps. */
function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** `2015-03-09T21:18:39.000000`: glance v1 timestamps (no zone). */
export function isoV1(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000");
}

/** A glance v2 image: fixed attributes, extra properties at the top level, links as paths. */
export function imageView(img: ImageRecord): Record<string, unknown> {
  return {
    ...img.properties,
    status: img.status,
    name: img.name === "" ? null : img.name,
    tags: [...img.tags],
    container_format: img.container_format,
    created_at: iso(img.created),
    disk_format: img.disk_format,
    updated_at: iso(img.updated),
    visibility: img.visibility,
    self: `/v2/images/${img.id}`,
    min_disk: img.min_disk,
    protected: img.protected,
    id: img.id,
    file: `/v2/images/${img.id}/file`,
    checksum: img.checksum,
    os_hash_algo: img.os_hash_algo,
    os_hash_value: img.os_hash_value,
    os_hidden: img.os_hidden,
    owner: img.project_id,
    size: img.size,
    min_ram: img.min_ram,
    schema: "/v2/schemas/image",
    virtual_size: img.virtual_size,
  };
}

/** A glance v2 task. */
export function taskView(t: TaskRecord): Record<string, unknown> {
  return {
    id: t.id,
    type: t.type,
    status: t.status,
    input: t.input,
    result: t.result,
    owner: t.owner,
    message: t.message,
    // NOTE: glance shows expires_at only once it is set (when the task ends).
    ...(t.expires === null ? {} : { expires_at: iso(t.expires) }),
    created_at: iso(t.created),
    updated_at: iso(t.updated),
    self: `/v2/tasks/${t.id}`,
    schema: "/v2/schemas/task",
  };
}

/** A glance v1 image (`/v1/images/detail`, `{"image": ...}`). */
export function imageViewV1(img: ImageRecord): Record<string, unknown> {
  return {
    status: img.status,
    name: img.name,
    deleted: false,
    container_format: img.container_format,
    created_at: isoV1(img.created),
    disk_format: img.disk_format,
    updated_at: isoV1(img.updated),
    min_disk: img.min_disk,
    protected: img.protected,
    id: img.id,
    min_ram: img.min_ram,
    checksum: img.checksum,
    owner: img.project_id,
    is_public: img.visibility === "public",
    deleted_at: null,
    properties: { ...img.properties },
    size: img.size ?? 0,
    virtual_size: img.virtual_size,
  };
}

/** A glance v1 image as `x-image-meta-*` headers (HEAD and GET of `/v1/images/{id}`). */
export function imageHeadersV1(img: ImageRecord): Record<string, string> {
  const v = imageViewV1(img);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (k === "properties") continue;
    out[`x-image-meta-${k}`] =
      val === null ? "None" : typeof val === "boolean" ? (val ? "True" : "False") : String(val);
  }
  for (const [k, val] of Object.entries(img.properties)) out[`x-image-meta-property-${k}`] = val;
  return out;
}

/** Whether a project may see an image (owner, public, community, or accepted/pending member). */
export function canSee(
  img: ImageRecord,
  projectId: string,
  admin: boolean,
  members: Map<string, Map<string, { status: string }>>,
): boolean {
  if (admin || img.project_id === projectId) return true;
  if (img.visibility === "public" || img.visibility === "community") return true;
  if (img.visibility === "shared") return members.get(img.id)?.has(projectId) ?? false;
  return false;
}
