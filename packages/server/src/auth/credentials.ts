import { createHash } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { ERROR_DOMAIN } from "../errors.js";
import { ErrorInfoSchema } from "../gen/google/rpc/error_details_pb.js";

/** Metadata carrying a keystone token (the header keystone itself reads). */
export const AUTH_TOKEN_HEADER = "x-auth-token";
/** Metadata carrying an application credential's id (with {@link APP_CREDENTIAL_SECRET_HEADER}). */
export const APP_CREDENTIAL_ID_HEADER = "x-application-credential-id";
/** Metadata carrying an application credential's secret. */
export const APP_CREDENTIAL_SECRET_HEADER = "x-application-credential-secret";

/** Every metadata key that carries a secret: never logged, never echoed. */
export const CREDENTIAL_HEADERS = [AUTH_TOKEN_HEADER, APP_CREDENTIAL_ID_HEADER, APP_CREDENTIAL_SECRET_HEADER];

/** What a caller presented: a keystone token, or an application credential to exchange for one. */
export type CallerCredential =
  | { readonly kind: "token"; readonly token: string }
  | { readonly kind: "application-credential"; readonly id: string; readonly secret: string };

/**
 * The credential in a call's metadata. UNAUTHENTICATED when there is none, when both kinds
 * are present (which one did the caller mean?), or when half an application credential is.
 */
export function credentialFrom(headers: Headers): CallerCredential {
  const token = headers.get(AUTH_TOKEN_HEADER)?.trim();
  const id = headers.get(APP_CREDENTIAL_ID_HEADER)?.trim();
  const secret = headers.get(APP_CREDENTIAL_SECRET_HEADER)?.trim();
  if (token && (id || secret)) {
    throw unauthenticated(
      `send either ${AUTH_TOKEN_HEADER} or ${APP_CREDENTIAL_ID_HEADER} + ${APP_CREDENTIAL_SECRET_HEADER}, not both`,
    );
  }
  if (token) return { kind: "token", token };
  if (id && secret) return { kind: "application-credential", id, secret };
  if (id || secret) {
    throw unauthenticated(
      `${id ? APP_CREDENTIAL_SECRET_HEADER : APP_CREDENTIAL_ID_HEADER} is missing (an application credential needs both)`,
    );
  }
  throw unauthenticated(
    `this oaktree runs in deployer mode: send your keystone token in ${AUTH_TOKEN_HEADER}, or an application credential in ${APP_CREDENTIAL_ID_HEADER} and ${APP_CREDENTIAL_SECRET_HEADER}`,
  );
}

/**
 * A stable key for a credential on one keystone: a SHA-256, so that the raw secret is never
 * a map key (heap dumps, debug output) and one credential maps to one entry.
 */
export function credentialKey(keystone: string, credential: CallerCredential): string {
  const hash = createHash("sha256").update(keystone).update("\0").update(credential.kind).update("\0");
  if (credential.kind === "token") hash.update(credential.token);
  else hash.update(credential.id).update("\0").update(credential.secret);
  return hash.digest("base64url");
}

/** UNAUTHENTICATED with ErrorInfo reason `UNAUTHENTICATED` (never quoting a credential). */
export function unauthenticated(message: string, cause?: unknown): ConnectError {
  return new ConnectError(
    message,
    Code.Unauthenticated,
    undefined,
    [{ desc: ErrorInfoSchema, value: { reason: "UNAUTHENTICATED", domain: ERROR_DOMAIN } }],
    cause,
  );
}

/** PERMISSION_DENIED with ErrorInfo reason `PERMISSION_DENIED`. */
export function permissionDenied(message: string): ConnectError {
  return new ConnectError(message, Code.PermissionDenied, undefined, [
    { desc: ErrorInfoSchema, value: { reason: "PERMISSION_DENIED", domain: ERROR_DOMAIN } },
  ]);
}
