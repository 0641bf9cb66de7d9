import { Code, ConnectError } from "@connectrpc/connect";
import { AuthenticationError, type CloudConfig, type TokenInfo, type TokenValidator } from "@oaktree/core";
import type { Logger } from "pino";
import { ERROR_DOMAIN } from "../errors.js";
import { ErrorInfoSchema } from "../gen/google/rpc/error_details_pb.js";
import { type CallerCredential, credentialKey, permissionDenied, unauthenticated } from "./credentials.js";

/** How long a validation is trusted by default: keystonemiddleware's `token_cache_time`. */
export const DEFAULT_VALIDATION_TTL_MS = 300_000;

/** Options of {@link CallerAuthenticator}. */
export interface CallerAuthenticatorOptions {
  /** The validator of a cloud's keystone (made once per cloud name and kept). */
  readonly validatorFor: (config: CloudConfig) => TokenValidator;
  /**
   * How long a successful validation is reused before keystone is asked again (revocations
   * take effect on the next validation). Default {@link DEFAULT_VALIDATION_TTL_MS}.
   */
  readonly ttlMs?: number;
  /** Milliseconds since the epoch (tests). Default Date.now. */
  readonly now?: () => number;
  readonly logger?: Logger;
}

interface Entry {
  readonly info: TokenInfo;
  readonly until: number;
}

/**
 * Turns the credential a call carries into a validated, project-scoped token, asking the
 * cloud's keystone at most once per credential per TTL: entries are keyed by a hash of the
 * credential (never the raw value), kept until min(the token's expiry, the TTL), and
 * concurrent validations of one credential share one request.
 */
export class CallerAuthenticator {
  private readonly cache = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<TokenInfo>>();
  private readonly validators = new Map<string, TokenValidator>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: CallerAuthenticatorOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_VALIDATION_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * The caller's token as keystone describes it. UNAUTHENTICATED when keystone refuses the
   * credential, UNAVAILABLE when keystone cannot be asked, PERMISSION_DENIED for a token
   * scoped to no project (oaktree acts in projects).
   */
  async authenticate(config: CloudConfig, credential: CallerCredential): Promise<TokenInfo> {
    const key = credentialKey(`${config.name}\0${config.auth.authUrl ?? ""}`, credential);
    const cached = this.cache.get(key);
    if (cached && this.now() < cached.until) return cached.info;
    if (cached) this.cache.delete(key);
    let pending = this.inflight.get(key);
    if (!pending) {
      // Not tied to one caller's signal: others may be waiting for the same answer.
      pending = this.validate(config, credential).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
      pending.then(
        (info) => this.remember(key, info),
        () => undefined,
      );
    }
    const info = await pending;
    if (!info.project?.id) {
      throw permissionDenied(
        "the token is scoped to no project: oaktree acts in one project, ask keystone for a project-scoped token",
      );
    }
    return info;
  }

  /** How many validations are cached (metrics, tests). */
  get size(): number {
    return this.cache.size;
  }

  private remember(key: string, info: TokenInfo): void {
    const expires = info.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
    const until = Math.min(expires, this.now() + this.ttlMs);
    if (until > this.now()) this.cache.set(key, { info, until });
    // Expired entries go when they are next looked at, and in bulk here.
    if (this.cache.size > 10_000) {
      for (const [k, entry] of this.cache) if (entry.until <= this.now()) this.cache.delete(k);
    }
  }

  private async validate(config: CloudConfig, credential: CallerCredential): Promise<TokenInfo> {
    let validator = this.validators.get(config.name);
    if (!validator) {
      validator = this.options.validatorFor(config);
      this.validators.set(config.name, validator);
    }
    try {
      return credential.kind === "token"
        ? await validator.validateToken(credential.token)
        : await validator.exchangeApplicationCredential(credential.id, credential.secret);
    } catch (error) {
      if (error instanceof AuthenticationError) {
        throw unauthenticated(
          credential.kind === "token"
            ? `keystone of cloud "${config.name}" does not accept the token (unknown, expired or revoked)`
            : `keystone of cloud "${config.name}" does not accept application credential ${credential.id}`,
        );
      }
      this.options.logger?.warn(
        { cloud: config.name, error: error instanceof Error ? error.message : String(error) },
        "cannot validate a caller's credentials",
      );
      // Keystone down is not the caller's fault: retry later, do not log in again.
      return Promise.reject(
        new ConnectError(
          `cannot validate credentials: keystone of cloud "${config.name}" is unreachable`,
          Code.Unavailable,
          undefined,
          [{ desc: ErrorInfoSchema, value: { reason: "KEYSTONE_UNAVAILABLE", domain: ERROR_DOMAIN } }],
        ),
      );
    }
  }
}
