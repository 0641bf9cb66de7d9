import { OaktreeError, ValidationError } from "../errors.js";
import { NotFoundError } from "../http/errors.js";
import type { ServiceClient } from "../http/types.js";
import { type Image, normalizeImage, normalizeImageV1 } from "../models/image.js";
import { signalOf } from "../services/call-options.js";
import {
  deleteImageV1,
  getImageV1,
  listImagesV1,
  updateImageV1,
} from "../services/image/v1/images/requests.js";
import {
  deleteImage as deleteImageWire,
  getImage as getImageWire,
  listImages as listImagesWire,
  updateImage as updateImageWire,
} from "../services/image/v2/images/requests.js";
import type { ImagePatchOperation } from "../services/image/v2/images/wire.js";
import type { SharedWatch, WaitResult } from "../state/watch.js";
import type { CloudContext } from "./context.js";
import { applyFilters, type FilterOptions, looksLikeId, pickOne, ResourceNotFoundError } from "./find.js";

/** Options every image call takes. */
export interface ImageCallOptions {
  readonly signal?: AbortSignal;
}

/** Options of {@link listImages}. */
export interface ListImagesOptions extends FilterOptions, ImageCallOptions {
  /** Only images of this name (server-side). */
  readonly name?: string;
  /** Only images owned by this project (glance v2; server-side). */
  readonly owner?: string;
}

/** True for glance v1 clients. */
export function isGlanceV1(image: ServiceClient): boolean {
  return image.version.startsWith("1");
}

/** Every image the project sees (glance v2 or v1), in one shape. */
export async function listImages(ctx: CloudContext, options: ListImagesOptions = {}): Promise<Image[]> {
  const image = await ctx.client("image", options.signal);
  const normalize = await ctx.normalizeContext();
  const c = signalOf(options);
  const images: Image[] = [];
  if (isGlanceV1(image)) {
    for await (const wire of listImagesV1(image, defined({ name: options.name }), c)) {
      const model = normalizeImageV1(wire, normalize);
      if (options.owner === undefined || model.owner === options.owner) images.push(model);
    }
  } else {
    for await (const wire of listImagesWire(
      image,
      defined({ name: options.name, owner: options.owner }),
      c,
    )) {
      images.push(normalizeImage(wire, normalize));
    }
  }
  return applyFilters(images, options.filters);
}

/**
 * An image by id (one GET when it looks like a UUID) or name (a list filtered by name on the
 * server), or undefined; several images of one name are an error listing them.
 */
export async function findImage(
  ctx: CloudContext,
  nameOrId: string,
  options: FilterOptions & ImageCallOptions = {},
): Promise<Image | undefined> {
  requireNonEmpty("nameOrId", nameOrId);
  if (looksLikeId(nameOrId)) {
    const byId = await getImageById(ctx, nameOrId, options);
    if (byId && applyFilters([byId], options.filters).length > 0) return byId;
  }
  return pickOne(
    "image",
    await listImages(ctx, { ...signalOf(options), name: nameOrId }),
    nameOrId,
    options.filters,
  );
}

/** The cache kind of image references (clouds.yaml `cache.expiration.image`, default 60 s). */
export const IMAGE_CACHE_KIND = "image";

/** An image as a reference: what resolving a name needs, and nothing that changes. */
interface ImageRef {
  readonly id: string;
  readonly name: string;
}

/**
 * The id of an image by id or name, for references (createServer's `image`). The id/name
 * pairs a name or id stands for are cached (kind `image`) and shared by concurrent lookups; a
 * miss reads again once, so an image uploaded since is found. Undefined when none matches;
 * several images of the name are an error listing them. (findImage and getImage read glance
 * every time: their statuses change.)
 */
export async function findImageId(
  ctx: CloudContext,
  nameOrId: string,
  options: ImageCallOptions = {},
): Promise<string | undefined> {
  requireNonEmpty("nameOrId", nameOrId);
  const load = async (): Promise<ImageRef[]> => {
    // NOTE: a name that looks like an id is still a name when no image has that id.
    const byId = looksLikeId(nameOrId) ? await getImageById(ctx, nameOrId) : undefined;
    const images = byId ? [byId] : await listImages(ctx, { name: nameOrId });
    return images.map((image) => ({ id: image.id, name: image.name }));
  };
  const pick = (refs: ImageRef[]) => pickOne("image", refs, nameOrId)?.id;
  return ctx.cache.find(IMAGE_CACHE_KIND, `ref:${nameOrId}`, load, pick, options);
}

/** Like {@link findImage}; a missing image is a ResourceNotFoundError. */
export async function getImage(
  ctx: CloudContext,
  nameOrId: string,
  options: FilterOptions & ImageCallOptions = {},
): Promise<Image> {
  const image = await findImage(ctx, nameOrId, options);
  if (!image) throw new ResourceNotFoundError("image", nameOrId);
  return image;
}

/** One image by id, or undefined when glance does not know it. */
export async function getImageById(
  ctx: CloudContext,
  id: string,
  options: ImageCallOptions = {},
): Promise<Image | undefined> {
  const image = await ctx.client("image", options.signal);
  const normalize = await ctx.normalizeContext();
  try {
    return isGlanceV1(image)
      ? normalizeImageV1(await getImageV1(image, id, signalOf(options)), normalize)
      : normalizeImage(await getImageWire(image, id, signalOf(options)), normalize);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** Options of {@link deleteImage}. */
export interface DeleteImageOptions extends ImageCallOptions {
  /** Wait until glance no longer lists it. Default false. */
  readonly wait?: boolean;
  readonly timeoutMs?: number;
}

/** Deletes an image by name or id; false when there was none. */
export async function deleteImage(
  ctx: CloudContext,
  nameOrId: string,
  options: DeleteImageOptions = {},
): Promise<boolean> {
  const target = await findImage(ctx, nameOrId, options);
  if (!target) return false;
  const deleted = await deleteImageId(ctx, target.id, options);
  if (deleted && options.wait) {
    const result = await waitForImage(
      ctx,
      target.id,
      (item) => (item === undefined || item.status === "deleted" ? "success" : "pending"),
      { timeoutMs: options.timeoutMs ?? 300_000, ...signalOf(options) },
    );
    if (result.state !== "success") {
      const why = result.error ? `: ${result.error.message}` : "";
      throw new OaktreeError(
        `image ${target.id}: still listed after deleting it (wait ${result.state}${why})`,
      );
    }
  }
  return deleted;
}

/** Deletes an image by id; false when it was already gone. */
export async function deleteImageId(
  ctx: CloudContext,
  id: string,
  options: ImageCallOptions = {},
): Promise<boolean> {
  const image = await ctx.client("image", options.signal);
  try {
    if (isGlanceV1(image)) await deleteImageV1(image, id, signalOf(options));
    else await deleteImageWire(image, id, signalOf(options));
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  } finally {
    await invalidateImages(ctx);
  }
}

/**
 * Forgets the cached image references: every write through oaktree that adds, removes or
 * renames an image calls this.
 */
export function invalidateImages(ctx: CloudContext): Promise<void> {
  return ctx.cache.invalidate(IMAGE_CACHE_KIND);
}

/** Changes of {@link updateImageProperties}. */
export interface ImagePropertyChanges {
  /** Properties to add or replace (string values, as glance stores them). */
  readonly set?: Readonly<Record<string, string>>;
  /** Properties to remove (absent ones are ignored). */
  readonly remove?: readonly string[];
}

/** Core attributes that are not custom properties: change them through their own APIs. */
const CORE = new Set([
  "id",
  "name",
  "status",
  "visibility",
  "disk_format",
  "container_format",
  "size",
  "checksum",
  "owner",
  "protected",
  "tags",
  "min_disk",
  "min_ram",
  "created_at",
  "updated_at",
  "file",
  "self",
  "schema",
]);

/**
 * Adds, replaces and removes custom properties: one JSON patch on glance v2 ("add" for new
 * keys, "replace" for existing ones, "remove" only for present ones), one header update on v1.
 */
export async function updateImageProperties(
  ctx: CloudContext,
  nameOrId: string,
  changes: ImagePropertyChanges,
  options: ImageCallOptions = {},
): Promise<Image> {
  const set = changes.set ?? {};
  for (const [key, value] of Object.entries(set)) {
    if (CORE.has(key)) throw new ValidationError(`set.${key}`, "is a core image attribute, not a property");
    if (typeof value !== "string") throw new ValidationError(`set.${key}`, "must be a string");
  }
  if (Object.keys(set).length === 0 && (changes.remove ?? []).length === 0) {
    throw new ValidationError("changes", "nothing to update");
  }
  const target = await getImage(ctx, nameOrId, options);
  const image = await ctx.client("image", options.signal);
  const normalize = await ctx.normalizeContext();
  if (isGlanceV1(image)) {
    if ((changes.remove ?? []).length > 0) {
      throw new ValidationError("remove", "glance v1 cannot remove a property without replacing all of them");
    }
    return normalizeImageV1(
      await updateImageV1(image, target.id, { properties: set }, signalOf(options)),
      normalize,
    );
  }
  const operations: ImagePatchOperation[] = [
    ...Object.entries(set).map(([key, value]) => ({
      op: key in target.properties ? ("replace" as const) : ("add" as const),
      path: `/${key}`,
      value,
    })),
    ...(changes.remove ?? [])
      .filter((key) => key in target.properties)
      .map((key) => ({ op: "remove" as const, path: `/${key}` })),
  ];
  if (operations.length === 0) return target;
  return normalizeImage(await updateImageWire(image, target.id, operations, signalOf(options)), normalize);
}

// ---------------------------------------------------------------------------------------------
// Waiting

/** The shared watch over the project's images (one list per interval, whoever waits). */
export async function imageWatch(ctx: CloudContext): Promise<SharedWatch<Image>> {
  const scope = await ctx.scope();
  const projectId = (await ctx.connection.token()).project?.id;
  return ctx.watches.watch<Image>(`${scope}/image`, () => ({
    // NOTE: glance v2 filters by owner: oaktree waits only for images the project owns, and a
    // public cloud's thousands of public images stay out of the poll. Glance's
    // `updated_at=gte:` filter would allow incremental polls, but lists no deletions and is
    // missing on old clouds: the watch lists in full.
    listAll: (signal) => listImages(ctx, { signal, ...(projectId !== undefined && { owner: projectId }) }),
    idOf: (image) => image.id,
  }));
}

/** Waits (through the shared watch) until `judge` decides for image `id`. */
export async function waitForImage(
  ctx: CloudContext,
  id: string,
  judge: (image: Image | undefined, seen: boolean) => "success" | "failure" | "pending",
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<WaitResult<Image>> {
  return (await imageWatch(ctx)).waitFor(id, judge, options);
}

/**
 * Active is success; killed, deleted, deactivated (or gone after being seen) are failures;
 * queued, saving, importing, uploading are pending.
 */
export function judgeImageActive(image: Image | undefined, seen: boolean): "success" | "failure" | "pending" {
  if (image === undefined) return seen ? "failure" : "pending";
  if (image.status === "active") return "success";
  if (["killed", "deleted", "pending_delete", "deactivated"].includes(image.status)) return "failure";
  return "pending";
}

function requireNonEmpty(field: string, value: string): void {
  if (typeof value !== "string" || value.trim() === "")
    throw new ValidationError(field, "must be a non-empty string");
}

function defined<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}
