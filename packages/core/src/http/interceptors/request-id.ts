import { randomUUID } from "node:crypto";
import { OpenStackError } from "../errors.js";
import { currentRequestId } from "../request-context.js";
import type { Interceptor } from "../types.js";

/** The header both directions use; services log a valid `req-<uuid>` as the global request id. */
export const REQUEST_ID_HEADER = "x-openstack-request-id";

/**
 * Sends a client request id (`X-OpenStack-Request-ID: req-<uuid>`, kept when the caller set
 * one, else the id of the call being served (withRequestId), the same for every retry) so the cloud's logs can be correlated with ours,
 * and stamps it on errors. The service's own `x-openstack-request-id`/`x-compute-request-id`
 * is surfaced by the transport on responses and by fromResponse() on errors.
 */
export function requestId(generate: () => string = () => `req-${randomUUID()}`): Interceptor {
  return (next) => async (request) => {
    let id = request.headers.get(REQUEST_ID_HEADER);
    let forwarded = request;
    if (!id) {
      id = currentRequestId() ?? generate();
      const headers = new Headers(request.headers);
      headers.set(REQUEST_ID_HEADER, id);
      forwarded = { ...request, headers };
    }
    try {
      return await next(forwarded);
    } catch (error) {
      if (error instanceof OpenStackError) error.withRequestIds({ clientRequestId: id });
      throw error;
    }
  };
}
