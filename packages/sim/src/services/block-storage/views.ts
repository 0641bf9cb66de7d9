import { atLeast } from "../../core/microversion.js";
import type { VolumeRecord } from "../../core/records.js";
import type { SimContext } from "../../core/service.js";
import { extraOf, type SnapshotRecord, volumeState } from "./state.js";

/** `2018-11-29T06:50:07.770785`: cinder timestamps (UTC, microseconds, no zone). */
export function cinderTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString().replace(/Z$/, "000");
}

/** The request's microversion is at least `v` (always false on v2, which has none). */
export function mvAtLeast(c: SimContext, v: string): boolean {
  const mv = c.var.microversion;
  return mv !== undefined && mv !== "" && atLeast(mv, v);
}

/** The API root of this request (`/volume/v3` or `/volume/v2`). */
function apiVersion(c: SimContext): "v2" | "v3" {
  return c.req.path.startsWith("/volume/v2") ? "v2" : "v3";
}

/** `self` and `bookmark` links of a volume or snapshot. */
export function links(c: SimContext, projectId: string, collection: string, id: string) {
  const base = `${c.var.sim.baseUrl}/volume`;
  return [
    { href: `${base}/${apiVersion(c)}/${projectId}/${collection}/${id}`, rel: "self" },
    { href: `${base}/${projectId}/${collection}/${id}`, rel: "bookmark" },
  ];
}

/** `GET /volumes` entries: id, links, name. */
export function volumeSummary(c: SimContext, v: VolumeRecord) {
  return { id: v.id, links: links(c, v.project_id, "volumes", v.id), name: v.name === "" ? null : v.name };
}

/** A cinder volume in detail, with the fields of the request's microversion and the caller's role. */
export function volumeView(c: SimContext, v: VolumeRecord, admin: boolean): Record<string, unknown> {
  const world = c.var.sim.world;
  const extra = extraOf(world, v);
  const type = volumeState(world).types.find((t) => t.name === v.volume_type);
  const out: Record<string, unknown> = {
    attachments: v.attachments.map((a) => ({
      id: v.id,
      attachment_id: a.attachment_id,
      volume_id: v.id,
      server_id: a.server_id,
      // NOTE: cinder hides the attached host from non-admins.
      host_name: admin ? a.host_name : null,
      device: a.device,
      attached_at: cinderTime(a.attached_at),
    })),
    availability_zone: v.availability_zone,
    bootable: String(v.bootable),
    consistencygroup_id: null,
    created_at: cinderTime(v.created),
    description: v.description,
    encrypted: v.encrypted,
    id: v.id,
    links: links(c, v.project_id, "volumes", v.id),
    metadata: { ...v.metadata },
    multiattach: v.multiattach,
    name: v.name === "" ? null : v.name,
    "os-vol-tenant-attr:tenant_id": v.project_id,
    replication_status: null,
    size: v.size,
    snapshot_id: v.snapshot_id,
    source_volid: v.source_volid,
    status: v.status,
    updated_at: v.updated === v.created ? null : cinderTime(v.updated),
    user_id: v.user_id,
    volume_type: v.volume_type,
  };
  if (admin) {
    out.migration_status = extra.migration_status;
    out["os-vol-host-attr:host"] = v.status === "creating" ? null : "sim-volume@lvmdriver-1#lvmdriver-1";
    out["os-vol-mig-status-attr:migstat"] = extra.migration_status;
    out["os-vol-mig-status-attr:name_id"] = null;
  }
  if (extra.image_metadata) out.volume_image_metadata = { ...extra.image_metadata };
  if (mvAtLeast(c, "3.13")) out.group_id = null;
  if (admin && mvAtLeast(c, "3.21")) out.provider_id = null;
  if (mvAtLeast(c, "3.48")) {
    out.service_uuid = null;
    out.shared_targets = null;
  }
  if (admin && mvAtLeast(c, "3.61")) out.cluster_name = null;
  if (mvAtLeast(c, "3.63")) out.volume_type_id = type?.id ?? null;
  if (mvAtLeast(c, "3.65")) out.consumes_quota = true;
  return out;
}

/**
 * A create or update answer: cinder adds its extension attributes (`os-vol-tenant-attr:*`,
 * `os-vol-host-attr:*`, `os-vol-mig-status-attr:*`, `os-extended-snapshot-attributes:*`) to show and
 * detail answers only.
 */
export function withoutExtensionAttributes(view: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(view).filter(
      ([k]) => !k.startsWith("os-vol-") && !k.startsWith("os-extended-snapshot-attributes:"),
    ),
  );
}

/** A cinder snapshot. */
export function snapshotView(c: SimContext, s: SnapshotRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    created_at: cinderTime(s.created),
    description: s.description,
    id: s.id,
    metadata: { ...s.metadata },
    name: s.name,
    "os-extended-snapshot-attributes:progress": s.status === "available" ? "100%" : "0%",
    "os-extended-snapshot-attributes:project_id": s.project_id,
    size: s.size,
    status: s.status,
    updated_at: cinderTime(s.updated),
    volume_id: s.volume_id,
  };
  if (mvAtLeast(c, "3.14")) out.group_snapshot_id = null;
  if (mvAtLeast(c, "3.41")) out.user_id = s.user_id;
  if (mvAtLeast(c, "3.65")) out.consumes_quota = true;
  return out;
}
