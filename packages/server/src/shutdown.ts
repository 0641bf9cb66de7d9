import { setMaxListeners } from "node:events";
import { Code, ConnectError } from "@connectrpc/connect";

/**
 * The reason every in-flight call's `context.signal` is aborted with when the server shuts
 * down (SIGTERM/SIGINT). Streaming handlers check `signal.reason instanceof ServerShutdown`
 * to end their stream with UNAVAILABLE (a watch with its last resume token) instead of
 * treating the abort as the client's cancellation.
 */
export class ServerShutdown extends Error {
  override readonly name = "ServerShutdown";

  constructor(message = "the server is shutting down") {
    super(message);
  }
}

/** Whether an abort signal fired because the server is shutting down. */
export function isServerShutdown(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && signal.reason instanceof ServerShutdown;
}

/**
 * How a call ends when its signal fired and the handler threw whatever the abort caused (an
 * AbortError, a cancelled cloud call): UNAVAILABLE on shutdown (the client should retry
 * elsewhere or later), DEADLINE_EXCEEDED past the deadline, CANCELED when the client went away.
 * A handler's own ConnectError with a meaningful code (a watch's UNAVAILABLE with its resume
 * token) is kept.
 */
export function errorOfCall(error: unknown, signal: AbortSignal): ConnectError {
  const thrown = ConnectError.from(error);
  if (!signal.aborted) return thrown;
  const meaningful = ![Code.Internal, Code.Unknown, Code.Canceled].includes(thrown.code);
  if (meaningful) return thrown;
  const reason: unknown = signal.reason;
  if (reason instanceof ServerShutdown) return new ConnectError(reason.message, Code.Unavailable);
  if (reason instanceof ConnectError) return reason;
  return new ConnectError("the call was cancelled", Code.Canceled);
}

/** Whether a method streams its responses (ended at once on shutdown) or answers once (let finish). */
export type CallKind = "unary" | "stream";

/**
 * Graceful shutdown of the calls in flight, for every listener: streams are ended at once
 * (their signal aborted with {@link ServerShutdown}, so a watch ends with UNAVAILABLE and its
 * resume token), unary calls get `graceMs` to finish before theirs is aborted too.
 */
export class CallTracker {
  private readonly streams = new AbortController();
  private readonly everything = new AbortController();

  constructor() {
    // Every call in flight listens on one of these (and stops when it ends): without a limit, or
    // 11 concurrent calls print a false "possible memory leak" warning (seen in the chaos soak).
    setMaxListeners(0, this.streams.signal, this.everything.signal);
  }
  private readonly inFlight = new Map<CallKind, Set<Promise<void>>>([
    ["unary", new Set()],
    ["stream", new Set()],
  ]);

  /** True once {@link drain} was called. */
  get draining(): boolean {
    return this.streams.signal.aborted;
  }

  /** The signal a call of `kind` is aborted with on shutdown. */
  signalFor(kind: CallKind): AbortSignal {
    return kind === "stream" ? this.streams.signal : this.everything.signal;
  }

  /** Records a call until `done` settles. */
  track(kind: CallKind, done: Promise<unknown>): void {
    const calls = this.inFlight.get(kind) as Set<Promise<void>>;
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    calls.add(settled);
    void settled.then(() => calls.delete(settled));
  }

  /** How many calls of `kind` are in flight. */
  count(kind: CallKind): number {
    return this.inFlight.get(kind)?.size ?? 0;
  }

  /**
   * Ends streams now, lets unary calls finish for up to `graceMs`, then aborts them; resolves
   * when every call has ended (or `graceMs` more has passed: a handler that ignores its signal
   * must not hold the process).
   */
  async drain(graceMs: number): Promise<void> {
    const reason = new ServerShutdown();
    this.streams.abort(reason);
    await settleWithin(this.inFlight.get("unary") as Set<Promise<void>>, graceMs);
    this.everything.abort(reason);
    await settleWithin(new Set([...this.inFlight.values()].flatMap((set) => [...set])), graceMs);
  }
}

async function settleWithin(calls: Set<Promise<void>>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([Promise.all(calls), timeout]);
  clearTimeout(timer);
}
