/**
 * Keystone v3: the `POST /v3/auth/tokens` request bodies (password, token, application
 * credential) and the token response.
 */
import { parseV3Catalog } from "../catalog/catalog.js";
import type { AuthSettings } from "../config/types.js";
import { parseKeystoneTime, type TokenInfo, type TokenProject } from "./types.js";

/** A user or project reference inside an auth request. */
type NamedRef = { id: string } | { name: string; domain: { id: string } | { name: string } };

/** The domain keystone is told when the config names none (python-openstackclient's default). */
export const DEFAULT_DOMAIN_ID = "default";

/**
 * The domain a user or project name lives in, in keystoneauth's and openstacksdk's order:
 * 1. the explicit `user_domain_*` / `project_domain_*` (id before name);
 * 2. `domain_id` / `domain_name`, which openstacksdk copies to both when the token is
 *    project-scoped (then it is not a domain scope);
 * 3. the domain with id `default`, as python-openstackclient's `--os-default-domain` does:
 *    keystoneauth itself sends none and keystone rejects a bare name.
 */
export function domainFor(
  explicitId: string | undefined,
  explicitName: string | undefined,
  auth: AuthSettings,
): { id: string } | { name: string } {
  if (explicitId) return { id: explicitId };
  if (explicitName) return { name: explicitName };
  if (auth.domainId) return { id: auth.domainId };
  if (auth.domainName) return { name: auth.domainName };
  return { id: DEFAULT_DOMAIN_ID };
}

/** The `scope` of a password or token request: project, domain, or none (unscoped). */
export function scopeOf(auth: AuthSettings): Record<string, unknown> | undefined {
  const projectId = auth.projectId ?? auth.tenantId;
  const projectName = auth.projectName ?? auth.tenantName;
  if (projectId) return { project: { id: projectId } };
  if (projectName) {
    return {
      project: { name: projectName, domain: domainFor(auth.projectDomainId, auth.projectDomainName, auth) },
    };
  }
  if (auth.domainId) return { domain: { id: auth.domainId } };
  if (auth.domainName) return { domain: { name: auth.domainName } };
  return undefined;
}

function userOf(auth: AuthSettings): NamedRef {
  if (auth.userId) return { id: auth.userId };
  return { name: auth.username ?? "", domain: domainFor(auth.userDomainId, auth.userDomainName, auth) };
}

/** `{"auth": {"identity": {"methods": ["password"], ...}, "scope": ...}}`. */
export function v3PasswordBody(auth: AuthSettings): unknown {
  const scope = scopeOf(auth);
  return {
    auth: {
      identity: { methods: ["password"], password: { user: { ...userOf(auth), password: auth.password } } },
      ...(scope && { scope }),
    },
  };
}

/** `{"auth": {"identity": {"methods": ["token"], "token": {"id": ...}}, "scope": ...}}`. */
export function v3TokenBody(auth: AuthSettings): unknown {
  const scope = scopeOf(auth);
  return { auth: { identity: { methods: ["token"], token: { id: auth.token } }, ...(scope && { scope }) } };
}

/**
 * An application credential by id, or by name with its user (id, or name + domain). No scope:
 * an application credential carries its own project.
 */
export function v3ApplicationCredentialBody(auth: AuthSettings): unknown {
  const credential = auth.applicationCredentialId
    ? { id: auth.applicationCredentialId, secret: auth.applicationCredentialSecret }
    : { name: auth.applicationCredentialName, secret: auth.applicationCredentialSecret, user: userOf(auth) };
  return { auth: { identity: { methods: ["application_credential"], application_credential: credential } } };
}

interface V3TokenJson {
  expires_at?: unknown;
  issued_at?: unknown;
  methods?: unknown;
  project?: { id?: unknown; name?: unknown; domain?: { id?: unknown; name?: unknown } };
  domain?: { id?: unknown; name?: unknown };
  user?: { id?: unknown; name?: unknown; domain?: { id?: unknown; name?: unknown } };
  roles?: unknown;
  catalog?: unknown;
  application_credential?: { id?: unknown; name?: unknown };
}

/**
 * Parses a v3 token response: the token is in the `X-Subject-Token` header, the rest in
 * `{"token": {...}}`. `receivedAt` stands in for a missing `issued_at`.
 */
export function parseV3Token(
  subjectToken: string,
  body: unknown,
  identityEndpoint: string,
  receivedAt: Date,
): TokenInfo {
  const token = ((body as { token?: V3TokenJson } | undefined)?.token ?? {}) as V3TokenJson;
  const expiresAt = parseKeystoneTime(token.expires_at);
  const project: TokenProject | undefined = token.project
    ? compact({
        id: str(token.project.id),
        name: str(token.project.name),
        domainId: str(token.project.domain?.id),
        domainName: str(token.project.domain?.name),
      })
    : undefined;
  const domain = token.domain
    ? compact({ id: str(token.domain.id), name: str(token.domain.name) })
    : undefined;
  const credential = token.application_credential
    ? compact({ id: str(token.application_credential.id), name: str(token.application_credential.name) })
    : undefined;
  return {
    token: subjectToken,
    identityVersion: "3",
    identityEndpoint,
    ...(expiresAt && { expiresAt }),
    issuedAt: parseKeystoneTime(token.issued_at) ?? receivedAt,
    ...(project && { project }),
    ...(domain && { domain }),
    user: compact({
      id: str(token.user?.id),
      name: str(token.user?.name),
      domainId: str(token.user?.domain?.id),
      domainName: str(token.user?.domain?.name),
    }),
    roles: roleNames(token.roles),
    catalog: parseV3Catalog(token.catalog),
    methods: Array.isArray(token.methods)
      ? token.methods.filter((m): m is string => typeof m === "string")
      : [],
    ...(credential && { applicationCredential: credential }),
  };
}

/** Role names from `[{"id": ..., "name": ...}]`. */
export function roleNames(roles: unknown): string[] {
  if (!Array.isArray(roles)) return [];
  return roles
    .map((r) => str((r as { name?: unknown } | null)?.name))
    .filter((n): n is string => n !== undefined);
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Drops undefined values, so optional fields are absent rather than present-but-undefined. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
