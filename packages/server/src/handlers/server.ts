import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { serverToProto } from "../convert/server.js";
import { invalidArgument } from "../errors.js";
import { Stage } from "../gen/oaktree/v1/common_pb.js";
import { DeleteServerResponseSchema, ServerSchema, ServerService } from "../gen/oaktree/v1/server_pb.js";
import { CreateOperation, CreateOperations } from "./create-operations.js";
import { compileFilter } from "./filter.js";
import { type HandlerDeps, handlersOf, type ServiceHandlers } from "./index.js";
import {
  timeoutOf,
  toCreateServerOptions,
  validateCreateServerRequest,
  validateDeleteServerRequest,
} from "./server-requests.js";
import { type WatchStreamOptions, watchHandler, watchHubsOf, watchKinds } from "./watch.js";
import type { WatchHubs } from "./watch-hub.js";

/** Shared state of the server handlers, injectable so that tests can tune and inspect it. */
export interface ServerHandlerState {
  readonly creates?: CreateOperations;
  readonly hubs?: WatchHubs;
  readonly watch?: WatchStreamOptions;
}

/**
 * ServerService: get, list, create (streamed progress; a client token makes it a server-side
 * operation that streams attach to), delete (streamed), watch.
 */
export function serverHandlers(deps: HandlerDeps, state: ServerHandlerState = {}): ServiceHandlers {
  const creates = state.creates ?? new CreateOperations();
  const hubs = state.hubs ?? watchHubsOf(deps);
  return handlersOf(ServerService, {
    async getServer(request, context) {
      if (!request.nameOrId.trim()) throw invalidArgument("name_or_id", "required");
      const cloud = await deps.clouds.resolve(request.location);
      return { server: serverToProto(await cloud.getServer(request.nameOrId, { signal: context.signal })) };
    },

    async listServers(request, context) {
      const filter = compileFilter(ServerSchema, request.filter);
      const cloud = await deps.clouds.resolve(request.location);
      const servers = await cloud.listServers({ signal: context.signal });
      return { servers: filter.apply(servers.map(serverToProto)) };
    },

    async *createServer(request, context) {
      validateCreateServerRequest(request);
      const cloud = await deps.clouds.resolve(request.location);
      const options = toCreateServerOptions(request);
      if (!request.clientToken) {
        // Without a token the boot is this stream's: its end (cancel, deadline) rolls it back.
        const timeoutMs = timeoutOf(request.timeoutSeconds, context.timeoutMs());
        const operation = new CreateOperation((onProgress, signal) =>
          cloud.createServer({
            ...options,
            onProgress,
            signal,
            ...(timeoutMs !== undefined && { timeoutMs }),
          }),
        );
        const stop = () => operation.cancel(context.signal.reason);
        context.signal.addEventListener("abort", stop, { once: true });
        try {
          yield* operation.follow(context.signal);
        } finally {
          context.signal.removeEventListener("abort", stop);
          if (!context.signal.aborted) operation.cancel();
        }
        return;
      }
      // With a token the boot outlives the stream: it keeps its own timeout (timeout_seconds,
      // else core's), streams attach to it, and a reissue finishes it (docs/decisions/0014).
      const key = `${await cloud.scope()}/${request.clientToken}`;
      const timeoutMs = timeoutOf(request.timeoutSeconds, undefined);
      const operation = creates.attach(key, (onProgress, signal) =>
        cloud.createServer({ ...options, onProgress, signal, ...(timeoutMs !== undefined && { timeoutMs }) }),
      );
      yield* operation.follow(context.signal);
    },

    async *deleteServer(request, context) {
      validateDeleteServerRequest(request);
      const cloud = await deps.clouds.resolve(request.location);
      const startedAt = Date.now();
      const step = (stage: Stage, id: string, extra: { cloudStatus?: string; message?: string } = {}) =>
        create(DeleteServerResponseSchema, {
          id,
          progress: { stage, elapsedMs: BigInt(Date.now() - startedAt), ...extra },
        });
      const server = await cloud.getServer(request.nameOrId, { signal: context.signal });
      yield step(Stage.DELETING, server.id, { cloudStatus: server.status });
      const wait = request.wait ?? true;
      const timeoutMs = timeoutOf(request.timeoutSeconds, context.timeoutMs());
      const result = await cloud.deleteServer(server.id, {
        wait,
        deleteIps: request.deleteIps,
        signal: context.signal,
        ...(timeoutMs !== undefined && { timeoutMs }),
      });
      if (result.wait.state === "error" && result.wait.error) throw result.wait.error;
      if (result.wait.state === "timeout") {
        throw new ConnectError(`server ${server.id} still exists after the timeout`, Code.DeadlineExceeded);
      }
      if (result.wait.state === "aborted") throw new ConnectError("the call was cancelled", Code.Canceled);
      const ips = result.deletedFloatingIps.map((ip) => ip.floatingIpAddress);
      const message = [
        wait ? "gone" : "the cloud accepted the delete (not waited for)",
        ...(ips.length > 0 ? [`floating IPs deleted: ${ips.join(", ")}`] : []),
      ].join("; ");
      yield step(Stage.DONE, server.id, { message });
    },

    watchServers: watchHandler(deps, watchKinds.servers, hubs, state.watch),
  });
}
