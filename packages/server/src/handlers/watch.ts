import { create, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import type { Cloud, SharedWatch } from "@oaktree/core";
import { floatingIpToProto } from "../convert/floating-ip.js";
import { imageToProto } from "../convert/image.js";
import { portToProto } from "../convert/port.js";
import { serverToProto } from "../convert/server.js";
import { volumeToProto } from "../convert/volume.js";
import { ERROR_DOMAIN } from "../errors.js";
import { ErrorInfoSchema } from "../gen/google/rpc/error_details_pb.js";
import { EventType, type ListFilter } from "../gen/oaktree/v1/common_pb.js";
import { FloatingIpSchema, WatchFloatingIpsResponseSchema } from "../gen/oaktree/v1/floating_ip_pb.js";
import { ImageSchema, WatchImagesResponseSchema } from "../gen/oaktree/v1/image_pb.js";
import type { Location } from "../gen/oaktree/v1/location_pb.js";
import { PortSchema, WatchPortsResponseSchema } from "../gen/oaktree/v1/port_pb.js";
import { ServerSchema, WatchServersResponseSchema } from "../gen/oaktree/v1/server_pb.js";
import { VolumeSchema, WatchVolumesResponseSchema } from "../gen/oaktree/v1/volume_pb.js";
import { isServerShutdown } from "../shutdown.js";
import { compileFilter } from "./filter.js";
import type { HandlerDeps } from "./index.js";
import { type HubEvent, hubSourceOf, WatchHub, WatchHubs } from "./watch-hub.js";
import { checkScope, decodeResumeToken, encodeResumeToken } from "./watch-token.js";

/** What every Watch<R>sRequest holds. */
interface WatchRequest {
  readonly location?: Location;
  readonly filter?: ListFilter;
  readonly resumeToken: string;
}

/** One event as every Watch<R>sResponse holds it (the object under the kind's own field name). */
interface WatchResponseInit<M> {
  readonly type: EventType;
  readonly object?: M;
  readonly resumeToken: string;
  readonly initial: boolean;
}

/** One kind of watchable resource: where core watches it and how its events look in proto. */
export interface WatchKind<T, D extends DescMessage, R> {
  /** In resume tokens and hub keys: "servers", "volumes", ... */
  readonly name: string;
  readonly schema: D;
  watch(cloud: Cloud): Promise<SharedWatch<T>>;
  idOf(item: T): string;
  toProto(item: T): MessageShape<D>;
  respond(init: WatchResponseInit<MessageShape<D>>): R;
}

/** Ties a kind's model, proto and response types together. */
function kindOf<T, D extends DescMessage, R>(kind: WatchKind<T, D, R>): WatchKind<T, D, R> {
  return kind;
}

/** The five watchable kinds, each fed by core's shared watch of its resource. */
export const watchKinds = {
  servers: kindOf({
    name: "servers",
    schema: ServerSchema,
    watch: (cloud: Cloud) => cloud.serverWatch(),
    idOf: (item) => item.id,
    toProto: serverToProto,
    respond: ({ object, ...rest }) => create(WatchServersResponseSchema, { ...rest, server: object }),
  }),
  volumes: kindOf({
    name: "volumes",
    schema: VolumeSchema,
    watch: (cloud: Cloud) => cloud.volumeWatch(),
    idOf: (item) => item.id,
    toProto: volumeToProto,
    respond: ({ object, ...rest }) => create(WatchVolumesResponseSchema, { ...rest, volume: object }),
  }),
  images: kindOf({
    name: "images",
    schema: ImageSchema,
    watch: (cloud: Cloud) => cloud.imageWatch(),
    idOf: (item) => item.id,
    toProto: imageToProto,
    respond: ({ object, ...rest }) => create(WatchImagesResponseSchema, { ...rest, image: object }),
  }),
  floatingIps: kindOf({
    name: "floating-ips",
    schema: FloatingIpSchema,
    watch: (cloud: Cloud) => cloud.floatingIpWatch(),
    idOf: (item) => item.id,
    toProto: floatingIpToProto,
    respond: ({ object, ...rest }) => create(WatchFloatingIpsResponseSchema, { ...rest, floatingIp: object }),
  }),
  ports: kindOf({
    name: "ports",
    schema: PortSchema,
    watch: (cloud: Cloud) => cloud.portWatch(),
    idOf: (item) => item.id,
    toProto: portToProto,
    respond: ({ object, ...rest }) => create(WatchPortsResponseSchema, { ...rest, port: object }),
  }),
};

/** Every service's watches share one set of hubs per handler set (one per server). */
const hubsByDeps = new WeakMap<HandlerDeps, WatchHubs>();

/** The hubs the watch handlers built on `deps` share. */
export function watchHubsOf(deps: HandlerDeps): WatchHubs {
  let hubs = hubsByDeps.get(deps);
  if (!hubs) {
    hubs = new WatchHubs();
    hubsByDeps.set(deps, hubs);
  }
  return hubs;
}

/**
 * The Watch<R>s method of a service, e.g. `watchVolumes: watchHandler(deps, watchKinds.volumes)`
 * in VolumeService's handlers.
 */
export function watchHandler<T, D extends DescMessage, R>(
  deps: HandlerDeps,
  kind: WatchKind<T, D, R>,
  hubs: WatchHubs = watchHubsOf(deps),
  options: WatchStreamOptions = {},
) {
  return (request: WatchRequest, context: HandlerContext) =>
    watchStream(deps, hubs, kind, request, context, options);
}

/** Tuning of watch streams (tests shorten it). */
export interface WatchStreamOptions {
  /**
   * A stream whose filter hides the hub's events still gets a BOOKMARK this often (ms), so that
   * its token stays recent enough to resume from. Default 30 000.
   */
  readonly bookmarkEveryMs?: number;
}

/**
 * The stream of one Watch<R>s call: the current objects as ADDED with `initial` and then a
 * BOOKMARK (or, with a resume token the hub still holds, the events missed since it and then a
 * BOOKMARK), then every change, each with its resume token. Filters apply per event: an
 * object that starts or stops passing is ADDED or DELETED for this stream. On server
 * shutdown, or when the client falls too far behind, the stream ends with UNAVAILABLE whose
 * ErrorInfo metadata holds the last `resume_token` sent.
 */
export async function* watchStream<T, D extends DescMessage, R>(
  deps: HandlerDeps,
  hubs: WatchHubs,
  kind: WatchKind<T, D, R>,
  request: WatchRequest,
  context: HandlerContext,
  options: WatchStreamOptions = {},
): AsyncGenerator<R> {
  const filtered = Object.keys(request.filter?.fields ?? {}).length > 0 || !!request.filter?.jmespath.trim();
  const filter = filtered ? compileFilter(kind.schema, request.filter) : undefined;
  const from = request.resumeToken ? decodeResumeToken(request.resumeToken, kind.name) : undefined;
  const cloud = await deps.clouds.resolve(request.location);
  const scope = await cloud.scope();
  if (from) checkScope(from, scope);
  const key = `${scope}/${kind.name}`;
  const watch = await kind.watch(cloud);
  const hub = hubs.acquire(
    key,
    () => new WatchHub(key, kind.schema, hubSourceOf(watch), kind.idOf, kind.toProto, hubs.options),
  );
  const tokenAt = (seq: number) => encodeResumeToken({ epoch: hub.epoch, seq, kind: kind.name, scope });
  // The last event sent (its token is made only if the stream ends with it: most never do).
  let lastSeq: number | undefined;
  const lastToken = () => (lastSeq === undefined ? request.resumeToken : tokenAt(lastSeq));
  let subscription: ReturnType<typeof hub.open>["subscription"] | undefined;
  try {
    await untilReady(hub.ready, context.signal);
    if (!context.signal.aborted) {
      const opened = hub.open(from);
      subscription = opened.subscription;
      const { start } = opened;
      if (start.kind === "initial") {
        for (const object of start.objects) {
          if (filter && !filter.matches(object)) continue;
          yield sharedInitial(kind, object);
        }
      } else {
        for (const event of start.events) {
          const type = visible(event, filter);
          if (type !== undefined) yield sharedResponse(kind, event, type, tokenAt);
        }
      }
      lastSeq = start.seq;
      yield kind.respond({ type: EventType.BOOKMARK, resumeToken: tokenAt(start.seq), initial: false });
    }
    let lastSentAt = Date.now();
    const bookmarkEveryMs = options.bookmarkEveryMs ?? 30_000;
    while (subscription && !context.signal.aborted) {
      const events = await subscription.next(context.signal);
      if (subscription.overflowed) throw endedWithToken("the stream fell too far behind", lastToken());
      for (const event of events) {
        const type = visible(event, filter);
        if (type !== undefined) {
          lastSeq = event.seq;
          lastSentAt = Date.now();
          yield sharedResponse(kind, event, type, tokenAt);
        } else if (Date.now() - lastSentAt >= bookmarkEveryMs) {
          lastSeq = event.seq;
          lastSentAt = Date.now();
          yield kind.respond({ type: EventType.BOOKMARK, resumeToken: tokenAt(event.seq), initial: false });
        }
      }
    }
    if (isServerShutdown(context.signal)) throw endedWithToken("the server is shutting down", lastToken());
  } finally {
    subscription?.close();
    hubs.release(key, hub as unknown as WatchHub<unknown, DescMessage>);
  }
}

/**
 * The response of a hub event as streams show it, made once per (event, type) and shared by
 * every stream that shows it so: unfiltered streams show the event as it is, filtered ones
 * may show a MODIFIED as ADDED or DELETED (see {@link visible}), always with the event's own
 * object. The resume token of one event is the same on every stream of its hub (hub epoch,
 * kind and scope are the hub's, seq the event's; see watch-token.ts), so the streams can send
 * one message, which the gRPC adapter then serializes once for all of them. Keyed by the event,
 * so an entry lives as long as the hub's ring or a stream's queue holds the event.
 */
const sharedResponses = new WeakMap<object, Map<EventType, unknown>>();

function sharedResponse<D extends DescMessage, R>(
  kind: Pick<WatchKind<unknown, D, R>, "respond">,
  event: HubEvent<MessageShape<D>>,
  type: EventType,
  tokenAt: (seq: number) => string,
): R {
  let byType = sharedResponses.get(event);
  if (byType === undefined) {
    byType = new Map();
    sharedResponses.set(event, byType);
  }
  let response = byType.get(type) as R | undefined;
  if (response === undefined) {
    response = kind.respond({ type, object: event.object, resumeToken: tokenAt(event.seq), initial: false });
    byType.set(type, response);
  }
  return response;
}

/**
 * The `initial` ADDED of one of the hub's current objects, shared by the streams that start
 * from the list (keyed by the hub's proto message: it dies when the hub replaces the object).
 * A partial list is no point to resume from: only the BOOKMARK after it has a token.
 */
const initialResponses = new WeakMap<object, unknown>();

function sharedInitial<D extends DescMessage, R>(
  kind: Pick<WatchKind<unknown, D, R>, "respond">,
  object: MessageShape<D>,
): R {
  let response = initialResponses.get(object) as R | undefined;
  if (response === undefined) {
    response = kind.respond({ type: EventType.ADDED, object, resumeToken: "", initial: true });
    initialResponses.set(object, response);
  }
  return response;
}

/**
 * The type one stream shows a hub event as, through its filter (none: as it is; undefined:
 * not shown). The object shown is always the event's.
 */
function visible<M>(
  event: HubEvent<M>,
  filter: { matches(message: M): boolean } | undefined,
): EventType | undefined {
  if (!filter) return event.type;
  const before = event.previous !== undefined && filter.matches(event.previous);
  if (event.type === EventType.DELETED) return before ? EventType.DELETED : undefined;
  const now = filter.matches(event.object);
  if (now) return before ? EventType.MODIFIED : EventType.ADDED;
  // It stopped passing the filter: for this stream it is gone.
  return before ? EventType.DELETED : undefined;
}

/** UNAVAILABLE telling the client to reconnect with `resumeToken` (ErrorInfo metadata `resume_token`). */
function endedWithToken(why: string, resumeToken: string): ConnectError {
  return new ConnectError(`${why}: reconnect with the resume token`, Code.Unavailable, undefined, [
    {
      desc: ErrorInfoSchema,
      value: { reason: "WATCH_INTERRUPTED", domain: ERROR_DOMAIN, metadata: { resume_token: resumeToken } },
    },
  ]);
}

/** Waits for the hub's first listing (its error, thrown), or until the call ends. */
function untilReady(ready: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve();
    signal.addEventListener("abort", onAbort, { once: true });
    ready.then(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
