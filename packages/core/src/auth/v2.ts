/**
 * Keystone v2.0 (Kilo-era clouds and older): `POST /v2.0/tokens` with passwordCredentials or a
 * token, scoped to a tenant, and the `{"access": ...}` response.
 */
import { parseV2Catalog } from "../catalog/catalog.js";
import type { AuthSettings } from "../config/types.js";
import { OaktreeError } from "../errors.js";
import { parseKeystoneTime, type TokenInfo } from "./types.js";
import { compact, roleNames } from "./v3.js";

function tenantOf(auth: AuthSettings): Record<string, string> {
  const tenantId = auth.tenantId ?? auth.projectId;
  const tenantName = auth.tenantName ?? auth.projectName;
  if (tenantId) return { tenantId };
  if (tenantName) return { tenantName };
  return {};
}

/** `{"auth": {"passwordCredentials": {"username", "password"}, "tenantName": ...}}`. */
export function v2PasswordBody(auth: AuthSettings): unknown {
  const user = auth.username ? { username: auth.username } : { userId: auth.userId };
  return { auth: { passwordCredentials: { ...user, password: auth.password }, ...tenantOf(auth) } };
}

/** `{"auth": {"token": {"id": ...}, "tenantName": ...}}`. */
export function v2TokenBody(auth: AuthSettings): unknown {
  return { auth: { token: { id: auth.token }, ...tenantOf(auth) } };
}

interface V2AccessJson {
  token?: { id?: unknown; expires?: unknown; issued_at?: unknown; tenant?: { id?: unknown; name?: unknown } };
  user?: { id?: unknown; name?: unknown; username?: unknown; roles?: unknown };
  serviceCatalog?: unknown;
}

/** Parses `{"access": {"token": {...}, "user": {...}, "serviceCatalog": [...]}}`. */
export function parseV2Access(body: unknown, identityEndpoint: string, receivedAt: Date): TokenInfo {
  const access = ((body as { access?: V2AccessJson } | undefined)?.access ?? {}) as V2AccessJson;
  const id = access.token?.id;
  if (typeof id !== "string" || id === "")
    throw new OaktreeError("keystone v2.0 response has no access.token.id");
  const expiresAt = parseKeystoneTime(access.token?.expires);
  const tenant = access.token?.tenant;
  // NOTE: keystone v2.0 has no domains; everything lives in what v3 calls the default domain.
  const project = tenant ? compact({ id: str(tenant.id), name: str(tenant.name) }) : undefined;
  return {
    token: id,
    identityVersion: "2.0",
    identityEndpoint,
    ...(expiresAt && { expiresAt }),
    issuedAt: parseKeystoneTime(access.token?.issued_at) ?? receivedAt,
    ...(project && { project }),
    user: compact({ id: str(access.user?.id), name: str(access.user?.username) ?? str(access.user?.name) }),
    roles: roleNames(access.user?.roles),
    catalog: parseV2Catalog(access.serviceCatalog),
    methods: [],
  };
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
