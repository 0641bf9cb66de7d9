import { ValidationError } from "../errors.js";
import type { Volume } from "../models/volume.js";
import { signalOf } from "../services/call-options.js";
import type { CloudContext } from "./context.js";
import { ResourceNotFoundError } from "./find.js";
import { findImageId } from "./images.js";
import { getServer } from "./servers.js";
import {
  attachVolume,
  type CreateVolumeOptions,
  createVolume,
  detachVolume,
  type VolumeWaitOptions,
} from "./volumes.js";

/**
 * Volumes by reference (names or ids of the image and server), for callers that hold names
 * rather than ids (the gRPC service): each call resolves the references, then runs the
 * id-taking call of volumes.ts.
 */

/** Options of {@link createVolumeFrom}: createVolume's, with the image by name or id. */
export interface CreateVolumeFromOptions extends Omit<CreateVolumeOptions, "imageId"> {
  /** Make it from this image (name or id): a bootable volume. */
  readonly image?: string;
}

/** Creates a volume, from an image named by name or id when `image` is given. */
export async function createVolumeFrom(ctx: CloudContext, options: CreateVolumeFromOptions): Promise<Volume> {
  const { image, ...rest } = options;
  if (image === undefined) return createVolume(ctx, rest);
  if (rest.snapshotId !== undefined) throw new ValidationError("image", "cannot be combined with snapshotId");
  const imageId = await findImageId(ctx, image, signalOf(options));
  if (!imageId) throw new ResourceNotFoundError("image", image);
  return createVolume(ctx, { ...rest, imageId });
}

/** Attaches a volume (name or id) to a server (name or id); waits for in-use unless `wait: false`. */
export async function attachVolumeTo(
  ctx: CloudContext,
  volume: string,
  server: string,
  options: VolumeWaitOptions & { readonly device?: string } = {},
): Promise<Volume> {
  const target = await getServer(ctx, server, signalOf(options));
  return attachVolume(ctx, target.id, volume, options);
}

/** Detaches a volume (name or id) from a server (name or id); waits for available unless `wait: false`. */
export async function detachVolumeFrom(
  ctx: CloudContext,
  volume: string,
  server: string,
  options: VolumeWaitOptions = {},
): Promise<Volume> {
  const target = await getServer(ctx, server, signalOf(options));
  return detachVolume(ctx, target.id, volume, options);
}
