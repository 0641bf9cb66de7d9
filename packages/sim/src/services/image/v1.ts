import { isAdmin, projectOf } from "../../core/auth.js";
import { badRequest, forbidden, notFound, SimError } from "../../core/errors.js";
import { json } from "../../core/http.js";
import type { ImageRecord } from "../../core/records.js";
import type { RouteGroup, SimContext, SimState } from "../../core/service.js";
import { bodyOf, readBodyCapped } from "../object-store/body.js";
import { containerFormats, diskFormats } from "./schemas.js";
import { imageState, newImage, setImageData } from "./state.js";
import { canSee, imageHeadersV1, imageViewV1 } from "./views.js";

function findV1(c: SimContext): ImageRecord {
  const { world } = c.var.sim;
  const id = c.req.param("image_id")!;
  const img = world.images.get(id);
  if (!img || !canSee(img, projectOf(c), isAdmin(c), imageState(world).members)) {
    throw notFound(`Image with identifier ${id} not found`);
  }
  return img;
}

/** Applies `x-image-meta-*` headers to an image (glance v1's create and update). */
function applyMetaHeaders(c: SimContext, img: ImageRecord): void {
  const { profile } = c.var.sim;
  for (const [rawKey, value] of Object.entries(c.req.header())) {
    const key = rawKey.toLowerCase();
    if (key.startsWith("x-image-meta-property-")) {
      img.properties[key.slice("x-image-meta-property-".length)] = value;
      continue;
    }
    if (!key.startsWith("x-image-meta-")) continue;
    const field = key.slice("x-image-meta-".length);
    switch (field) {
      case "name":
        img.name = value;
        break;
      case "disk_format":
      case "container_format": {
        const allowed = field === "disk_format" ? diskFormats(profile) : containerFormats(profile);
        if (!allowed.includes(value)) throw badRequest(`Invalid ${field} '${value}' for image.`);
        img[field] = value;
        break;
      }
      case "is_public": {
        const pub = value.toLowerCase() === "true";
        if (pub && !isAdmin(c)) throw forbidden("You are not authorized to complete publicize_image action.");
        img.visibility = pub ? "public" : "private";
        break;
      }
      case "protected":
        img.protected = value.toLowerCase() === "true";
        break;
      case "min_disk":
      case "min_ram": {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0) throw badRequest(`Invalid value for ${field}: ${value}`);
        img[field] = n;
        break;
      }
      case "id":
      case "owner":
      case "status":
      case "size":
      case "checksum":
      case "location":
      case "copy_from":
        // NOTE: the simulator ignores the v1 headers that point at external data or are computed.
        break;
      default:
        break;
    }
  }
}

async function readData(c: SimContext, img: ImageRecord): Promise<void> {
  const { world } = c.var.sim;
  const ctype = (c.req.header("content-type") ?? "").split(";")[0]!.trim();
  const len = c.req.header("content-length");
  const chunked = (c.req.header("transfer-encoding") ?? "").includes("chunked");
  if (ctype !== "application/octet-stream" || (!chunked && (len === undefined || len === "0"))) return;
  if (img.status !== "queued")
    throw new SimError(409, `Image ${img.id} is not queued; data can be uploaded once only.`);
  if (!img.disk_format || !img.container_format) {
    throw badRequest("Disk format and container format are required to upload image data.");
  }
  img.status = "saving";
  try {
    const data = await readBodyCapped(c, imageState(world).maxUploadBytes);
    setImageData(world, img, data.bytes, data);
  } catch (e) {
    // NOTE: glance v1 (upload_utils.safe_kill) marks an image whose upload failed `killed` and
    // keeps the record (v2 restores it to queued instead).
    img.status = "killed";
    img.updated = world.clock.now();
    throw e;
  }
}

function listV1(c: SimContext, detail: boolean): Response {
  const { world } = c.var.sim;
  const pid = projectOf(c);
  const admin = isAdmin(c);
  const members = imageState(world).members;
  const q = (k: string) => c.req.query(k);
  const limitText = q("limit");
  const limit = limitText === undefined ? 25 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 0) throw badRequest("limit param must be an integer");
  const rows = world.images
    .filter((img) => {
      if (!canSee(img, pid, admin, members)) return false;
      for (const k of ["name", "status", "disk_format", "container_format"] as const) {
        const v = q(k);
        if (v !== undefined && img[k] !== v) return false;
      }
      return true;
    })
    .reverse();
  let start = 0;
  const marker = q("marker");
  if (marker !== undefined) {
    const i = rows.findIndex((r) => r.id === marker);
    if (i < 0) throw badRequest("Invalid marker format");
    start = i + 1;
  }
  const page = rows.slice(start, start + Math.min(limit, 1000));
  return json(c, 200, {
    images: page.map((img) =>
      detail
        ? imageViewV1(img)
        : {
            id: img.id,
            name: img.name,
            disk_format: img.disk_format,
            container_format: img.container_format,
            size: img.size ?? 0,
            checksum: img.checksum,
          },
    ),
  });
}

/** glance v1 (the Kilo profile): images with `x-image-meta-*` headers and the data as the body. */
export function registerV1(v1: RouteGroup, sim: SimState): void {
  const world = sim.world;
  v1.get("/images", (c) => listV1(c, false));
  v1.get("/images/detail", (c) => listV1(c, true));
  v1.get("/images/:image_id", (c) => {
    const img = findV1(c);
    // NOTE: hono answers HEAD with this handler minus the body: the x-image-meta-* headers are the answer.
    const data = img.data ?? new Uint8Array();
    const headers = {
      ...imageHeadersV1(img),
      "Content-Type": "application/octet-stream",
      "Content-Length": String(data.byteLength),
    };
    if (img.checksum) Object.assign(headers, { ETag: img.checksum, "Content-MD5": img.checksum });
    return c.req.method === "HEAD" ? c.body(null, 200, headers) : c.body(bodyOf(data), 200, headers);
  });
  v1.post("/images", async (c) => {
    const img = newImage(world, projectOf(c), { visibility: "private" });
    try {
      applyMetaHeaders(c, img);
    } catch (e) {
      world.images.remove(img.id);
      throw e;
    }
    try {
      await readData(c, img);
    } catch (e) {
      // A refused request leaves nothing; an upload that failed leaves the reserved record
      // killed, and the client, which got an error instead of the image, never learns its id.
      if (img.status !== "killed") world.images.remove(img.id);
      throw e;
    }
    return json(
      c,
      201,
      { image: imageViewV1(img) },
      { Location: `${sim.baseUrl}/image/v1/images/${img.id}` },
    );
  });
  v1.put("/images/:image_id", async (c) => {
    const img = findV1(c);
    if (img.project_id !== projectOf(c) && !isAdmin(c))
      throw forbidden("You are not authorized to complete modify_image action.");
    const copy: ImageRecord = { ...img, properties: { ...img.properties } };
    applyMetaHeaders(c, copy);
    Object.assign(img, copy, { updated: world.clock.now() });
    await readData(c, img);
    return json(c, 200, { image: imageViewV1(img) });
  });
  v1.delete("/images/:image_id", (c) => {
    const img = findV1(c);
    if (img.project_id !== projectOf(c) && !isAdmin(c))
      throw forbidden("You are not authorized to complete delete_image action.");
    if (img.protected) throw forbidden(`Image with identifier ${img.id} is protected`);
    world.images.remove(img.id);
    return c.body(null, 200);
  });
}
