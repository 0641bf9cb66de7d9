import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { compact, requireId, requireTime } from "../../../query.js";
import { applicationCredentialPath, applicationCredentialsPath } from "./urls.js";
import type { ApplicationCredentialWire } from "./wire.js";

/** What POST /users/{userId}/application_credentials takes. */
export interface CreateApplicationCredentialOptions {
  readonly name: string;
  readonly description?: string;
  /** A secret of your own; keystone generates one when absent. */
  readonly secret?: string;
  /** ISO-8601; never expires when absent. */
  readonly expiresAt?: string;
  /** Roles by name or id; all of the token's roles when absent. */
  readonly roles?: readonly ({ readonly name: string } | { readonly id: string })[];
  /** Only these API calls (since Train), e.g. `{ service: "compute", method: "GET", path: "/v2.1/servers" }`. */
  readonly accessRules?: readonly {
    readonly service: string;
    readonly method: string;
    readonly path: string;
  }[];
  /** May it create other application credentials and trusts? */
  readonly unrestricted?: boolean;
}

/** POST /users/{userId}/application_credentials (201): the one answer carrying the secret. */
export async function createApplicationCredential(
  client: ServiceClient,
  userId: string,
  options: CreateApplicationCredentialOptions,
  call: CallOptions = {},
): Promise<ApplicationCredentialWire> {
  requireId("userId", userId);
  requireId("name", options.name);
  requireTime("expiresAt", options.expiresAt);
  const application_credential = compact({
    name: options.name,
    description: options.description,
    secret: options.secret,
    expires_at: options.expiresAt,
    roles: options.roles,
    access_rules: options.accessRules,
    unrestricted: options.unrestricted,
  });
  const response = await client.request({
    method: "POST",
    path: applicationCredentialsPath(userId),
    json: { application_credential },
    okStatus: [201],
    ...callFields(call),
  });
  return response.json<{ application_credential: ApplicationCredentialWire }>().application_credential;
}

/** GET /users/{userId}/application_credentials/{id}. */
export async function getApplicationCredential(
  client: ServiceClient,
  userId: string,
  id: string,
  call: CallOptions = {},
): Promise<ApplicationCredentialWire> {
  requireId("userId", userId);
  requireId("id", id);
  const response = await client.request({
    method: "GET",
    path: applicationCredentialPath(userId, id),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ application_credential: ApplicationCredentialWire }>().application_credential;
}

/** GET /users/{userId}/application_credentials (optionally by name). */
export async function listApplicationCredentials(
  client: ServiceClient,
  userId: string,
  options: { readonly name?: string } = {},
  call: CallOptions = {},
): Promise<ApplicationCredentialWire[]> {
  requireId("userId", userId);
  const response = await client.request({
    method: "GET",
    path: applicationCredentialsPath(userId),
    query: compact({ name: options.name }),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ application_credentials: ApplicationCredentialWire[] }>().application_credentials;
}

/** DELETE /users/{userId}/application_credentials/{id} (204). */
export async function deleteApplicationCredential(
  client: ServiceClient,
  userId: string,
  id: string,
  call: CallOptions = {},
): Promise<void> {
  requireId("userId", userId);
  requireId("id", id);
  await client.request({
    method: "DELETE",
    path: applicationCredentialPath(userId, id),
    okStatus: [204],
    ...callFields(call),
  });
}
