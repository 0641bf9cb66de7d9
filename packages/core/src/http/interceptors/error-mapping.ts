import { fromResponse } from "../errors.js";
import type { Interceptor } from "../types.js";

/**
 * Turns a response whose status is not in `request.okStatus` (default: any 2xx) into the
 * typed error from {@link fromResponse}, so that every interceptor above it (auth's 401
 * handling, the rate limiter's penalty, retry's classification) sees errors, not statuses.
 */
export function errorMapping(now: () => number = Date.now): Interceptor {
  return (next) => async (request) => {
    const response = await next(request);
    const ok = request.okStatus
      ? request.okStatus.includes(response.status)
      : response.status >= 200 && response.status < 300;
    if (ok) return response;
    throw fromResponse(response, request.serviceType, now);
  };
}
