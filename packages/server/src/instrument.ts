import type { DescMethod } from "@bufbuild/protobuf";
import { Code, type ConnectError, type HandlerContext } from "@connectrpc/connect";
import { withRequestId } from "@oaktree/core";
import type { Logger } from "pino";
import type { Authorize, OnBehalf } from "./auth/deployer.js";
import { requestIdKey } from "./context.js";
import type { ServiceHandlers } from "./handlers/index.js";
import type { ListenerName, ServerMetrics } from "./metrics.js";
import { REQUEST_ID_HEADER, requestIdFrom } from "./request-id.js";
import { type CallKind, type CallTracker, errorOfCall } from "./shutdown.js";

/** What {@link instrument} adds to every call. */
export interface InstrumentOptions {
  readonly listener: ListenerName;
  readonly logger: Logger;
  readonly metrics?: ServerMetrics;
  /** Graceful shutdown: every call is tracked and its signal aborted on drain. */
  readonly calls: CallTracker;
  /** How long a stream may take to end by itself after shutdown aborted it (default 1 s). */
  readonly streamEndGraceMs?: number;
  /**
   * Deployer mode: checks the caller's credentials before anything else (location resolution
   * included) and says how to run the handler on the caller's behalf.
   */
  readonly authorize?: Authorize;
}

type AnyImpl = (input: unknown, context: HandlerContext) => unknown;

/**
 * Wraps every handler with what a call needs whatever the listener: its request id (the
 * caller's valid `x-request-id` or a new one; returned in the `x-request-id` response header
 * and set for core's cloud calls through withRequestId), one log line when it ends, metrics,
 * and graceful shutdown (streams aborted with ServerShutdown at once, unary calls after the
 * grace). Errors leave as ConnectErrors; an abort becomes UNAVAILABLE / DEADLINE_EXCEEDED /
 * CANCELED by its reason.
 */
export function instrument(
  services: readonly ServiceHandlers[],
  options: InstrumentOptions,
): ServiceHandlers[] {
  return services.map(({ service, impl }) => {
    const wrapped: Record<string, AnyImpl> = {};
    for (const method of service.methods) {
      const fn = (impl as Record<string, AnyImpl | undefined>)[method.localName];
      if (typeof fn === "function") wrapped[method.localName] = wrap(method, fn.bind(impl), options);
    }
    return { service, impl: wrapped } as unknown as ServiceHandlers;
  });
}

function wrap(method: DescMethod, fn: AnyImpl, options: InstrumentOptions): AnyImpl {
  const kind: CallKind =
    method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming" ? "stream" : "unary";
  const labels = { service: method.parent.typeName, method: method.name };
  return (input, incoming) => {
    const requestId = incoming.values.get(requestIdKey) ?? requestIdFrom(incoming.requestHeader);
    incoming.values.set(requestIdKey, requestId);
    incoming.responseHeader.set(REQUEST_ID_HEADER, requestId);
    const { signal, unlink } = linked(incoming.signal, options.calls.signalFor(kind));
    const context: HandlerContext = { ...incoming, signal };
    const started = performance.now();
    const log = options.logger.child({ requestId, rpc: `${labels.service}/${labels.method}` });
    if (kind === "stream") options.metrics?.activeStreams.inc(labels);

    let finished = false;
    const finish = (error?: ConnectError) => {
      if (finished) return;
      finished = true;
      unlink();
      const code = error ? Code[error.code] : "OK";
      const seconds = (performance.now() - started) / 1000;
      options.metrics?.rpcRequests.inc({ listener: options.listener, ...labels, code });
      options.metrics?.rpcDuration.observe({ ...labels, code }, seconds);
      if (kind === "stream") options.metrics?.activeStreams.dec(labels);
      const fields = { listener: options.listener, code, durationMs: Math.round(seconds * 1000) };
      if (error?.code === Code.Internal || error?.code === Code.Unknown) {
        log.error({ ...fields, err: error.cause ?? error }, `${error.rawMessage}`);
      } else if (error) {
        log.info({ ...fields, error: error.rawMessage }, "call failed");
      } else {
        log.info(fields, "call done");
      }
    };
    const fail = (error: unknown): never => {
      const mapped = errorOfCall(error, signal);
      finish(mapped);
      throw mapped;
    };

    // Client streams have no request message yet: their location is checked when resolved.
    const message = method.methodKind === "client_streaming" ? undefined : input;
    const onBehalf = (): Promise<OnBehalf> =>
      options.authorize
        ? options.authorize({ input: message, header: incoming.requestHeader })
        : Promise.resolve(asItself);
    if (kind === "unary") {
      // The credentials' validation is part of the call: keystone sees its request id too.
      const done = withRequestId(requestId, onBehalf)
        .then((within) => withRequestId(requestId, () => within(() => fn(input, context))))
        .then((response) => {
          finish();
          return response;
        }, fail);
      options.calls.track(kind, done);
      return done;
    }
    const responses = streamOf(fn, input, context, requestId, onBehalf, options.streamEndGraceMs ?? 1000);
    let ended!: () => void;
    options.calls.track(kind, new Promise<void>((resolve) => (ended = resolve)));
    return (async function* () {
      try {
        yield* responses;
        finish();
      } catch (error) {
        fail(error);
      } finally {
        // A client that went away: the generator is returned without an error.
        finish(signal.aborted ? errorOfCall(signal.reason, signal) : undefined);
        ended();
      }
    })();
  };
}

/**
 * The handler's responses, each step run with the call's request id (AsyncLocalStorage follows
 * the caller of next()). A stream that does not end within `graceMs` after its signal fired is
 * ended here: a handler that ignores its signal must not hold a shutdown.
 */
async function* streamOf(
  fn: AnyImpl,
  input: unknown,
  context: HandlerContext,
  requestId: string,
  onBehalf: () => Promise<OnBehalf>,
  graceMs: number,
): AsyncGenerator<unknown> {
  const within = await withRequestId(requestId, onBehalf);
  const iterator = within(() => fn(input, context) as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  let done = false;
  try {
    while (true) {
      const next = await untilAbortedPlus(
        withRequestId(requestId, () => within(() => iterator.next())),
        context.signal,
        graceMs,
      );
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) void iterator.return?.(undefined)?.catch(() => undefined);
  }
}

/** Personal mode: the handler runs as the server itself. */
const asItself: OnBehalf = (fn) => fn();

/** `promise`, or a rejection with the signal's reason once `graceMs` passed after it fired. */
function untilAbortedPlus<T>(promise: Promise<T>, signal: AbortSignal, graceMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    timer = setTimeout(() => rejectLate(signal.reason), graceMs);
  };
  let rejectLate!: (reason: unknown) => void;
  const late = new Promise<never>((_, reject) => {
    rejectLate = reject;
  });
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  return Promise.race([promise, late]).finally(() => {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
  });
}

/**
 * A signal aborted with the reason of whichever of `call` and `shutdown` fires first.
 * (Not AbortSignal.any: the shutdown signal lives as long as the server, and `unlink` drops
 * this call's listener from it as soon as the call ends.)
 */
function linked(call: AbortSignal, shutdown: AbortSignal): { signal: AbortSignal; unlink: () => void } {
  const controller = new AbortController();
  const onCall = () => controller.abort(call.reason);
  const onShutdown = () => controller.abort(shutdown.reason);
  const unlink = () => {
    call.removeEventListener("abort", onCall);
    shutdown.removeEventListener("abort", onShutdown);
  };
  if (call.aborted) onCall();
  else if (shutdown.aborted) onShutdown();
  else {
    call.addEventListener("abort", onCall, { once: true });
    shutdown.addEventListener("abort", onShutdown, { once: true });
  }
  return { signal: controller.signal, unlink };
}
