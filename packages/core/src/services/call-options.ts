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

/**
 * Only the abort signal of an option bag, as a binding's {@link CallOptions}. The porcelain
 * passes its callers' signal down this way; its own `timeoutMs` fields bound a whole
 * operation (a boot, an upload), not one request, so they are not passed on.
 */
export function signalOf(options: { readonly signal?: AbortSignal | undefined }): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}
