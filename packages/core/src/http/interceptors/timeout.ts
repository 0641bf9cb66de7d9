import { TimeoutError } from "../errors.js";
import type { Interceptor } from "../types.js";

/**
 * Bounds one attempt by `request.timeoutMs` (or `defaultTimeoutMs`), combined with the
 * caller's AbortSignal. When the timer fires the request is aborted and a TimeoutError
 * raised; when the caller aborts, the caller's reason is rethrown unchanged.
 */
export function timeout(defaultTimeoutMs?: number): Interceptor {
  return (next) => async (request) => {
    const ms = request.timeoutMs ?? defaultTimeoutMs;
    if (ms === undefined || ms <= 0 || !Number.isFinite(ms)) return next(request);
    const timer = AbortSignal.timeout(ms);
    const signal = request.signal ? AbortSignal.any([request.signal, timer]) : timer;
    try {
      return await next({ ...request, signal });
    } catch (error) {
      if (timer.aborted && !request.signal?.aborted) {
        throw new TimeoutError({
          method: request.method,
          url: request.url,
          serviceType: request.serviceType,
          timeoutMs: ms,
          cause: error,
        });
      }
      throw error;
    }
  };
}
