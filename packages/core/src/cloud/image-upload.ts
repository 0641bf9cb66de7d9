import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { Readable } from "node:stream";
import { OaktreeError, ValidationError } from "../errors.js";
import { systemClock } from "../http/clock.js";
import { ForbiddenError, NotAcceptableError, NotFoundError, OpenStackError } from "../http/errors.js";
import type { ImageUploadMethod } from "../models/capabilities.js";
import type { Image } from "../models/image.js";
import { signalOf } from "../services/call-options.js";
import { createImageV1, uploadImageDataV1 } from "../services/image/v1/images/requests.js";
import {
  type ImageData,
  importImage,
  stageImageData,
  uploadImageData,
} from "../services/image/v2/images/data.js";
import { createImage as createImageWire } from "../services/image/v2/images/requests.js";
import { createImportTask, getTask } from "../services/image/v2/tasks/requests.js";
import {
  createContainer,
  deleteContainer,
  headContainer,
} from "../services/object-store/v1/containers/requests.js";
import { deleteObject, uploadObject } from "../services/object-store/v1/objects/requests.js";
import type { WaitResult } from "../state/watch-types.js";
import { imageCapabilities } from "./capabilities.js";
import { CAPABILITIES_CACHE_KIND, type CloudContext, cacheTtlMs } from "./context.js";
import { deleteImageId, getImageById, judgeImageActive, listImages, waitForImage } from "./images.js";
import { CLEANUP_GRACE_MS, Rollback } from "./rollback.js";

/** Image data: a stream (sent once), bytes, or the path of a local file. */
export type ImageSource = ReadableStream<Uint8Array> | Uint8Array | string;

/** Options of {@link createImage}. */
export interface CreateImageOptions {
  readonly name: string;
  readonly data: ImageSource;
  /** Default: from the file's extension, else clouds.yaml `image_format`, else qcow2. */
  readonly diskFormat?: string;
  /** Default "bare" ("ovf" for vhd, as shade does). */
  readonly containerFormat?: string;
  /** Custom properties (os_distro, hw_*...), string values. */
  readonly properties?: Readonly<Record<string, string>>;
  readonly visibility?: "public" | "private" | "shared" | "community";
  readonly minDisk?: number;
  readonly minRam?: number;
  readonly tags?: readonly string[];
  /** MD5 (hex) of the data: dedupes without reading it (computed for bytes and files). */
  readonly checksum?: string;
  /** Wait until the image is active. Default true. */
  readonly wait?: boolean;
  /** Upload plus wait. Default one hour. */
  readonly timeoutMs?: number;
  /** Use this method instead of the cloud's preference (see Capabilities.images). */
  readonly method?: ImageUploadMethod;
  readonly signal?: AbortSignal;
}

/** What {@link createImage} did. */
export interface CreateImageResult {
  readonly image: Image;
  /** True when an active image of the same name and checksum existed: nothing was uploaded. */
  readonly reused: boolean;
  /** How the data went up (absent when reused). */
  readonly method?: ImageUploadMethod;
}

/** An image could not be created; oaktree deleted what it had created for it. */
export class ImageCreateError extends OaktreeError {
  override readonly name: string = "ImageCreateError";
  constructor(
    message: string,
    readonly imageId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The cloud refused one upload method after the data stream was spent (a stream cannot be
 * sent twice), and oaktree now uses `nextMethod` for this cloud: the same call again succeeds.
 */
export class ImageUploadRetryError extends ImageCreateError {
  override readonly name = "ImageUploadRetryError";
  constructor(
    message: string,
    imageId: string | undefined,
    readonly nextMethod: ImageUploadMethod,
    options?: { cause?: unknown },
  ) {
    super(message, imageId, options);
  }
}

/** The container task imports stage their data in (created on demand, removed when empty). */
export const TASK_IMPORT_CONTAINER = "oaktree-image-uploads";

/**
 * Remembering the method that last worked (so that a refused one is not tried again) is a
 * capability learned the hard way: it is kept in the context's state backend, per scope, for
 * the capabilities TTL (every replica of a shared backend learns it at once), and for at least
 * a minute, so that the retry a refused stream's error asks for goes by the next method.
 */
const LEARNED_METHOD_MIN_TTL_MS = 60_000;

async function learnedMethodKey(ctx: CloudContext): Promise<string> {
  return `oaktree:image-upload-method:${await ctx.scope()}`;
}

async function learnedMethod(ctx: CloudContext): Promise<ImageUploadMethod | undefined> {
  return ctx.backend.kv.get<ImageUploadMethod>(await learnedMethodKey(ctx));
}

async function learnMethod(ctx: CloudContext, method: ImageUploadMethod): Promise<void> {
  const ttl = cacheTtlMs(ctx.connection.config.cache)(CAPABILITIES_CACHE_KIND);
  await ctx.backend.kv.set(await learnedMethodKey(ctx), method, Math.max(ttl, LEARNED_METHOD_MIN_TTL_MS));
}

/**
 * Creates an image from data with the upload method the cloud needs:
 * 1. validates the input and checks the disk and container formats against the ones the
 *    cloud accepts (Capabilities.images), before any upload;
 * 2. skips the upload when an active image with the same name and MD5 checksum exists
 *    (returned with `reused: true`); the checksum is the caller's, or computed from bytes or a
 *    file (a stream without one is never deduplicated);
 * 3. uploads by the first method of Capabilities.images.uploadMethods (`v2-put`, `v2-import`,
 *    `v1-post`, `task-import`), moving to the next when the cloud refuses one (403, or 404/405
 *    /406 for a switched-off API) and the data can be read again (bytes, a file): the refused
 *    method's queued image is deleted first, and the method that worked is remembered (in the
 *    context's state backend, for the capabilities TTL);
 * 4. waits for `active` through the shared image watch (unless `wait: false`);
 * 5. on any failure deletes the image record it created: no queued orphans. That cleanup runs
 *    for at most CLEANUP_GRACE_MS past the failure; what it could not delete by then is named in
 *    the ImageCreateError.
 */
export async function createImage(
  ctx: CloudContext,
  options: CreateImageOptions,
): Promise<CreateImageResult> {
  const input = await validate(ctx, options);
  const caps = await imageCapabilities(ctx);
  if (!caps.apiVersion) throw new OaktreeError("images: the cloud has no image service");
  checkFormat("diskFormat", input.diskFormat, caps.diskFormats);
  checkFormat("containerFormat", input.containerFormat, caps.containerFormats);
  checkMethod(options.method, caps.apiVersion);
  const checksum = options.checksum?.toLowerCase() ?? (await md5Of(options.data));
  if (checksum) {
    const existing = (await listImages(ctx, { name: options.name, ...signalOf(options) })).find(
      (image) => image.status === "active" && image.checksum === checksum,
    );
    if (existing) return { image: existing, reused: true };
  }
  const preferred = options.method ?? (await learnedMethod(ctx));
  const methods = preferred
    ? [preferred, ...caps.uploadMethods.filter((method) => method !== preferred)]
    : [...caps.uploadMethods];
  if (methods.length === 0) throw new OaktreeError("images: no upload method on this cloud");
  const deadline = Date.now() + (options.timeoutMs ?? 3_600_000);
  let lastRefusal: unknown;
  for (const [index, method] of methods.entries()) {
    const rollback = new Rollback();
    let imageId: string | undefined;
    try {
      imageId = await upload(ctx, method, input, rollback, deadline);
      if (options.wait !== false) {
        const result = await waitForImage(ctx, imageId, judgeImageActive, {
          timeoutMs: Math.max(0, deadline - Date.now()),
          ...signalOf(options),
        });
        if (result.state !== "success") {
          throw new ImageCreateError(
            `image "${options.name}" (${imageId}): ${waitOutcome(result)} instead of active`,
            imageId,
            { cause: result.error },
          );
        }
        rollback.commit();
        await learnMethod(ctx, method);
        return { image: result.value as Image, reused: false, method };
      }
      rollback.commit();
      await learnMethod(ctx, method);
      const image = await getImageById(ctx, imageId, signalOf(options));
      if (!image)
        throw new ImageCreateError(`image "${options.name}" (${imageId}) vanished after the upload`, imageId);
      return { image, reused: false, method };
    } catch (error) {
      const leftovers = await rollback.run({ timeoutMs: CLEANUP_GRACE_MS });
      const rereadable = options.data instanceof Uint8Array || typeof options.data === "string";
      const fallback = index < methods.length - 1 && refused(error);
      const canRetry = fallback && rereadable;
      if (leftovers.length > 0) {
        throw new ImageCreateError(
          `image "${options.name}": ${(error as Error).message}; could not delete ${leftovers.map((l) => l.what).join(", ")}`,
          imageId,
          { cause: error },
        );
      }
      if (!canRetry) {
        if (fallback) {
          // The retry this message asks for must go by the next method, not be refused again.
          const next = methods[index + 1] as ImageUploadMethod;
          await learnMethod(ctx, next);
          throw new ImageUploadRetryError(
            `image "${options.name}": the cloud refused ${method} (${(error as Error).message}); a stream cannot be sent twice: retry, oaktree will use ${next}`,
            imageId,
            next,
            { cause: error },
          );
        }
        throw error;
      }
      // The next method is tried from now on, for this call and the next ones.
      await learnMethod(ctx, methods[index + 1] as ImageUploadMethod);
      lastRefusal = error;
    }
  }
  throw lastRefusal;
}

interface UploadInput {
  readonly name: string;
  readonly data: ImageSource;
  readonly diskFormat: string;
  readonly containerFormat: string;
  readonly options: CreateImageOptions;
}

/** Uploads by one method; registers the undo of every record it creates; returns the image id. */
async function upload(
  ctx: CloudContext,
  method: ImageUploadMethod,
  input: UploadInput,
  rollback: Rollback,
  deadline: number,
): Promise<string> {
  const { options } = input;
  const c = signalOf(options);
  const image = await ctx.client("image", options.signal);
  const undoImage = (id: string) =>
    rollback.add(`image ${id}`, async (signal) => void (await deleteImageId(ctx, id, { signal })));
  if (method === "v1-post") {
    const created = await createImageV1(
      image,
      {
        name: input.name,
        diskFormat: input.diskFormat,
        containerFormat: input.containerFormat,
        ...defined({ minDisk: options.minDisk, minRam: options.minRam, properties: options.properties }),
        ...(options.visibility !== undefined && { isPublic: options.visibility === "public" }),
      },
      undefined,
      c,
    );
    // NOTE: glance v1 keeps a `killed` record when an upload fails: POST the metadata alone
    // first, so that the image has an id to delete before any data is sent (as shade does).
    undoImage(created.id);
    await uploadImageDataV1(image, created.id, await dataOf(input.data), c);
    return created.id;
  }
  if (method === "task-import") return taskImport(ctx, input, rollback, deadline);
  const created = await createImageWire(
    image,
    {
      name: input.name,
      diskFormat: input.diskFormat,
      containerFormat: input.containerFormat,
      ...defined({
        visibility: options.visibility,
        minDisk: options.minDisk,
        minRam: options.minRam,
        tags: options.tags,
        properties: options.properties,
      }),
    },
    c,
  );
  undoImage(created.id);
  if (method === "v2-put") {
    await uploadImageData(image, created.id, await dataOf(input.data), c);
  } else {
    await stageImageData(image, created.id, await dataOf(input.data), c);
    await importImage(image, created.id, { name: "glance-direct" }, {}, c);
  }
  return created.id;
}

/**
 * Task import: the data goes to object storage, a glance `import` task reads it from there
 * and creates the image; the object (and the container, when oaktree created it) is deleted
 * afterwards whatever happened.
 * NOTE: a task is one object that only GET /tasks/{id} tracks: it is polled at the watch
 * interval (tasks are rare and short; a shared watch would list every task of the project).
 */
async function taskImport(
  ctx: CloudContext,
  input: UploadInput,
  rollback: Rollback,
  deadline: number,
): Promise<string> {
  const c = signalOf(input.options);
  const swift = await ctx.client("object-store", input.options.signal);
  const image = await ctx.client("image", input.options.signal);
  let createdContainer = false;
  try {
    await headContainer(swift, TASK_IMPORT_CONTAINER, c);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    await createContainer(swift, TASK_IMPORT_CONTAINER, {}, c);
    createdContainer = true;
  }
  const object = `${input.name.replace(/[^A-Za-z0-9._-]/g, "_")}-${randomUUID()}`;
  try {
    await uploadObject(
      swift,
      TASK_IMPORT_CONTAINER,
      object,
      await dataOf(input.data),
      input.options.checksum ? { etag: input.options.checksum.toLowerCase() } : {},
      c,
    );
    const task = await createImportTask(
      image,
      {
        importFrom: `${TASK_IMPORT_CONTAINER}/${object}`,
        importFromFormat: input.diskFormat,
        imageProperties: {
          name: input.name,
          disk_format: input.diskFormat,
          container_format: input.containerFormat,
          ...defined({
            visibility: input.options.visibility,
            min_disk: input.options.minDisk,
            min_ram: input.options.minRam,
            tags: input.options.tags,
          }),
          ...input.options.properties,
        },
      },
      c,
    );
    let current = task;
    while (current.status !== "success" && current.status !== "failure") {
      if (Date.now() > deadline)
        throw new ImageCreateError(`image "${input.name}": import task ${task.id} timed out`);
      await systemClock.sleep(ctx.options.pollIntervalMs, input.options.signal);
      current = await getTask(image, task.id, c);
    }
    const imageId = typeof current.result?.image_id === "string" ? current.result.image_id : undefined;
    if (imageId)
      rollback.add(
        `image ${imageId}`,
        async (signal) => void (await deleteImageId(ctx, imageId, { signal })),
      );
    if (current.status === "failure" || !imageId) {
      throw new ImageCreateError(
        `image "${input.name}": import task ${task.id} failed: ${current.message || "no image id in the result"}`,
        imageId,
      );
    }
    return imageId;
  } finally {
    // The staged copy is of no use once glance has (or has not) imported it.
    await deleteObject(swift, TASK_IMPORT_CONTAINER, object).catch(() => undefined);
    if (createdContainer) await deleteContainer(swift, TASK_IMPORT_CONTAINER).catch(() => undefined);
  }
}

/** How a wait for active ended, for the error: the status it went to, or why it ended. */
function waitOutcome(result: WaitResult<Image>): string {
  if (result.state === "failure") return `went ${result.value?.status ?? "away"}`;
  if (result.state === "error") return `could not be read (${result.error?.message ?? "unknown error"})`;
  return result.state;
}

/** A refusal of the method itself (not of the data): the next method may work. */
function refused(error: unknown): boolean {
  if (error instanceof ForbiddenError || error instanceof NotAcceptableError) return true;
  return (
    error instanceof OpenStackError && (error.status === 404 || error.status === 405 || error.status === 415)
  );
}

async function validate(ctx: CloudContext, options: CreateImageOptions): Promise<UploadInput> {
  if (typeof options.name !== "string" || options.name.trim() === "") {
    throw new ValidationError("name", "must be a non-empty string");
  }
  const data = options.data;
  const isStream =
    data !== null && typeof data === "object" && typeof (data as ReadableStream).getReader === "function";
  if (!(data instanceof Uint8Array) && typeof data !== "string" && !isStream) {
    throw new ValidationError("data", "must be a ReadableStream, a Uint8Array or a file path");
  }
  if (typeof data === "string") {
    const info = await stat(data).catch(() => undefined);
    if (!info?.isFile()) throw new ValidationError("data", `"${data}" is not a readable file`);
  }
  if (options.checksum !== undefined && !/^[0-9a-f]{32}$/i.test(options.checksum)) {
    throw new ValidationError("checksum", "must be an MD5 hex digest (32 characters)");
  }
  for (const field of ["minDisk", "minRam", "timeoutMs"] as const) {
    const value = options[field];
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw new ValidationError(field, `must be an integer of 0 or more, got ${value}`);
    }
  }
  const fromExtension = typeof data === "string" ? extname(data).slice(1).toLowerCase() : "";
  const diskFormat =
    options.diskFormat ??
    (KNOWN_EXTENSIONS.has(fromExtension) ? fromExtension : undefined) ??
    ctx.connection.config.imageFormat ??
    "qcow2";
  const containerFormat = options.containerFormat ?? (diskFormat === "vhd" ? "ovf" : "bare");
  return { name: options.name, data, diskFormat, containerFormat, options };
}

const KNOWN_EXTENSIONS = new Set(["qcow2", "raw", "vhd", "vhdx", "vmdk", "vdi", "iso", "ploop", "img"]);

/**
 * Fails before any upload when the cloud does not accept `value`, naming the accepted ones.
 * NOTE: a glance whose schema has no enum accepts anything: nothing to check then.
 */
function checkFormat(field: string, value: string, accepted: readonly string[]): void {
  if (accepted.length > 0 && !accepted.includes(value)) {
    throw new ValidationError(
      field,
      `"${value}" is not accepted by this cloud; accepted: ${accepted.join(", ")}`,
    );
  }
}

/**
 * Fails before any request when a forced method needs the other glance API than the one the
 * image client speaks: `v1-post` sent to a v2 endpoint is a 400, a v2 method cannot reach v1.
 * NOTE: glance v1 is chosen per cloud with clouds.yaml `image_api_version: 1` (as openstacksdk).
 */
function checkMethod(method: ImageUploadMethod | undefined, apiVersion: string): void {
  if (method === undefined) return;
  const v1 = apiVersion.startsWith("1");
  if (method === "v1-post" && !v1) {
    throw new ValidationError(
      "method",
      `v1-post needs glance v1, and this cloud's image client speaks v${apiVersion} (set image_api_version: 1 in clouds.yaml to use v1)`,
    );
  }
  if (method !== "v1-post" && v1) {
    throw new ValidationError("method", `${method} needs glance v2, and this cloud's image client speaks v1`);
  }
}

/** The MD5 of bytes or of a file; undefined for a stream (it can be read only once). */
async function md5Of(data: ImageSource): Promise<string | undefined> {
  if (data instanceof Uint8Array) return createHash("md5").update(data).digest("hex");
  if (typeof data !== "string") return undefined;
  const hash = createHash("md5");
  for await (const chunk of createReadStream(data)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The data as a binding takes it: bytes as they are, a file as a fresh stream. */
async function dataOf(data: ImageSource): Promise<ImageData> {
  if (typeof data === "string") return Readable.toWeb(createReadStream(data)) as ReadableStream<Uint8Array>;
  return data;
}

function defined<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}
