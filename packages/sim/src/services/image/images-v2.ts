import { isAdmin, projectOf } from "../../core/auth.js";
import { badRequest, forbidden, notFound, SimError } from "../../core/errors.js";
import { empty, json, readJson } from "../../core/http.js";
import type { ImageRecord } from "../../core/records.js";
import type { RouteGroup, SimContext, SimState } from "../../core/service.js";
import { bodyOf, readBodyCapped } from "../object-store/body.js";
import { isBaseAttribute, requireProperty, setField } from "./fields.js";
import { imageState, newImage, setImageData } from "./state.js";
import { canSee, imageView } from "./views.js";

const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 25;
const PATCH_TYPES = [
  "application/openstack-images-v2.0-json-patch",
  "application/openstack-images-v2.1-json-patch",
];
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** An image the caller may see, or glance's 404. */
export function findImage(c: SimContext, id: string): ImageRecord {
  const { world } = c.var.sim;
  const img = world.images.get(id);
  if (!img || !canSee(img, projectOf(c), isAdmin(c), imageState(world).members)) {
    throw notFound(`No image found with ID ${id}`);
  }
  return img;
}

/** An image the caller owns (or admin), else 403 like glance's policy (404 when invisible). */
export function ownImage(c: SimContext, id: string, action: string): ImageRecord {
  const img = findImage(c, id);
  if (img.project_id !== projectOf(c) && !isAdmin(c))
    throw forbidden(`You are not authorized to complete ${action} action.`);
  return img;
}

function fieldCtx(c: SimContext) {
  return { profile: c.var.sim.profile, admin: isAdmin(c) };
}

/** `in:a,b` filter values (glance's list operator), or the single value. */
function inValues(v: string): string[] {
  return v.startsWith("in:")
    ? v
        .slice(3)
        .split(",")
        .map((x) => x.replace(/^"|"$/g, ""))
    : [v];
}

function boolFilter(c: SimContext, name: string): boolean | undefined {
  const v = c.req.query(name);
  if (v === undefined) return undefined;
  if (v !== "true" && v !== "false") {
    throw badRequest(`Invalid value '${v}' for '${name}' filter. Valid values are 'true' or 'false'.`);
  }
  return v === "true";
}

const SORT_KEYS = [
  "name",
  "status",
  "container_format",
  "disk_format",
  "size",
  "id",
  "created_at",
  "updated_at",
];

function sortValue(img: ImageRecord, key: string): string | number {
  switch (key) {
    case "name":
      return img.name;
    case "status":
      return img.status;
    case "container_format":
      return img.container_format ?? "";
    case "disk_format":
      return img.disk_format ?? "";
    case "size":
      return img.size ?? -1;
    case "id":
      return img.id;
    case "updated_at":
      return img.updated;
    default:
      return img.created;
  }
}

function sortSpec(c: SimContext): [string, "asc" | "desc"][] {
  const sort = c.req.query("sort");
  const keys = c.req.queries("sort_key") ?? [];
  const dirs = c.req.queries("sort_dir") ?? [];
  let spec: [string, "asc" | "desc"][];
  if (sort !== undefined) {
    if (keys.length || dirs.length)
      throw badRequest("The 'sort' parameter cannot be combined with 'sort_key' or 'sort_dir'.");
    spec = sort.split(",").map((p) => {
      const [k, d = "desc"] = p.trim().split(":");
      return [k ?? "", d as "asc" | "desc"];
    });
  } else {
    spec = (keys.length ? keys : ["created_at"]).map((k, i) => [
      k,
      (dirs[i] ?? dirs[0] ?? "desc") as "asc" | "desc",
    ]);
  }
  for (const [k, d] of spec) {
    if (!SORT_KEYS.includes(k))
      throw badRequest(`Invalid sort key: ${k}. It must be one of the following: ${SORT_KEYS.join(", ")}.`);
    if (d !== "asc" && d !== "desc") throw badRequest(`Invalid sort direction: ${d}`);
  }
  return spec;
}

function listImages(c: SimContext): Response {
  const { world } = c.var.sim;
  const state = imageState(world);
  const pid = projectOf(c);
  const admin = isAdmin(c);
  const limitText = c.req.query("limit");
  let limit = DEFAULT_LIMIT;
  if (limitText !== undefined) {
    limit = Number(limitText);
    if (!/^\d+$/.test(limitText)) throw badRequest("limit param must be an integer");
    if (limit < 0) throw badRequest("limit param must be positive");
  }
  limit = Math.min(limit, MAX_LIMIT);
  const q = (k: string) => c.req.query(k);
  const names = q("name") === undefined ? undefined : inValues(q("name")!);
  const ids = q("id") === undefined ? undefined : inValues(q("id")!);
  const status = q("status");
  const visibility = q("visibility");
  const owner = q("owner");
  const tags = c.req.queries("tag") ?? [];
  const memberStatus = q("member_status") ?? "accepted";
  if (!["pending", "accepted", "rejected", "all"].includes(memberStatus)) {
    throw badRequest(`Invalid status value: ${memberStatus}`);
  }
  const osHidden = boolFilter(c, "os_hidden") ?? false;
  const prot = boolFilter(c, "protected");
  const diskFormat = q("disk_format");
  const containerFormat = q("container_format");
  const sizeMin = q("size_min") === undefined ? undefined : Number(q("size_min"));
  const sizeMax = q("size_max") === undefined ? undefined : Number(q("size_max"));
  if (visibility !== undefined && !["public", "private", "shared", "community", "all"].includes(visibility)) {
    throw badRequest(`Invalid visibility value: ${visibility}`);
  }
  const visible = (img: ImageRecord): boolean => {
    if (img.project_id === pid) return true;
    if (img.visibility === "public") return true;
    if (img.visibility === "shared") {
      const m = state.members.get(img.id)?.get(pid);
      return m !== undefined && (memberStatus === "all" || m.status === memberStatus);
    }
    // NOTE: glance lists community images only when asked for them (visibility=community).
    if (img.visibility === "community") return visibility === "community";
    return admin;
  };
  const matches = (img: ImageRecord): boolean => {
    if (!visible(img) && !(admin && visibility === undefined)) return false;
    if (visibility !== undefined && visibility !== "all" && img.visibility !== visibility) return false;
    if (img.os_hidden !== osHidden) return false;
    if (names && !names.includes(img.name)) return false;
    if (ids && !ids.includes(img.id)) return false;
    if (status !== undefined && img.status !== status) return false;
    if (owner !== undefined && img.project_id !== owner) return false;
    if (tags.some((t) => !img.tags.includes(t))) return false;
    if (prot !== undefined && img.protected !== prot) return false;
    if (diskFormat !== undefined && img.disk_format !== diskFormat) return false;
    if (containerFormat !== undefined && img.container_format !== containerFormat) return false;
    if (sizeMin !== undefined && (img.size ?? -1) < sizeMin) return false;
    if (sizeMax !== undefined && (img.size ?? Number.POSITIVE_INFINITY) > sizeMax) return false;
    return true;
  };
  const spec = sortSpec(c);
  const rows = world.images.filter(matches);
  rows.sort((a, b) => {
    for (const [k, d] of spec) {
      const x = sortValue(a, k);
      const y = sortValue(b, k);
      if (x !== y) return (x < y ? -1 : 1) * (d === "asc" ? 1 : -1);
    }
    return (a.seq - b.seq) * (spec[0]?.[1] === "asc" ? 1 : -1);
  });
  let start = 0;
  const marker = q("marker");
  if (marker !== undefined) {
    const i = rows.findIndex((r) => r.id === marker);
    if (i < 0) throw badRequest(`Invalid marker. Image ${marker} could not be found.`);
    start = i + 1;
  }
  const page = rows.slice(start, start + limit);
  // The query string of `first` and `next` keeps every parameter but the marker, as glance does.
  const params = new URL(c.req.url).searchParams;
  params.delete("marker");
  const query = params.toString();
  const body: Record<string, unknown> = {
    images: page.map(imageView),
    first: query ? `/v2/images?${query}` : "/v2/images",
    schema: "/v2/schemas/images",
  };
  if (page.length > 0 && page.length === limit) {
    params.set("marker", page.at(-1)!.id);
    body.next = `/v2/images?${params.toString()}`;
  }
  return json(c, 200, body);
}

async function createImage(c: SimContext): Promise<Response> {
  const { world, profile } = c.var.sim;
  const body = await readJson(c);
  const id = body.id;
  if (id !== undefined) {
    if (typeof id !== "string" || !UUID.test(id))
      throw badRequest(
        `Provided object does not match schema 'image': ${JSON.stringify(id)} does not match the id pattern`,
      );
    if (world.images.has(id)) throw new SimError(409, `Image with identifier ${id} already exists!`);
  }
  const ctx = fieldCtx(c);
  // Validate every field on a scratch record first, so a 400 leaves nothing behind.
  const scratch = { ...newScratch(), project_id: projectOf(c), properties: {} } as ImageRecord;
  for (const [k, v] of Object.entries(body)) {
    if (k === "id") continue;
    setField(ctx, scratch, k, v);
  }
  const img = newImage(world, projectOf(c), {
    ...(typeof id === "string" ? { id } : {}),
    // NOTE: glance v2.5+ (Ocata) defaults visibility to `shared`; older glance to `private`.
    visibility: profile.name === "modern" ? "shared" : "private",
  });
  for (const [k, v] of Object.entries(body)) if (k !== "id") setField(ctx, img, k, v);
  const headers: Record<string, string> = { Location: `${c.var.sim.baseUrl}/image/v2/images/${img.id}` };
  if (profile.image.importMethods.length > 0) {
    headers["OpenStack-image-import-methods"] = profile.image.importMethods.join(",");
  }
  return json(c, 201, imageView(img), headers);
}

function newScratch(): Partial<ImageRecord> {
  return {
    status: "queued",
    name: "",
    tags: [],
    visibility: "private",
    disk_format: null,
    container_format: null,
  };
}

async function patchImage(c: SimContext): Promise<Response> {
  const ctype = (c.req.header("content-type") ?? "").split(";")[0]!.trim();
  if (!PATCH_TYPES.includes(ctype)) {
    throw new SimError(415, `Unsupported Content-Type: ${ctype || "none"}`, {
      headers: { "Accept-Patch": PATCH_TYPES.join(", ") },
    });
  }
  const img = ownImage(c, c.req.param("image_id")!, "modify_image");
  const text = await c.req.text();
  let ops: unknown;
  try {
    ops = JSON.parse(text);
  } catch {
    throw badRequest("Malformed JSON in request body.");
  }
  if (!Array.isArray(ops)) throw badRequest("Request body must be a JSON array of operation objects.");
  const ctx = fieldCtx(c);
  // Apply to a copy, so a failing operation leaves the image unchanged (glance's patch is atomic).
  const copy: ImageRecord = { ...img, tags: [...img.tags], properties: { ...img.properties } };
  for (const raw of ops) {
    const op = (raw ?? {}) as Record<string, unknown>;
    const kind = op.op;
    const path = op.path;
    if (typeof kind !== "string" || !["add", "replace", "remove"].includes(kind)) {
      throw badRequest(
        `Operation objects must contain exactly one member named "add", "remove", or "replace".`,
      );
    }
    if (typeof path !== "string" || !path.startsWith("/"))
      throw badRequest(`Unable to find '/' in JSON Schema change`);
    const parts = path
      .slice(1)
      .split("/")
      .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
    const root = parts[0]!;
    if (parts.length === 2 && root === "tags") {
      // `/tags/-` style paths on the tags array.
      if (kind === "remove") copy.tags = copy.tags.filter((t) => t !== parts[1]);
      else if (typeof op.value === "string") copy.tags = [...new Set([...copy.tags, op.value])];
      continue;
    }
    if (parts.length !== 1) throw badRequest(`Invalid JSON pointer for this resource: '${path}'`);
    if (kind === "remove") {
      if (isBaseAttribute(root)) throw forbidden(`Properties ${root} cannot be removed`);
      requireProperty(copy, root);
      setField(ctx, copy, root, undefined);
    } else {
      if (!("value" in op)) throw badRequest(`Operation "${kind}" requires a member named "value".`);
      if (kind === "replace") requireProperty(copy, root);
      setField(ctx, copy, root, op.value);
    }
  }
  Object.assign(img, copy, { updated: c.var.sim.world.clock.now() });
  return json(c, 200, imageView(img));
}

async function uploadData(c: SimContext): Promise<Response> {
  const { world, profile } = c.var.sim;
  const img = ownImage(c, c.req.param("image_id")!, "upload_image");
  if (profile.image.uploadByTaskOnly) {
    // NOTE: Rackspace's glance refuses direct uploads; images come in through task import from Cloud Files.
    throw forbidden(
      "Image upload is not allowed on this cloud; use a task of type import from object storage.",
    );
  }
  const ctype = (c.req.header("content-type") ?? "application/octet-stream").split(";")[0]!.trim();
  if (ctype !== "application/octet-stream")
    throw new SimError(415, `Content-Type ${ctype} is not supported for image data.`);
  if (img.status !== "queued")
    throw new SimError(409, `Image status transition from ${img.status} to saving is not allowed`);
  const missing = (["disk_format", "container_format"] as const).filter((k) => img[k] === null);
  if (missing.length > 0) {
    throw badRequest(
      `Propert${missing.length > 1 ? "ies" : "y"} ${missing.join(", ")} must be set prior to saving data.`,
    );
  }
  img.status = "saving";
  img.updated = world.clock.now();
  try {
    const data = await readBodyCapped(c, imageState(world).maxUploadBytes);
    setImageData(world, img, data.bytes, data);
  } catch (e) {
    // NOTE: glance puts a failed upload's image back to `queued` so that it can be retried.
    if (world.images.has(img.id)) img.status = "queued";
    throw e;
  }
  return empty(c, 204);
}

function downloadData(c: SimContext): Response {
  const img = findImage(c, c.req.param("image_id")!);
  if (img.status === "deactivated" && !isAdmin(c))
    throw forbidden("The requested image has been deactivated. Image data download is forbidden.");
  if (img.data === null) return empty(c, 204);
  return c.body(bodyOf(img.data), 200, {
    "Content-Type": "application/octet-stream",
    "Content-MD5": img.checksum ?? "",
    "Content-Length": String(img.data.byteLength),
  });
}

/** glance v2 images: list, get, create, JSON-patch update, delete, data upload and download, tags. */
export function registerImagesV2(v2: RouteGroup, sim: SimState): void {
  const world = sim.world;
  v2.get("/images", listImages);
  v2.post("/images", createImage);
  v2.get("/images/:image_id", (c) => json(c, 200, imageView(findImage(c, c.req.param("image_id")!))));
  v2.patch("/images/:image_id", patchImage);
  v2.delete("/images/:image_id", (c) => {
    const img = ownImage(c, c.req.param("image_id")!, "delete_image");
    if (img.protected) throw forbidden(`Image ${img.id} is protected and cannot be deleted.`);
    world.images.remove(img.id);
    const state = imageState(world);
    state.staged.delete(img.id);
    state.members.delete(img.id);
    world.cancel(`image-import:${img.id}`);
    return empty(c, 204);
  });
  v2.put("/images/:image_id/file", uploadData);
  v2.get("/images/:image_id/file", downloadData);
  v2.put("/images/:image_id/tags/:tag", (c) => {
    const img = ownImage(c, c.req.param("image_id")!, "modify_image");
    const tag = c.req.param("tag")!;
    if (!img.tags.includes(tag)) img.tags.push(tag);
    img.updated = world.clock.now();
    return empty(c, 204);
  });
  v2.delete("/images/:image_id/tags/:tag", (c) => {
    const img = ownImage(c, c.req.param("image_id")!, "modify_image");
    const tag = c.req.param("tag")!;
    if (!img.tags.includes(tag)) throw notFound(`Tag ${tag} not found`);
    img.tags = img.tags.filter((t) => t !== tag);
    img.updated = world.clock.now();
    return empty(c, 204);
  });
  v2.post("/images/:image_id/actions/deactivate", (c) => {
    const img = ownImage(c, c.req.param("image_id")!, "deactivate");
    if (img.status !== "active" && img.status !== "deactivated")
      throw forbidden(`Not allowed to deactivate image in status '${img.status}'`);
    img.status = "deactivated";
    return empty(c, 204);
  });
  v2.post("/images/:image_id/actions/reactivate", (c) => {
    const img = ownImage(c, c.req.param("image_id")!, "reactivate");
    if (img.status !== "active" && img.status !== "deactivated")
      throw forbidden(`Not allowed to reactivate image in status '${img.status}'`);
    img.status = "active";
    return empty(c, 204);
  });
}
