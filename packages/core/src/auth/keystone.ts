/**
 * The keystone AuthProvider: turns a CloudConfig's `auth` into tokens, caches the token until
 * shortly before it expires, and makes concurrent callers share one authentication request.
 */
import {
  createDocumentCache,
  type DebugLogger,
  type DocumentCache,
  discoverVersion,
  splitServiceUrl,
} from "../catalog/discovery.js";
import { parseVersionId } from "../catalog/version-document.js";
import type { AuthSettings, AuthType, CloudConfig } from "../config/types.js";
import { NotSupportedError, OaktreeError, ValidationError } from "../errors.js";
import type { AuthProvider, Handler, HttpResponse } from "../http/types.js";
import type { TokenInfo } from "./types.js";
import { parseV2Access, v2PasswordBody, v2TokenBody } from "./v2.js";
import { parseV3Token, v3ApplicationCredentialBody, v3PasswordBody, v3TokenBody } from "./v3.js";

/** Options of {@link createKeystoneAuth}. */
export interface KeystoneAuthOptions {
  /**
   * Sends keystone's requests. Must NOT contain the auth interceptor (use an http stack built
   * without `auth`): keystone's own calls carry no token.
   */
  readonly send: Handler;
  readonly logger?: DebugLogger;
  /** Milliseconds since the epoch; injectable for tests. Default Date.now. */
  readonly now?: () => number;
  /**
   * Re-authenticate this long before the token expires. Default 3 minutes; a token living
   * less than four times the margin is renewed after three quarters of its lifetime instead.
   */
  readonly expiryMarginMs?: number;
  /** Version documents already fetched (shared with catalog discovery). */
  readonly documents?: DocumentCache;
}

/** A keystone session: the {@link AuthProvider} the http stack needs, plus the token's details. */
export interface KeystoneAuth extends AuthProvider {
  /**
   * The current token and what came with it (project, user, roles, expiry, catalog),
   * authenticating first when there is none yet or it is about to expire.
   */
  authenticate(signal?: AbortSignal): Promise<TokenInfo>;
  /** The last token obtained, possibly stale; undefined before the first authentication. */
  readonly current: TokenInfo | undefined;
}

/** Keystone refused the credentials (401 on the token request). */
export class AuthenticationError extends OaktreeError {
  override readonly name = "AuthenticationError";
}

/** Default for {@link KeystoneAuthOptions.expiryMarginMs}. */
export const DEFAULT_EXPIRY_MARGIN_MS = 180_000;

/** The keystone auth methods oaktree speaks. */
export type Method = "password" | "token" | "application-credential";

/** How a config authenticates: the method and the identity versions it may use. */
export interface Plan {
  readonly method: Method;
  /** Identity majors this auth type can use, best first. */
  readonly majors: readonly (2 | 3)[];
}

/**
 * Creates the AuthProvider for a cloud. Validates the auth settings at once (a missing
 * password fails here, naming the file, cloud and key); talks to keystone only when a token
 * is first needed.
 */
export function createKeystoneAuth(config: CloudConfig, options: KeystoneAuthOptions): KeystoneAuth {
  const plan = planAuth(config);
  const now = options.now ?? Date.now;
  const margin = options.expiryMarginMs ?? DEFAULT_EXPIRY_MARGIN_MS;
  const documents = options.documents ?? createDocumentCache();
  const { send, logger } = options;

  let current: { info: TokenInfo; staleAt: number } | undefined;
  let inflight: Promise<TokenInfo> | undefined;
  let identity: Promise<{ endpoint: string; major: 2 | 3 }> | undefined;

  const resolveIdentity = () => {
    identity ??= findIdentityEndpoint(config, plan, { send, documents, ...(logger && { logger }) }).catch(
      (error: unknown) => {
        identity = undefined;
        throw error;
      },
    );
    return identity;
  };

  const fetchToken = async (): Promise<TokenInfo> => {
    const { endpoint, major } = await resolveIdentity();
    const auth = config.auth;
    const v3 = major === 3;
    const url = v3 ? `${endpoint}/auth/tokens` : `${endpoint}/tokens`;
    const json = v3
      ? plan.method === "password"
        ? v3PasswordBody(auth)
        : plan.method === "token"
          ? v3TokenBody(auth)
          : v3ApplicationCredentialBody(auth)
      : plan.method === "password"
        ? v2PasswordBody(auth)
        : v2TokenBody(auth);
    let response: HttpResponse;
    try {
      response = await send({
        method: "POST",
        url,
        headers: new Headers({ Accept: "application/json" }),
        body: { kind: "json", value: json },
        serviceType: "identity",
        okStatus: [200, 201],
        skipAuth: true,
        // Asking for another token is harmless to repeat (a 503 from a busy keystone).
        idempotent: true,
      });
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      // NOTE: keystone answers 404 ("Could not find Application Credential") for an application
      // credential that was deleted: a refusal of the credentials like a 401.
      if (status === 401 || (status === 404 && plan.method === "application-credential")) {
        throw new AuthenticationError(
          `cloud "${config.name}": keystone refused the credentials (${describeCredentials(plan, auth)}): ${(error as Error).message}`,
          { cause: error },
        );
      }
      throw error;
    }
    const receivedAt = new Date(now());
    let info: TokenInfo;
    if (v3) {
      const subject = response.headers.get("x-subject-token");
      if (!subject) {
        throw new OaktreeError(
          `cloud "${config.name}": keystone at ${url} answered without an X-Subject-Token header`,
        );
      }
      info = parseV3Token(subject, response.json(), endpoint, receivedAt);
    } else {
      info = parseV2Access(response.json(), endpoint, receivedAt);
    }
    current = { info, staleAt: staleAt(info, receivedAt.getTime(), margin) };
    logger?.debug(
      {
        cloud: config.name,
        identity: endpoint,
        method: plan.method,
        project: info.project?.id,
        expiresAt: info.expiresAt?.toISOString(),
      },
      "authenticated",
    );
    return info;
  };

  const authenticate = (signal?: AbortSignal): Promise<TokenInfo> => {
    signal?.throwIfAborted();
    if (current && now() < current.staleAt) return Promise.resolve(current.info);
    // One request for everyone: concurrent callers wait for the same authentication.
    inflight ??= fetchToken().finally(() => {
      inflight = undefined;
    });
    return abortable(inflight, signal);
  };

  return {
    authenticate,
    async getToken(signal) {
      return (await authenticate(signal)).token;
    },
    invalidate(token) {
      if (current?.info.token === token) current = undefined;
    },
    get current() {
      return current?.info;
    },
  };
}

/**
 * When to stop using a token, on the local clock: keystone's lifetime (expires - issued) from
 * when we received it, so a skewed local clock does not matter, minus the margin (at most a
 * quarter of the lifetime, for short tokens).
 */
function staleAt(info: TokenInfo, receivedAt: number, marginMs: number): number {
  if (!info.expiresAt) return Number.POSITIVE_INFINITY;
  const lifetime = Math.max(0, info.expiresAt.getTime() - info.issuedAt.getTime());
  return receivedAt + lifetime - Math.min(marginMs, lifetime / 4);
}

/** Resolves with `promise`, or rejects as soon as `signal` aborts (the shared work goes on). */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Finds the versioned identity endpoint from `auth_url`, with or without a version suffix:
 * the root's version document picks v3 (or v2.0 when the auth type asks for it or v3 is
 * absent). A missing or broken root falls back to the URL's suffix, or to `<auth_url>/v3`.
 */
export async function findIdentityEndpoint(
  config: CloudConfig,
  plan: Plan,
  ctx: { send: Handler; documents: DocumentCache; logger?: DebugLogger },
): Promise<{ endpoint: string; major: 2 | 3 }> {
  const authUrl = config.auth.authUrl;
  const only = plan.majors.length === 1 ? plan.majors[0] : undefined;
  const found = await discoverVersion(ctx, {
    serviceType: "identity",
    url: authUrl,
    ...(only !== undefined && { apiVersion: String(only) }),
  });
  let endpoint = found.endpoint.replace(/\/+$/, "");
  let major = parseVersionId(found.version)?.[0];
  if (found.source === "catalog" && !splitServiceUrl(authUrl).version) {
    major = plan.majors[0];
    endpoint = `${endpoint}/${major === 3 ? "v3" : "v2.0"}`;
    ctx.logger?.debug(
      { cloud: config.name, authUrl, endpoint },
      "no identity version document; assuming the URL",
    );
  }
  if (major !== 2 && major !== 3) {
    throw new NotSupportedError(`cloud "${config.name}": ${authUrl} offers no keystone API oaktree knows`);
  }
  if (!plan.majors.includes(major)) {
    throw new NotSupportedError(
      `cloud "${config.name}": auth_type ${config.authType} needs keystone v${plan.majors.join(" or v")}, but ${authUrl} offers v${found.version}`,
    );
  }
  return { endpoint, major };
}

/** The auth method and identity versions for a config; validates the settings it needs. */
export function planAuth(config: CloudConfig): Plan {
  const auth = config.auth;
  const field = (key: string) => fieldName(config, key);
  if (!auth.authUrl) throw new ValidationError(field("auth_url"), "is required");
  if (!/^https?:\/\//i.test(auth.authUrl)) {
    throw new ValidationError(field("auth_url"), `must be an http(s) URL, not "${auth.authUrl}"`);
  }
  const configured = config.apiVersions.identity;
  const wanted = configured === undefined ? undefined : parseVersionId(configured)?.[0];
  const either = (): readonly (2 | 3)[] => (wanted === 3 ? [3] : wanted === 2 ? [2] : [3, 2]);
  const plans: Record<AuthType, Plan> = {
    password: { method: "password", majors: either() },
    v2password: { method: "password", majors: [2] },
    v3password: { method: "password", majors: [3] },
    token: { method: "token", majors: either() },
    v3token: { method: "token", majors: [3] },
    v3applicationcredential: { method: "application-credential", majors: [3] },
  };
  const plan = plans[config.authType];
  if (!plan)
    throw new ValidationError(
      fieldName(config, "auth_type", false),
      `unknown auth type "${config.authType}"`,
    );
  if (plan.method === "password") {
    if (!auth.username && !auth.userId)
      throw new ValidationError(field("username"), "is required (or user_id)");
    if (!auth.password) throw new ValidationError(field("password"), "is required");
  } else if (plan.method === "token") {
    if (!auth.token) throw new ValidationError(field("token"), "is required");
  } else {
    if (!auth.applicationCredentialSecret) {
      throw new ValidationError(field("application_credential_secret"), "is required");
    }
    if (!auth.applicationCredentialId) {
      if (!auth.applicationCredentialName) {
        throw new ValidationError(
          field("application_credential_id"),
          "is required (or application_credential_name)",
        );
      }
      if (!auth.userId && !auth.username) {
        throw new ValidationError(
          field("username"),
          "is required (or user_id) with application_credential_name: names are unique per user",
        );
      }
    }
  }
  return plan;
}

/** `clouds.yaml: clouds.mycloud.auth.password`, naming the file when there is one. */
function fieldName(config: CloudConfig, key: string, inAuth = true): string {
  const where = config.source.file
    ? `${config.source.file}: `
    : config.source.fromEnv
      ? "OS_* variables: "
      : "";
  return `${where}clouds.${config.name}.${inAuth ? "auth." : ""}${key}`;
}

/** Who tried to log in, for error messages (never the secret). */
function describeCredentials(plan: Plan, auth: AuthSettings): string {
  if (plan.method === "application-credential") {
    return `application credential ${auth.applicationCredentialId ?? auth.applicationCredentialName}`;
  }
  if (plan.method === "token") return "token";
  const user = auth.userId ?? auth.username;
  const project = auth.projectId ?? auth.projectName ?? auth.tenantId ?? auth.tenantName;
  return `user ${user}${project ? `, project ${project}` : ""}`;
}
