import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The id of the call being served (the gRPC server's `req-<uuid>`), carried across awaits so
 * that every cloud request made on its behalf sends it as X-OpenStack-Request-ID without
 * threading it through every porcelain function. Shared work (a watch's poll serving many
 * callers) runs outside any call and gets its own id.
 */
const current = new AsyncLocalStorage<string>();

/**
 * Runs `fn` with `id` as the request id of every cloud call it makes (see the request-id
 * interceptor). A request that already carries the header keeps its own.
 *
 * @example
 * await withRequestId("req-5f0c…", () => cloud.listServers());
 */
export function withRequestId<T>(id: string, fn: () => T): T {
  return current.run(id, fn);
}

/** The request id set by the innermost {@link withRequestId}, if any. */
export function currentRequestId(): string | undefined {
  return current.getStore();
}
