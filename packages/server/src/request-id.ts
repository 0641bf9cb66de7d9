import { randomUUID } from "node:crypto";

/** The header (gRPC metadata key) a caller may send its own request id in, and gets ours back in. */
export const REQUEST_ID_HEADER = "x-request-id";

const VALID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The call's request id: the caller's `x-request-id` when it is a valid `req-<uuid>` (so a
 * client can correlate its own logs with ours and the cloud's), else a new one. Anything else
 * a caller sends is ignored: the id ends up in the cloud's logs and must not be arbitrary text.
 */
export function requestIdFrom(headers: Headers): string {
  const offered = headers.get(REQUEST_ID_HEADER)?.trim().toLowerCase();
  return offered && VALID.test(offered) ? offered : `req-${randomUUID()}`;
}
