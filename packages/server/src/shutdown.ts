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
