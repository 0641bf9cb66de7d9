import { create } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import { type CreateImageOptions, ValidationError } from "@oaktree/core";
import { imageToProto } from "../convert/image.js";
import { invalidArgument } from "../errors.js";
import { ProgressSchema, Stage } from "../gen/oaktree/v1/common_pb.js";
import {
  type CreateImageRequest,
  type CreateImageResponse,
  CreateImageResponseSchema,
  type Image,
  ImageSchema,
  ImageService,
  type ImageUploadSpec,
} from "../gen/oaktree/v1/image_pb.js";
import { callOf, deleted, given, required, waitTimeoutMs } from "./calls.js";
import { compileFilter } from "./filter.js";
import { ImageUploadStream } from "./image-upload.js";
import { type HandlerDeps, handlersOf, type ServiceHandlers } from "./index.js";
import { watchHandler, watchKinds } from "./watch.js";

/** ImageService (glance v2 or v1), without WatchImages. */
export function imageHandlers(deps: HandlerDeps): ServiceHandlers {
  const { clouds } = deps;
  return handlersOf(ImageService, {
    // Served by the shared watch hubs (watch.ts), as WatchServers is.
    watchImages: watchHandler(deps, watchKinds.images),
    async getImage(request, context) {
      const nameOrId = required("name_or_id", request.nameOrId);
      const cloud = await clouds.resolve(request.location);
      return { image: imageToProto(await cloud.getImage(nameOrId, callOf(context))) };
    },
    async listImages(request, context) {
      const filter = compileFilter(ImageSchema, request.filter);
      const cloud = await clouds.resolve(request.location);
      return { images: filter.apply((await cloud.listImages(callOf(context))).map(imageToProto)) };
    },
    async updateImage(request, context) {
      const nameOrId = required("name_or_id", request.nameOrId);
      const set = request.setProperties;
      if (Object.keys(set).length === 0 && request.removeProperties.length === 0) {
        throw invalidArgument(
          "set_properties",
          "nothing to update: give set_properties or remove_properties",
        );
      }
      const cloud = await clouds.resolve(request.location);
      const image = await cloud
        .updateImageProperties(nameOrId, { set, remove: request.removeProperties }, callOf(context))
        .catch((error: unknown) => {
          throw renamedField(error, { set: "set_properties", remove: "remove_properties" });
        });
      return { image: imageToProto(image) };
    },
    async deleteImage(request, context) {
      const nameOrId = required("name_or_id", request.nameOrId);
      const cloud = await clouds.resolve(request.location);
      deleted("image", nameOrId, await cloud.deleteImage(nameOrId, callOf(context)));
      return {};
    },
    createImage(requests, context) {
      return createImage(requests, context, clouds);
    },
  });
}

/**
 * CreateImage: the first message carries location and spec, the next ones the bytes, which
 * are streamed to the cloud as it reads them. Events: UPLOADING (bytes_done), PROCESSING once
 * every byte is sent, DONE with the image (`existing` when core reused an identical one).
 */
async function* createImage(
  requests: AsyncIterable<CreateImageRequest>,
  context: HandlerContext,
  clouds: HandlerDeps["clouds"],
): AsyncGenerator<CreateImageResponse> {
  const iterator = requests[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done || first.value.spec === undefined) {
    throw invalidArgument("spec", "the first message must carry the image's spec (name, formats...)");
  }
  const spec = first.value.spec;
  const options = uploadOptions(spec, context);
  const cloud = await clouds.resolve(first.value.location);
  const upload = new ImageUploadStream(first.value.data, iterator, Number(spec.size));
  const started = Date.now();
  const event = (stage: Stage, fields: { image?: Image; existing?: boolean } = {}, bytesDone = 0) =>
    create(CreateImageResponseSchema, {
      ...fields,
      progress: create(ProgressSchema, {
        stage,
        elapsedMs: BigInt(Date.now() - started),
        bytesDone: BigInt(bytesDone),
      }),
    });
  const run = cloud.createImage({ ...options, data: upload.stream, ...callOf(context) }).then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  let reported = 0;
  let processing = false;
  for (;;) {
    const outcome = await Promise.race([run, upload.nextChange().then(() => undefined)]);
    if (upload.bytesDone > reported) {
      reported = upload.bytesDone;
      yield event(Stage.UPLOADING, {}, reported);
    }
    if (upload.ended && !processing) {
      processing = true;
      yield event(Stage.PROCESSING, {}, reported);
    }
    if (outcome === undefined) continue;
    // A stream that could not be read fails the upload: its own error says why, not the cloud's.
    if ("error" in outcome) throw upload.failure ?? fieldOfSpec(outcome.error);
    const { image, reused } = outcome.result;
    if (reused) await upload.close();
    yield event(Stage.DONE, { image: imageToProto(image), existing: reused }, reported);
    return;
  }
}

const VISIBILITIES = new Set(["public", "private", "shared", "community"]);

/** The spec checked field by field (names as in the proto), as core's options. */
function uploadOptions(spec: ImageUploadSpec, context: HandlerContext): Omit<CreateImageOptions, "data"> {
  const name = required("spec.name", spec.name);
  const visibility = given(spec.visibility);
  if (visibility !== undefined && !VISIBILITIES.has(visibility)) {
    throw invalidArgument("spec.visibility", "must be public, private, shared or community");
  }
  if (spec.checksum !== "" && !/^[0-9a-f]{32}$/i.test(spec.checksum)) {
    throw invalidArgument("spec.checksum", "must be an MD5 hex digest (32 characters)");
  }
  for (const [field, value] of [
    ["spec.min_disk", spec.minDisk],
    ["spec.min_ram", spec.minRam],
    ["spec.size", Number(spec.size)],
  ] as const) {
    if (value < 0) throw invalidArgument(field, `must be 0 or more, got ${value}`);
  }
  const timeoutMs = waitTimeoutMs("spec.timeout_seconds", spec.timeoutSeconds, context);
  return {
    name,
    ...(given(spec.diskFormat) !== undefined && { diskFormat: spec.diskFormat }),
    ...(given(spec.containerFormat) !== undefined && { containerFormat: spec.containerFormat }),
    ...(Object.keys(spec.properties).length > 0 && { properties: spec.properties }),
    ...(visibility !== undefined && { visibility: visibility as CreateImageOptions["visibility"] }),
    ...(spec.minDisk > 0 && { minDisk: spec.minDisk }),
    ...(spec.minRam > 0 && { minRam: spec.minRam }),
    ...(spec.tags.length > 0 && { tags: spec.tags }),
    ...(spec.checksum !== "" && { checksum: spec.checksum }),
    ...(spec.wait !== undefined && { wait: spec.wait }),
    ...(timeoutMs !== undefined && { timeoutMs }),
  };
}

/** Core's names of the spec's fields, and the proto's. */
const SPEC_FIELDS: Readonly<Record<string, string>> = {
  name: "spec.name",
  diskFormat: "spec.disk_format",
  containerFormat: "spec.container_format",
  checksum: "spec.checksum",
  minDisk: "spec.min_disk",
  minRam: "spec.min_ram",
  timeoutMs: "spec.timeout_seconds",
};

/** Core's ValidationError of a spec field (e.g. a disk format the cloud refuses) named as in the proto. */
function fieldOfSpec(error: unknown): unknown {
  return renamedField(error, SPEC_FIELDS);
}

/**
 * Core's ValidationError with its field renamed to the proto's path: `names` maps core's field,
 * or the first part of a dotted one ("set.os_distro" -> "set_properties.os_distro").
 */
function renamedField(error: unknown, names: Readonly<Record<string, string>>): unknown {
  if (!(error instanceof ValidationError)) return error;
  const [head = "", ...rest] = error.field.split(".");
  const renamed = names[error.field] ?? (names[head] ? [names[head], ...rest].join(".") : undefined);
  return renamed ? invalidArgument(renamed, error.message.slice(error.field.length + 2)) : error;
}
