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
