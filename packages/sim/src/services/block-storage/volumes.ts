import { isAdmin, projectOf } from "../../core/auth.js";
import { badRequest, notFound, SimError } from "../../core/errors.js";
import { empty, json, member, optBool, optInt, optString, readJson } from "../../core/http.js";
import type { VolumeRecord } from "../../core/records.js";
import type { RouteGroup, SimContext, SimState } from "../../core/service.js";
import type { World } from "../../core/world.js";
import { extraOf, volumeState } from "./state.js";
import { mvAtLeast, volumeSummary, volumeView, withoutExtensionAttributes } from "./views.js";

const MAX_LIMIT = 1000;

/** A volume the caller may see (own project, or admin), or cinder's 404. */
export function findVolume(c: SimContext, id: string): VolumeRecord {
  const v = c.var.sim.world.volumes.get(id);
  if (!v || (v.project_id !== projectOf(c) && !isAdmin(c)))
    throw notFound(`Volume ${id} could not be found.`);
  return v;
}

/** Cinder's quota error: 413 with `Retry-After: 0` (rendered as `{"overLimit": {..., "retryAfter": "0"}}`). */
export function overQuota(message: string): SimError {
  return new SimError(413, message, { headers: { "Retry-After": "0" } });
}

/** Volumes and gigabytes a project uses (volumes in every status count, as in cinder's reservations). */
export function volumeUsage(world: World, projectId: string): { volumes: number; gigabytes: number } {
  let volumes = 0;
  let gigabytes = 0;
  for (const v of world.volumes.ofProject(projectId)) {
    volumes += 1;
    gigabytes += v.size;
  }
  for (const s of volumeState(world).snapshots.ofProject(projectId)) gigabytes += s.size;
  return { volumes, gigabytes };
}

/** Checks the volume quotas of a project for `count` more volumes of `size` GB (413 like cinder). */
export function checkVolumeQuota(world: World, projectId: string, size: number, count = 1): void {
  const used = volumeUsage(world, projectId);
  const maxVolumes = world.quota("volume", projectId, "volumes");
  const maxGb = world.quota("volume", projectId, "gigabytes");
  const perVolume = world.quota("volume", projectId, "per_volume_gigabytes");
  if (perVolume >= 0 && size > perVolume) {
    throw overQuota(`Volume size ${size}GB exceeded the per volume limit of ${perVolume}GB.`);
  }
  if (maxGb >= 0 && used.gigabytes + size > maxGb) {
    throw overQuota(
      `Requested volume or snapshot exceeds allowed gigabytes quota. Requested ${size}G, quota is ${maxGb}G and ${used.gigabytes}G has been consumed.`,
    );
  }
  if (maxVolumes >= 0 && used.volumes + count > maxVolumes) {
    throw overQuota(`Maximum number of volumes allowed (${maxVolumes}) exceeded for quota 'volumes'.`);
  }
}

/** Moves a volume to `to` after the configured delay (or at once with no delay); `then` runs after. */
export function settleVolume(world: World, v: VolumeRecord, to: string, then?: () => void): void {
  const delay = volumeState(world).delayMs;
  const finish = () => {
    if (world.volumes.get(v.id) !== v) return;
    v.status = to;
    v.updated = Math.max(world.clock.now(), v.created + 1);
    then?.();
  };
  if (delay <= 0) finish();
  else world.schedule(world.clock.now() + delay, "volume", `volume:${v.id}`, finish);
}

/** Removes a volume through `deleting` (its cinder-only state with it). */
export function deleteVolume(world: World, v: VolumeRecord): void {
  v.status = "deleting";
  v.updated = world.clock.now();
  const st = volumeState(world);
  const finish = () => {
    world.volumes.remove(v.id);
    st.extras.delete(v.id);
    for (const [id, a] of st.attachments) if (a.volume_id === v.id) st.attachments.delete(id);
  };
  if (st.delayMs <= 0) finish();
  else world.schedule(world.clock.now() + st.delayMs, "volume", `volume:${v.id}`, finish);
}

async function createVolume(c: SimContext): Promise<Response> {
  const { world } = c.var.sim;
  const st = volumeState(world);
  const pid = projectOf(c);
  const body = member(await readJson(c), "volume");
  const snapshotId = optString(body, "snapshot_id", "volume.snapshot_id");
  const sourceId = optString(body, "source_volid", "volume.source_volid");
  const imageRef =
    optString(body, "imageRef", "volume.imageRef") ?? optString(body, "image_id", "volume.image_id");
  const snapshot = snapshotId === undefined ? undefined : st.snapshots.get(snapshotId);
  if (snapshotId !== undefined && (!snapshot || (snapshot.project_id !== pid && !isAdmin(c)))) {
    throw notFound(`Snapshot ${snapshotId} could not be found.`);
  }
  const source = sourceId === undefined ? undefined : findVolume(c, sourceId);
  let size = optInt(body, "size", "volume.size") ?? snapshot?.size ?? source?.size;
  if (size === undefined) throw badRequest("Invalid input received: 'size' is a required property");
  if (size <= 0)
    throw badRequest(`Invalid input received: Volume size '${size}' must be an integer and greater than 0.`);
  if (snapshot && size < snapshot.size)
    throw badRequest(
      `Invalid input received: Volume size '${size}GB' cannot be smaller than the snapshot size ${snapshot.size}GB. They must be >= original snapshot size.`,
    );
  if (source && size < source.size)
    throw badRequest(
      `Invalid input received: Volume size '${size}GB' cannot be smaller than original volume size ${source.size}GB. They must be >= original volume size.`,
    );
  if (snapshot && snapshot.status !== "available")
    throw badRequest(`Invalid snapshot: Originating snapshot status must be one of 'available' values`);
  if (source && !["available", "in-use"].includes(source.status))
    throw badRequest(`Invalid volume: Unable to clone volumes that are in ${source.status} status`);
  const image = imageRef === undefined ? undefined : world.images.get(imageRef.split("/").pop()!);
  if (imageRef !== undefined && !image)
    throw badRequest(`Invalid image identifier or unable to access requested image.`);
  if (image && image.status !== "active") throw badRequest(`Image ${image.id} is not active.`);
  if (image?.size) {
    const gb = Math.ceil(image.size / 1024 ** 3);
    if (gb > size)
      throw badRequest(
        `Invalid input received: Size of specified image ${gb}GB is larger than volume size ${size}GB.`,
      );
  }
  if (image && image.min_disk > size) {
    throw badRequest(
      `Invalid input received: Volume size ${size}GB cannot be smaller than the image minDisk size ${image.min_disk}GB.`,
    );
  }
  const typeName =
    optString(body, "volume_type", "volume.volume_type") ?? source?.volume_type ?? st.defaultType;
  const type = st.types.find((t) => t.name === typeName || t.id === typeName);
  if (!type) throw notFound(`Volume type with name ${typeName} could not be found.`);
  const metadata = body.metadata ?? {};
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
    throw badRequest("Invalid input for field/attribute metadata. is not of type 'object'");
  }
  size = Math.trunc(size);
  checkVolumeQuota(world, pid, size);
  const now = world.clock.now();
  const vol = world.volumes.insert({
    id: world.ids.uuid(),
    project_id: pid,
    seq: world.ids.seq(),
    name:
      optString(body, "name", "volume.name") ?? optString(body, "display_name", "volume.display_name") ?? "",
    description: optString(body, "description", "volume.description") ?? null,
    user_id: c.var.token.user_id,
    size,
    status: "creating",
    volume_type: type.name,
    availability_zone: optString(body, "availability_zone", "volume.availability_zone") ?? "nova",
    bootable: image !== undefined || (source?.bootable ?? false),
    image_id: image?.id ?? null,
    snapshot_id: snapshot?.id ?? null,
    source_volid: source?.id ?? null,
    metadata: Object.fromEntries(
      Object.entries(metadata as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
    ),
    attachments: [],
    multiattach: optBool(body, "multiattach", "volume.multiattach") ?? false,
    encrypted: false,
    created: now,
    updated: now,
  });
  const extra = extraOf(world, vol);
  if (image) {
    extra.image_metadata = {
      image_id: image.id,
      image_name: image.name,
      checksum: image.checksum ?? "",
      container_format: image.container_format ?? "",
      disk_format: image.disk_format ?? "",
      min_disk: String(image.min_disk),
      min_ram: String(image.min_ram),
      size: String(image.size ?? 0),
      ...image.properties,
    };
  } else if (source) {
    const src = extraOf(world, source).image_metadata;
    if (src) extra.image_metadata = { ...src };
  }
  // NOTE: an image marked to fail ends in `error` like Zed's drivers on ImageCopyFailure.
  settleVolume(world, vol, image?.fail_builds ? "error" : "available");
  return json(c, 202, { volume: withoutExtensionAttributes(volumeView(c, vol, isAdmin(c))) });
}

function listVolumes(c: SimContext, detail: boolean): Response {
  const { world } = c.var.sim;
  const admin = isAdmin(c);
  const pid = projectOf(c);
  const q = (k: string) => c.req.query(k);
  const allTenants = admin && ["1", "true", "True"].includes(q("all_tenants") ?? "");
  const projectFilter = admin ? q("project_id") : undefined;
  const limitText = q("limit");
  let limit = MAX_LIMIT;
  if (limitText !== undefined) {
    if (!/^\d+$/.test(limitText)) throw badRequest("limit param must be an integer");
    limit = Math.min(Number(limitText), MAX_LIMIT);
  }
  const name = q("name") ?? q("display_name");
  const status = q("status");
  const bootable = q("bootable");
  let metadata: Record<string, string> | undefined;
  const metaText = q("metadata");
  if (metaText !== undefined) {
    try {
      metadata = JSON.parse(metaText.replaceAll("'", '"')) as Record<string, string>;
    } catch {
      throw badRequest(`Invalid filter: metadata=${metaText} is not a JSON object`);
    }
  }
  const base = allTenants ? world.volumes.all() : world.volumes.ofProject(projectFilter ?? pid);
  const rows = base.filter((v) => {
    if (name !== undefined && v.name !== name) return false;
    if (status !== undefined && v.status !== status) return false;
    if (bootable !== undefined && String(v.bootable) !== bootable.toLowerCase()) return false;
    if (metadata && Object.entries(metadata).some(([k, val]) => v.metadata[k] !== String(val))) return false;
    return true;
  });
  const dir = (q("sort_dir") ?? q("sort")?.split(":")[1] ?? "desc") === "asc" ? 1 : -1;
  const key = q("sort_key") ?? q("sort")?.split(":")[0] ?? "created_at";
  if (!["created_at", "id", "name", "size", "status", "updated_at"].includes(key)) {
    throw badRequest(`Invalid input received: Invalid sort keys passed: ${key}`);
  }
  const keyOf = (v: VolumeRecord): string | number =>
    key === "name"
      ? v.name
      : key === "size"
        ? v.size
        : key === "status"
          ? v.status
          : key === "id"
            ? v.id
            : key === "updated_at"
              ? v.updated
              : v.seq;
  rows.sort((a, b) => {
    const x = keyOf(a);
    const y = keyOf(b);
    return (x < y ? -1 : x > y ? 1 : a.seq - b.seq) * dir;
  });
  let start = 0;
  const marker = q("marker");
  if (marker !== undefined) {
    const i = rows.findIndex((v) => v.id === marker);
    if (i < 0) throw notFound(`Marker ${marker} could not be found.`);
    start = i + 1;
  }
  const page = rows.slice(start, start + limit);
  const coll = detail ? "volumes/detail" : "volumes";
  const body: Record<string, unknown> = {
    volumes: page.map((v) => (detail ? volumeView(c, v, admin) : volumeSummary(c, v))),
  };
  // NOTE: like cinder, a full page gets a `next` link even when nothing follows.
  if (page.length > 0 && page.length === limit) {
    const params = new URL(c.req.url).searchParams;
    params.set("marker", page.at(-1)!.id);
    params.set("limit", String(limit));
    const root = c.req.path.startsWith("/volume/v2") ? "v2" : "v3";
    body.volumes_links = [
      { href: `${c.var.sim.baseUrl}/volume/${root}/${pid}/${coll}?${params.toString()}`, rel: "next" },
    ];
  }
  // NOTE: cinder 3.45+ adds the total `count` when asked with `with_count=true`.
  if (mvAtLeast(c, "3.45") && q("with_count") === "true") body.count = rows.length;
  return json(c, 200, body);
}

async function updateVolume(c: SimContext): Promise<Response> {
  const { world } = c.var.sim;
  const v = findVolume(c, c.req.param("volume_id")!);
  const body = member(await readJson(c), "volume");
  const name =
    optString(body, "name", "volume.name") ?? optString(body, "display_name", "volume.display_name");
  const description = optString(body, "description", "volume.description");
  if (name !== undefined) v.name = name;
  if (description !== undefined) v.description = description;
  if (body.metadata !== undefined) {
    if (typeof body.metadata !== "object" || body.metadata === null || Array.isArray(body.metadata)) {
      throw badRequest("Invalid input for field/attribute metadata. is not of type 'object'");
    }
    v.metadata = Object.fromEntries(Object.entries(body.metadata).map(([k, val]) => [k, String(val)]));
  }
  v.updated = world.clock.now();
  return json(c, 200, { volume: withoutExtensionAttributes(volumeView(c, v, isAdmin(c))) });
}

function deleteVolumeRoute(c: SimContext): Response {
  const { world } = c.var.sim;
  const st = volumeState(world);
  const v = findVolume(c, c.req.param("volume_id")!);
  const cascade = c.req.query("cascade") === "true";
  const snaps = st.snapshots.ofProject(v.project_id).filter((s) => s.volume_id === v.id);
  // NOTE: cinder refuses (400) to delete a volume that is attached, busy, or has snapshots (without cascade).
  if (
    !["available", "error", "error_restoring", "error_extending", "error_managing"].includes(v.status) ||
    v.attachments.length > 0 ||
    (snaps.length > 0 && !cascade)
  ) {
    throw badRequest(
      "Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots or be disassociated from snapshots after volume transfer.",
    );
  }
  for (const s of snaps) st.snapshots.remove(s.id);
  deleteVolume(world, v);
  return empty(c, 202);
}

/** cinder volumes: create (from image, snapshot or volume), list, detail, get, update, delete, metadata. */
export function registerVolumes(g: RouteGroup, sim: SimState): void {
  const world = sim.world;
  g.post("/volumes", createVolume);
  g.get("/volumes", (c) => listVolumes(c, false));
  g.get("/volumes/detail", (c) => listVolumes(c, true));
  g.get("/volumes/:volume_id", (c) =>
    json(c, 200, { volume: volumeView(c, findVolume(c, c.req.param("volume_id")!), isAdmin(c)) }),
  );
  g.put("/volumes/:volume_id", updateVolume);
  g.delete("/volumes/:volume_id", deleteVolumeRoute);
  g.get("/volumes/:volume_id/metadata", (c) =>
    json(c, 200, { metadata: { ...findVolume(c, c.req.param("volume_id")!).metadata } }),
  );
  g.post("/volumes/:volume_id/metadata", async (c) => {
    const v = findVolume(c, c.req.param("volume_id")!);
    const meta = member(await readJson(c), "metadata");
    for (const [k, val] of Object.entries(meta)) v.metadata[k] = String(val);
    v.updated = world.clock.now();
    return json(c, 200, { metadata: { ...v.metadata } });
  });
  g.put("/volumes/:volume_id/metadata", async (c) => {
    const v = findVolume(c, c.req.param("volume_id")!);
    const meta = member(await readJson(c), "metadata");
    v.metadata = Object.fromEntries(Object.entries(meta).map(([k, val]) => [k, String(val)]));
    v.updated = world.clock.now();
    return json(c, 200, { metadata: { ...v.metadata } });
  });
  g.delete("/volumes/:volume_id/metadata/:key", (c) => {
    const v = findVolume(c, c.req.param("volume_id")!);
    const key = c.req.param("key")!;
    if (!(key in v.metadata)) throw notFound(`Volume ${v.id} has no metadata with key ${key}.`);
    delete v.metadata[key];
    return empty(c, 200);
  });
}
