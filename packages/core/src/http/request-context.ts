import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Every store that belongs to the call being served (its request id; in deployer mode the
 * caller's token, see auth/delegated.ts). {@link detachFromCall} leaves all of them at once.
 */
const callStores: AsyncLocalStorage<unknown>[] = [];

/**
 * An AsyncLocalStorage whose value belongs to the call being served: shared work started from
 * inside a call ({@link detachFromCall}) does not inherit it. Layers above http/ declare their
 * own call-scoped values with it without http/ knowing their types.
 */
export function callScopedStorage<T>(): AsyncLocalStorage<T> {
  const store = new AsyncLocalStorage<T>();
  callStores.push(store as AsyncLocalStorage<unknown>);
  return store;
}

/**
 * The id of the call being served (the gRPC server's `req-<uuid>`), carried across awaits so
 * that every cloud request made on its behalf sends it as X-OpenStack-Request-ID without
 * threading it through every porcelain function. Shared work (a watch's poll serving many
 * callers) runs outside any call and gets its own id.
 */
const current = callScopedStorage<string>();

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

/**
 * Runs `fn` outside the call being served: neither it nor the timers and promises it starts
 * see the call's request id or credentials. For shared background work started by a call
 * (a watch's poll loop), which outlives it and serves other callers too.
 *
 * @example
 * this.loop = detachFromCall(() => this.pollForever(signal));
 */
export function detachFromCall<T>(fn: () => T): T {
  return callStores.reduce<() => T>((inner, store) => () => store.exit(inner), fn)();
}
