/**
 * Deployer mode's AuthProvider: a connection that owns no credentials and acts with its
 * callers' tokens. The token of the call being served travels with the call
 * ({@link withCallerToken}); shared background work (a watch's polls) uses the freshest
 * still-valid token among the project's recent callers.
 */
import { OaktreeError } from "../errors.js";
import { callScopedStorage } from "../http/request-context.js";
import { AuthenticationError, type KeystoneAuth } from "./keystone.js";
import type { TokenInfo } from "./types.js";

const callerTokens = callScopedStorage<TokenInfo>();

/**
 * Runs `fn` on behalf of the caller whose validated token is `token`: every cloud request it
 * makes through a delegated connection ({@link createDelegatedAuth}) carries that token.
 *
 * @example
 * await withCallerToken(validated, () => cloud.listServers());
 */
export function withCallerToken<T>(token: TokenInfo, fn: () => T): T {
  return callerTokens.run(token, fn);
}

/** The validated token of the call being served, if the call runs in {@link withCallerToken}. */
export function currentCallerToken(): TokenInfo | undefined {
  return callerTokens.getStore();
}

/** No caller's token is left for work done on nobody's behalf (a watch's poll). */
export class NoCallerTokenError extends OaktreeError {
  override readonly name = "NoCallerTokenError";
}

/** Options of {@link createDelegatedAuth}. */
export interface DelegatedAuthOptions {
  /** The project every token must be scoped to (the connection's project). */
  readonly projectId: string;
  /** Recent callers' tokens kept for background work. Default 16. */
  readonly maxPooled?: number;
  /** Milliseconds since the epoch; injectable for tests. Default Date.now. */
  readonly now?: () => number;
}

/** A {@link KeystoneAuth} that never authenticates: it lends its callers' tokens. */
export interface DelegatedAuth extends KeystoneAuth {
  /** How many recent callers' tokens are kept for background work. */
  readonly pooled: number;
}

/**
 * Creates the AuthProvider of a deployer-mode connection to one project. A call's own token
 * always wins (one user never acts with another's token); outside any call the freshest token
 * of the project's recent callers is lent, and a token the cloud refused (401) is dropped. With
 * none left, {@link NoCallerTokenError}: background polls fail until a caller comes back.
 */
export function createDelegatedAuth(options: DelegatedAuthOptions): DelegatedAuth {
  const now = options.now ?? Date.now;
  const maxPooled = options.maxPooled ?? 16;
  // Insertion order = recency of use: the oldest caller is evicted first.
  const pool = new Map<string, TokenInfo>();

  const remember = (info: TokenInfo) => {
    pool.delete(info.token);
    pool.set(info.token, info);
    while (pool.size > maxPooled) pool.delete(pool.keys().next().value as string);
  };

  const freshest = (): TokenInfo | undefined => {
    let best: TokenInfo | undefined;
    for (const [token, info] of pool) {
      const expiresAt = info.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
      if (expiresAt <= now()) {
        pool.delete(token);
        continue;
      }
      if (!best || expiresAt > (best.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY)) best = info;
    }
    return best;
  };

  const authenticate = async (signal?: AbortSignal): Promise<TokenInfo> => {
    signal?.throwIfAborted();
    const caller = currentCallerToken();
    if (caller) {
      // A guard against a routing bug: a token only ever acts in its own project.
      if (caller.project?.id !== options.projectId) {
        throw new AuthenticationError(
          `a token of project ${caller.project?.id ?? "(none)"} cannot act in project ${options.projectId}`,
        );
      }
      remember(caller);
      return caller;
    }
    const lent = freshest();
    if (!lent) {
      throw new NoCallerTokenError(
        `no caller of project ${options.projectId} has a valid token left: background work waits for the next call`,
      );
    }
    return lent;
  };

  return {
    authenticate,
    async getToken(signal) {
      return (await authenticate(signal)).token;
    },
    invalidate(token) {
      pool.delete(token);
    },
    get current() {
      return currentCallerToken() ?? freshest();
    },
    get pooled() {
      return pool.size;
    },
  };
}
