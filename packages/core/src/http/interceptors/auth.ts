import { UnauthorizedError } from "../errors.js";
import type { AuthProvider, Interceptor } from "../types.js";

/**
 * Adds `X-Auth-Token` from the {@link AuthProvider}. On a 401 it invalidates that token, gets
 * a fresh one and sends the request once more; a second 401 surfaces as UnauthorizedError.
 * Requests marked `skipAuth` (keystone's own token calls, version documents) pass untouched,
 * and a request that already carries a token (a deployer's caller token) is left alone.
 */
export function auth(provider: AuthProvider): Interceptor {
  return (next) => async (request) => {
    if (request.skipAuth || request.headers.has("x-auth-token")) return next(request);
    const send = async (token: string) => {
      const headers = new Headers(request.headers);
      headers.set("x-auth-token", token);
      return next({ ...request, headers });
    };
    const token = await provider.getToken(request.signal);
    try {
      return await send(token);
    } catch (error) {
      // A consumed upload stream cannot be sent again.
      if (!(error instanceof UnauthorizedError) || request.body?.kind === "stream") throw error;
      provider.invalidate(token);
      return send(await provider.getToken(request.signal));
    }
  };
}
