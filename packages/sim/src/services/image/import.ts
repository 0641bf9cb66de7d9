import { isAdmin, projectOf } from "../../core/auth.js";
import { badRequest, notFound, SimError } from "../../core/errors.js";
import { empty, json, member, optString, readJson } from "../../core/http.js";
import type { ImageRecord } from "../../core/records.js";
import type { RouteGroup, SimContext, SimState } from "../../core/service.js";
import type { World } from "../../core/world.js";
import { digest, readBodyCapped } from "../object-store/body.js";
import { findObject } from "../object-store/store.js";
import { ownImage } from "./images-v2.js";
import { diskFormats } from "./schemas.js";
import { imageState, newImage, setImageData, type TaskRecord } from "./state.js";
import { taskView } from "./views.js";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

function failImport(world: World, img: ImageRecord, message: string): void {
  // NOTE: a failed glance import puts the image back to `queued` and records the failure in a property.
  img.status = "queued";
  img.properties.os_glance_failed_import = "default_backend";
  img.properties.os_glance_import_error = message;
  img.updated = world.clock.now();
}

async function fetchLoopback(url: string, maxBytes: number): Promise<Uint8Array> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`web-download: ${url} answered ${res.status}`);
  const len = Number(res.headers.get("content-length") ?? "0");
  if (len > maxBytes) throw new Error(`web-download: ${url} is larger than ${maxBytes} bytes`);
  const buf = new Uint8Array(await res.arrayBuffer());
  if (buf.byteLength > maxBytes) throw new Error(`web-download: ${url} is larger than ${maxBytes} bytes`);
  return buf;
}

async function importImage(c: SimContext): Promise<Response> {
  const { world, profile } = c.var.sim;
  const state = imageState(world);
  const img = ownImage(c, c.req.param("image_id")!, "import_image");
  const body = await readJson(c);
  const method = member(body, "method");
  const name = optString(method, "name", "method.name");
  if (!name) throw badRequest("Import request requires a 'method' field.");
  if (!profile.image.importMethods.includes(name))
    throw badRequest(`Import method ${name} is not valid for this cloud.`);
  if (img.status === "active" && name !== "copy-image")
    throw new SimError(409, "Image with status active cannot be target for import");
  if (img.status !== "active" && name === "copy-image")
    throw new SimError(409, "Only images with status active can be targeted for copying");
  if (img.status !== "queued" && name === "web-download")
    throw new SimError(409, "Image needs to be in 'queued' state to use 'web-download' method");
  if (img.status !== "uploading" && name === "glance-direct")
    throw new SimError(409, "Image needs to be staged before 'glance-direct' method can be used");
  if (!img.container_format) throw new SimError(409, "'container_format' needs to be set before import");
  if (!img.disk_format) throw new SimError(409, "'disk_format' needs to be set before import");
  const delay = state.importDelayMs;
  const key = `image-import:${img.id}`;
  if (name === "copy-image") return empty(c, 202);
  if (name === "glance-direct") {
    const bytes = state.staged.get(img.id) ?? new Uint8Array();
    img.status = "importing";
    img.updated = world.clock.now();
    world.schedule(world.clock.now() + delay, "image", key, () => {
      state.staged.delete(img.id);
      if (world.images.get(img.id) === img && img.status === "importing")
        setImageData(world, img, bytes, digest(bytes));
    });
    return empty(c, 202);
  }
  // web-download: the simulator only fetches from loopback (it never reaches out of the machine).
  const uri = optString(method, "uri", "method.uri");
  if (!uri) throw badRequest("URI for web-download does not exist in request");
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw badRequest(`URI for web-download is not valid: ${uri}`);
  }
  if (!["http:", "https:"].includes(url.protocol) || !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new SimError(403, `The simulator only downloads from loopback http URLs, not ${uri}`);
  }
  img.status = "importing";
  img.updated = world.clock.now();
  fetchLoopback(url.href, state.maxUploadBytes).then(
    (bytes) => {
      if (world.images.get(img.id) === img && img.status === "importing")
        setImageData(world, img, bytes, digest(bytes));
    },
    (e: unknown) => {
      if (world.images.get(img.id) === img)
        failImport(world, img, e instanceof Error ? e.message : String(e));
    },
  );
  return empty(c, 202);
}

async function stageData(c: SimContext): Promise<Response> {
  const { world, profile } = c.var.sim;
  const state = imageState(world);
  if (!profile.image.importMethods.includes("glance-direct")) {
    throw notFound("'glance-direct' method is not available at this site.");
  }
  const img = ownImage(c, c.req.param("image_id")!, "upload_image");
  if (img.status !== "queued")
    throw new SimError(409, `Image status transition from ${img.status} to uploading is not allowed`);
  img.status = "uploading";
  img.updated = world.clock.now();
  try {
    const { bytes } = await readBodyCapped(c, state.maxUploadBytes);
    state.staged.set(img.id, bytes);
  } catch (e) {
    if (world.images.get(img.id) === img) img.status = "queued";
    throw e;
  }
  return empty(c, 204);
}

function findTask(c: SimContext): TaskRecord {
  const t = imageState(c.var.sim.world).tasks.get(c.req.param("task_id")!);
  if (!t || (t.owner !== projectOf(c) && !isAdmin(c)))
    throw notFound(`Task with the given ID ${c.req.param("task_id")} was not found`);
  return t;
}

async function createTask(c: SimContext): Promise<Response> {
  const { world, profile } = c.var.sim;
  const state = imageState(world);
  const body = await readJson(c);
  const type = optString(body, "type");
  if (type !== "import") throw badRequest(`Invalid type value: ${String(type)}`);
  const input = member(body, "input");
  const from = optString(input, "import_from", "input.import_from");
  const format = optString(input, "import_from_format", "input.import_from_format");
  if (!from) throw badRequest("Input does not contain 'import_from' field");
  if (!format) throw badRequest("Input does not contain 'import_from_format' field");
  if (!diskFormats(profile).includes(format)) {
    throw badRequest(
      `Invalid value for import_from_format: ${format}; this cloud accepts ${diskFormats(profile).join(", ")}`,
    );
  }
  const props = input.image_properties;
  if (props !== undefined && (typeof props !== "object" || props === null || Array.isArray(props))) {
    throw badRequest("Invalid input: 'image_properties' must be an object.");
  }
  const owner = projectOf(c);
  const now = world.clock.now();
  const task: TaskRecord = {
    id: world.ids.uuid(),
    owner,
    type,
    status: "pending",
    input,
    result: null,
    message: "",
    created: now,
    updated: now,
    expires: null,
  };
  state.tasks.set(task.id, task);
  const delay = state.importDelayMs;
  const finish = () => {
    const at = world.clock.now();
    task.updated = at;
    task.expires = at + 48 * 3600 * 1000;
    const obj = findObject(world, owner, from);
    if (!obj) {
      task.status = "failure";
      task.message = `Unable to import image: object ${from} was not found in the object store.`;
      return;
    }
    const fields = { ...(props as Record<string, unknown> | undefined) };
    const img = newImage(world, owner, {
      name: typeof fields.name === "string" ? fields.name : "",
      disk_format: format,
      container_format: "bare",
      visibility: "private",
      status: "saving",
    });
    for (const [k, v] of Object.entries(fields))
      if (k !== "name" && typeof v === "string") img.properties[k] = v;
    setImageData(world, img, obj.bytes, digest(obj.bytes));
    task.status = "success";
    task.result = { image_id: img.id };
  };
  // pending -> processing at once on the next look, success/failure after the import delay.
  world.schedule(now + Math.floor(delay / 2), "image", `task-start:${task.id}`, () => {
    if (task.status === "pending") {
      task.status = "processing";
      task.updated = world.clock.now();
    }
  });
  world.schedule(now + delay, "image", `task-end:${task.id}`, finish);
  return json(c, 201, taskView(task));
}

/** glance v2 interoperable import (stage, import, info) and tasks. */
export function registerImportV2(v2: RouteGroup, sim: SimState): void {
  const world = sim.world;
  v2.put("/images/:image_id/stage", stageData);
  v2.post("/images/:image_id/import", importImage);
  v2.get("/info/import", (c) =>
    json(c, 200, {
      "import-methods": {
        description: "Import methods available.",
        type: "array",
        value: [...c.var.sim.profile.image.importMethods],
      },
    }),
  );
  v2.get("/info/stores", (c) => {
    if (c.var.sim.profile.name !== "modern") throw notFound("The resource could not be found.");
    return json(c, 200, {
      stores: [{ id: "default_backend", description: "Simulated file store", default: true }],
    });
  });
  v2.post("/tasks", createTask);
  v2.get("/tasks", (c) => {
    const pid = projectOf(c);
    const admin = isAdmin(c);
    const tasks = [...imageState(world).tasks.values()]
      .filter((t) => admin || t.owner === pid)
      .reverse()
      .map((t) => {
        const { input: _i, result: _r, message: _m, ...summary } = taskView(t);
        return summary;
      });
    return json(c, 200, { tasks, first: "/v2/tasks", schema: "/v2/schemas/tasks" });
  });
  v2.get("/tasks/:task_id", (c) => json(c, 200, taskView(findTask(c))));
}
