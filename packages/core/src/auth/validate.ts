/**
 * Checking credentials a caller brings (deployer mode): keystone validates a token for us, or
 * exchanges an application credential for one. Keystone's own knowledge; the server caches.
 */
import { createDocumentCache, type DebugLogger, type DocumentCache } from "../catalog/discovery.js";
import type { CloudConfig } from "../config/types.js";
import type { Handler, HttpResponse } from "../http/types.js";
import { AuthenticationError, findIdentityEndpoint } from "./keystone.js";
import type { TokenInfo } from "./types.js";
import { parseV3Token } from "./v3.js";

/** Options of {@link createTokenValidator}. */
export interface TokenValidatorOptions {
  /** Sends keystone's requests: an http stack WITHOUT the auth interceptor. */
  readonly send: Handler;
  readonly documents?: DocumentCache;
  readonly logger?: DebugLogger;
  /** Milliseconds since the epoch (tests). Default Date.now. */
  readonly now?: () => number;
}

/** Asks one cloud's keystone about credentials callers bring. */
export interface TokenValidator {
  /**
   * What keystone says about `token` (user, project, roles, expiry, catalog). Rejects with
   * {@link AuthenticationError} when keystone does not know it (forged, expired, revoked);
   * other failures (keystone unreachable, 5xx) reject with the transport's error.
   */
  validateToken(token: string, signal?: AbortSignal): Promise<TokenInfo>;
  /** A token for an application credential (id and secret); refused ones as validateToken. */
  exchangeApplicationCredential(id: string, secret: string, signal?: AbortSignal): Promise<TokenInfo>;
}

/**
 * A validator for `config`'s keystone (only its `auth_url`, TLS and timeout are used: the
 * config may carry no credentials). Keystone v3 only: v2.0 has no application credentials and
 * needs an admin token to validate others'.
 */
export function createTokenValidator(config: CloudConfig, options: TokenValidatorOptions): TokenValidator {
  const now = options.now ?? Date.now;
  const documents = options.documents ?? createDocumentCache();
  const { send, logger } = options;
  let identity: Promise<string> | undefined;
  const endpoint = () => {
    identity ??= findIdentityEndpoint(
      config,
      { method: "token", majors: [3] },
      { send, documents, ...(logger && { logger }) },
    ).then(
      (found) => found.endpoint,
      (error: unknown) => {
        identity = undefined;
        throw error;
      },
    );
    return identity;
  };

  const ask = async (
    what: string,
    build: (url: string) => Parameters<Handler>[0],
  ): Promise<{ response: HttpResponse; url: string }> => {
    const url = `${await endpoint()}/auth/tokens`;
    try {
      return { response: await send(build(url)), url };
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      // NOTE: keystone answers 404 for an unknown, expired or revoked token ("Could not find
      // token: <the token>") and for a deleted application credential; 401 for a bad secret.
      // Its message may quote the secret, so it is not passed on.
      if (status === 401 || status === 404) {
        throw new AuthenticationError(`cloud "${config.name}": keystone refused the ${what} (${status})`);
      }
      throw error;
    }
  };

  const parse = (response: HttpResponse, url: string, subject: string | null): TokenInfo => {
    if (!subject) {
      throw new AuthenticationError(`cloud "${config.name}": keystone at ${url} named no X-Subject-Token`);
    }
    return parseV3Token(subject, response.json(), url.replace(/\/auth\/tokens$/, ""), new Date(now()));
  };

  return {
    async validateToken(token, signal) {
      const { response, url } = await ask("token", (at) => ({
        method: "GET",
        url: at,
        // keystone lets a token validate itself: the caller's token is both subject and credential.
        headers: new Headers({ Accept: "application/json", "X-Auth-Token": token, "X-Subject-Token": token }),
        serviceType: "identity",
        okStatus: [200],
        skipAuth: true,
        ...(signal && { signal }),
      }));
      return parse(response, url, response.headers.get("x-subject-token") ?? token);
    },
    async exchangeApplicationCredential(id, secret, signal) {
      const { response, url } = await ask("application credential", (at) => ({
        method: "POST",
        url: at,
        headers: new Headers({ Accept: "application/json" }),
        body: {
          kind: "json",
          value: {
            auth: {
              identity: { methods: ["application_credential"], application_credential: { id, secret } },
            },
          },
        },
        serviceType: "identity",
        okStatus: [200, 201],
        skipAuth: true,
        idempotent: true,
        ...(signal && { signal }),
      }));
      return parse(response, url, response.headers.get("x-subject-token"));
    },
  };
}
