/**
 * What keystone tells about a token: who, scoped to what, until when, and the service catalog.
 */
import type { ServiceCatalog } from "../catalog/catalog.js";
import { isoTime } from "../timestamps.js";

/** A user as the token names it. */
export interface TokenUser {
  readonly id?: string;
  readonly name?: string;
  readonly domainId?: string;
  readonly domainName?: string;
}

/**
 * The project a token is scoped to. The same shape as models' ProjectRef (a Location's
 * project), declared here so that auth/ does not depend on models/, a later layer.
 */
export interface TokenProject {
  readonly id?: string;
  readonly name?: string;
  readonly domainId?: string;
  readonly domainName?: string;
}

/** A domain a token is scoped to (domain-scoped tokens). */
export interface TokenDomain {
  readonly id?: string;
  readonly name?: string;
}

/** A keystone token and what came with it. */
export interface TokenInfo {
  /** The token itself (X-Auth-Token). A secret: never log it. */
  readonly token: string;
  /** Which keystone API issued it. */
  readonly identityVersion: "3" | "2.0";
  /** The versioned identity endpoint the token was obtained from (`https://keystone/v3`). */
  readonly identityEndpoint: string;
  /** When keystone says it expires; undefined when it did not say. */
  readonly expiresAt?: Date;
  /** When keystone issued it (or when oaktree received it, when keystone did not say). */
  readonly issuedAt: Date;
  /** The project the token is scoped to; undefined for unscoped and domain-scoped tokens. */
  readonly project?: TokenProject;
  /** The domain a domain-scoped token is scoped to. */
  readonly domain?: TokenDomain;
  readonly user: TokenUser;
  /** Role names in the scope. */
  readonly roles: readonly string[];
  /** The service catalog (empty for unscoped tokens). */
  readonly catalog: ServiceCatalog;
  /** Auth methods keystone recorded (`password`, `token`, `application_credential`). */
  readonly methods: readonly string[];
  /** The application credential the token was made from, if any. */
  readonly applicationCredential?: { readonly id?: string; readonly name?: string };
}

/**
 * Parses keystone's timestamps. NOTE: keystone v2.0 gives some without a zone
 * (`"issued_at": "2014-01-30T17:09:57.647795"`); they are UTC, not local time (see isoTime).
 */
export function parseKeystoneTime(value: unknown): Date | undefined {
  const iso = isoTime(value);
  return iso === undefined ? undefined : new Date(iso);
}
