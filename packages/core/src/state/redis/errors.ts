import { OaktreeError } from "../../errors.js";

/**
 * The shared state backend (Redis) cannot be reached: the connection is down, a command timed
 * out, or the call needs shared state that a degraded replica does not have (a client-token
 * lease). Retrying later is safe; the server maps it to UNAVAILABLE.
 */
export class StateUnavailableError extends OaktreeError {
  override readonly name = "StateUnavailableError";
}

/** True when `error` means "Redis did not answer" (as opposed to Redis refusing a command: a bug). */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof StateUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  // A value that does not parse, a wrong argument: our bug or bad data, not the link.
  if (error instanceof SyntaxError || error instanceof TypeError || error instanceof RangeError) return false;
  // ioredis: ReplyError is Redis's own answer (WRONGTYPE, NOSCRIPT...); everything else is the link.
  return error.name !== "ReplyError";
}

/** Rethrows a connection failure as a {@link StateUnavailableError} naming what was attempted. */
export function asStateError(error: unknown, what: string): Error {
  if (error instanceof StateUnavailableError) return error;
  if (isConnectionError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return new StateUnavailableError(`shared state (Redis) unavailable: ${what}: ${message}`, {
      cause: error,
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}
