import { OpenStackError } from "../errors.js";
import type { HttpRequest, Interceptor } from "../types.js";

/** One finished cloud request, as an {@link HttpObserver} sees it. */
export interface ObservedRequest {
  /** The cloud's name (clouds.yaml key). */
  readonly cloud: string;
  /** Official service type ("compute"), or "unknown" for keystone's own unauthenticated calls. */
  readonly service: string;
  readonly method: HttpRequest["method"];
  /** The HTTP status, or "error" when no response came (connection failure, timeout, abort). */
  readonly status: number | "error";
  readonly durationMs: number;
}

/** Called once per cloud request (after its retries), e.g. to count requests in metrics. */
export type HttpObserver = (request: ObservedRequest) => void;

/**
 * Reports every request that goes through the stack to `observer`: outermost, so one call with
 * its retries counts once, with its final status. The observer must not throw.
 */
export function observe(
  observer: HttpObserver,
  cloud: string,
  now: () => number = () => performance.now(),
): Interceptor {
  return (next) => async (request) => {
    const started = now();
    const report = (status: number | "error") =>
      observer({
        cloud,
        service: request.serviceType ?? "unknown",
        method: request.method,
        status,
        durationMs: now() - started,
      });
    try {
      const response = await next(request);
      report(response.status);
      return response;
    } catch (error) {
      report(error instanceof OpenStackError && error.status !== undefined ? error.status : "error");
      throw error;
    }
  };
}
