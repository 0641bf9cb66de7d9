import type { Logger } from "pino";
import { OpenStackError } from "../errors.js";
import { redactHeaders, redactJson, redactText, redactUrl } from "../redact.js";
import type { Interceptor } from "../types.js";

/**
 * Logs each call at debug once it finishes: method, URL (query secrets redacted), status,
 * duration, the service's request id and the client request id; request headers and JSON
 * bodies (redacted: keystone auth bodies carry passwords) at trace, with the response body.
 * Failures are logged at debug with the error's class and message. Nothing is logged when
 * the logger's level is above debug, and the redaction work is skipped then too.
 */
export function logging(logger: Logger, now: () => number = () => performance.now()): Interceptor {
  return (next) => async (request) => {
    if (!logger.isLevelEnabled("debug")) return next(request);
    const started = now();
    const trace = logger.isLevelEnabled("trace");
    const base = {
      method: request.method,
      url: redactUrl(request.url),
      service: request.serviceType,
    };
    if (trace) {
      logger.trace(
        {
          ...base,
          headers: redactHeaders(request.headers),
          ...(request.body?.kind === "json" && { body: redactJson(request.body.value) }),
          ...(request.body && request.body.kind !== "json" && { body: `<${request.body.kind}>` }),
        },
        "http request",
      );
    }
    try {
      const response = await next(request);
      const durationMs = Math.round(now() - started);
      logger.debug(
        {
          ...base,
          status: response.status,
          durationMs,
          requestId: response.requestId,
          clientRequestId: request.headers.get("x-openstack-request-id") ?? undefined,
          ...(trace && { body: redactText(response.text()) }),
        },
        `${request.method} ${base.url} ${response.status} ${durationMs}ms`,
      );
      return response;
    } catch (error) {
      const durationMs = Math.round(now() - started);
      const fields =
        error instanceof OpenStackError
          ? {
              status: error.status,
              requestId: error.requestId,
              clientRequestId: error.clientRequestId,
              error: error.name,
              ...(trace && error.body && { body: redactText(error.body) }),
            }
          : { error: error instanceof Error ? error.name : String(error) };
      logger.debug(
        { ...base, durationMs, ...fields },
        `${request.method} ${base.url} failed after ${durationMs}ms: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw error;
    }
  };
}
