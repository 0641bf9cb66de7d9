import { create } from "@bufbuild/protobuf";
import type { Volume } from "@oaktree/core/models/volume.js";
import { volumeToProto } from "../convert/volume.js";
import { invalidArgument } from "../errors.js";
import { ProgressSchema, Stage } from "../gen/oaktree/v1/common_pb.js";
import { type CreateVolumeRequest, VolumeSchema, VolumeService } from "../gen/oaktree/v1/volume_pb.js";
import { callOf, deleted, given, required, waitTimeoutMs } from "./calls.js";
import { compileFilter } from "./filter.js";
import { type HandlerDeps, handlersOf, type ServiceHandlers } from "./index.js";
import { reportsThenResult } from "./progress.js";
import { watchHandler, watchKinds } from "./watch.js";

/** VolumeService (cinder), without WatchVolumes: creates and deletes wait unless told not to. */
export function volumeHandlers(deps: HandlerDeps): ServiceHandlers {
  const { clouds } = deps;
  return handlersOf(VolumeService, {
    // Served by the shared watch hubs (watch.ts), as WatchServers is.
    watchVolumes: watchHandler(deps, watchKinds.volumes),
    async getVolume(request, context) {
      const nameOrId = required("name_or_id", request.nameOrId);
      const cloud = await clouds.resolve(request.location);
      return { volume: volumeToProto(await cloud.getVolume(nameOrId, callOf(context))) };
    },
    async listVolumes(request, context) {
      const filter = compileFilter(VolumeSchema, request.filter);
      const cloud = await clouds.resolve(request.location);
      return { volumes: filter.apply((await cloud.listVolumes(callOf(context))).map(volumeToProto)) };
    },
    async *createVolume(request, context) {
      checkCreate(request);
      const timeoutMs = waitTimeoutMs("timeout_seconds", request.timeoutSeconds, context);
      const cloud = await clouds.resolve(request.location);
      const started = Date.now();
      const progress = (stage: Stage, cloudStatus: string, message: string) =>
        create(ProgressSchema, { stage, cloudStatus, message, elapsedMs: BigInt(Date.now() - started) });
      yield { progress: progress(Stage.ACCEPTED, "", `creating volume "${request.name}"`) };
      const steps = reportsThenResult<Volume, Volume>((onProgress) =>
        cloud.createVolumeFrom({
          ...(request.size > 0 && { size: request.size }),
          ...(given(request.name) !== undefined && { name: request.name }),
          ...(given(request.description) !== undefined && { description: request.description }),
          ...(given(request.volumeType) !== undefined && { volumeType: request.volumeType }),
          ...(given(request.availabilityZone) !== undefined && {
            availabilityZone: request.availabilityZone,
          }),
          ...(given(request.image) !== undefined && { image: request.image }),
          ...(given(request.snapshotId) !== undefined && { snapshotId: request.snapshotId }),
          ...(Object.keys(request.metadata).length > 0 && { metadata: request.metadata }),
          ...(request.wait !== undefined && { wait: request.wait }),
          ...(timeoutMs !== undefined && { timeoutMs }),
          onProgress,
          ...callOf(context),
        }),
      );
      for await (const step of steps) {
        if ("progress" in step) {
          const volume = step.progress;
          yield {
            progress: progress(Stage.BUILDING, volume.status, `volume ${volume.id} is ${volume.status}`),
            volume: volumeToProto(volume),
          };
        } else {
          const volume = step.result;
          yield {
            progress: progress(Stage.DONE, volume.status, `volume ${volume.id} is ${volume.status}`),
            volume: volumeToProto(volume),
          };
        }
      }
    },
    async deleteVolume(request, context) {
      const nameOrId = required("name_or_id", request.nameOrId);
      const timeoutMs = waitTimeoutMs("timeout_seconds", 0, context);
      const cloud = await clouds.resolve(request.location);
      const existed = await cloud.deleteVolume(nameOrId, {
        ...(request.wait !== undefined && { wait: request.wait }),
        ...(timeoutMs !== undefined && { timeoutMs }),
        ...callOf(context),
      });
      deleted("volume", nameOrId, existed);
      return {};
    },
    async attachVolume(request, context) {
      const volume = required("volume", request.volume);
      const server = required("server", request.server);
      const timeoutMs = waitTimeoutMs("timeout_seconds", 0, context);
      const cloud = await clouds.resolve(request.location);
      const attached = await cloud.attachVolumeTo(volume, server, {
        ...(timeoutMs !== undefined && { timeoutMs }),
        ...callOf(context),
      });
      return { volume: volumeToProto(attached) };
    },
    async detachVolume(request, context) {
      const volume = required("volume", request.volume);
      const server = required("server", request.server);
      const timeoutMs = waitTimeoutMs("timeout_seconds", 0, context);
      const cloud = await clouds.resolve(request.location);
      const detached = await cloud.detachVolumeFrom(volume, server, {
        ...(timeoutMs !== undefined && { timeoutMs }),
        ...callOf(context),
      });
      return { volume: volumeToProto(detached) };
    },
  });
}

/** CreateVolume's fields, checked before any cloud call. */
function checkCreate(request: CreateVolumeRequest): void {
  if (request.snapshotId === "" && request.size <= 0) {
    throw invalidArgument("size", `must be > 0 GiB unless snapshot_id is given, got ${request.size}`);
  }
  if (request.size < 0) throw invalidArgument("size", `must be 0 or more GiB, got ${request.size}`);
  if (request.image !== "" && request.snapshotId !== "") {
    throw invalidArgument("image", "cannot be combined with snapshot_id");
  }
}
