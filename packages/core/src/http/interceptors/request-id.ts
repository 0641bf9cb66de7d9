import { randomUUID } from "node:crypto";
import { OpenStackError } from "../errors.js";
import type { Interceptor } from "../types.js";

/** The header both directions use; services log a valid `req-<uuid>` as the global request id. */
export const REQUEST_ID_HEADER = "x-openstack-request-id";

/**
 * Sends a client request id (`X-OpenStack-Request-ID: req-<uuid>`, kept when the caller set
 * one, the same for every retry of the call) so the cloud's logs can be correlated with ours,
 * and stamps it on errors. The service's own `x-openstack-request-id`/`x-compute-request-id`
 * is surfaced by the transport on responses and by fromResponse() on errors.
 */
export function requestId(generate: () => string = () => `req-${randomUUID()}`): Interceptor {
  return (next) => async (request) => {
    let id = request.headers.get(REQUEST_ID_HEADER);
    let forwarded = request;
    if (!id) {
      id = generate();
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
