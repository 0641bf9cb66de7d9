/**
 * Per-call options every binding takes as its last argument: cancellation and a timeout
 * for this one request (the transport's default applies when absent).
 */
export interface CallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/** The {@link CallOptions} fields as RequestOptions spreads them (undefined ones dropped). */
export function callFields(call: CallOptions): { signal?: AbortSignal; timeoutMs?: number } {
  return {
    ...(call.signal !== undefined && { signal: call.signal }),
    ...(call.timeoutMs !== undefined && { timeoutMs: call.timeoutMs }),
  };
}
