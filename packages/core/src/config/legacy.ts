/**
 * Legacy spellings of clouds.yaml, os-client-config and OS_* variables, turned into the one
 * spelling the rest of config/ reads. Everything backwards-compatible lives here, so the main
 * path stays readable. Each shim mirrors what openstacksdk's loader does (openstack/config/loader.py).
 */

type Dict = Record<string, unknown>;

function isDict(value: unknown): value is Dict {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `region-name` -> `region_name`, recursively (openstacksdk's normalize_keys). Keys with an
 * empty value (`password:` in YAML is null) are dropped: null means "not set".
 */
export function normalizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeKeys);
  if (!isDict(value)) return value;
  const out: Dict = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner !== null) out[key.replaceAll("-", "_")] = normalizeKeys(inner);
  }
  return out;
}

/**
 * Keys that belong in `auth:` but may be written at the top of a cloud (and always are, for
 * OS_* variables). A value inside `auth:` wins over one at the top.
 */
export const AUTH_KEYS: ReadonlySet<string> = new Set([
  "auth_url",
  "username",
  "user_id",
  "password",
  "project_name",
  "project_id",
  "tenant_name",
  "tenant_id",
  "user_domain_name",
  "user_domain_id",
  "project_domain_name",
  "project_domain_id",
  "domain_name",
  "domain_id",
  "default_domain_name",
  "default_domain_id",
  "token",
  "auth_token",
  "application_credential_id",
  "application_credential_name",
  "application_credential_secret",
  "system_scope",
  "trust_id",
  "passcode",
]);

/** Legacy auth key -> current key. */
const AUTH_RENAMES: Readonly<Record<string, string>> = {
  auth_token: "token",
  tenant_name: "project_name",
  tenant_id: "project_id",
};

/**
 * Renames legacy keys of one cloud entry (already `normalizeKeys`ed):
 * - `cloud:` -> `profile:` (os-client-config's old name for a vendor profile);
 * - `auth_plugin` -> `auth_type`;
 * - `endpoint_type` -> `interface`, `<service>_endpoint_type` -> `<service>_interface`;
 * - `<service>_timeout` -> `api_timeout` (openstacksdk has one timeout for all services);
 * - auth keys at the top of the cloud move into `auth:`;
 * - `auth_token` -> `token`, `tenant_name`/`tenant_id` -> `project_name`/`project_id`
 *   (keystone v2.0 names; auth/ gets both spellings back in AuthSettings);
 * - `external_network`/`internal_network` -> entries of `networks:`.
 * Keys are not validated here; unknown ones pass through.
 */
export function fixLegacyKeys(cloud: Dict): Dict {
  const out: Dict = {};
  const auth: Dict = isDict(cloud.auth) ? { ...cloud.auth } : {};
  const topAuth: Dict = {};
  for (const [key, value] of Object.entries(cloud)) {
    if (key === "auth") continue;
    if (AUTH_KEYS.has(key)) {
      topAuth[key] = value;
    } else if (key === "cloud") {
      if (!("profile" in cloud)) out.profile = value;
    } else if (key === "auth_plugin") {
      if (!("auth_type" in cloud)) out.auth_type = value;
    } else if (key.endsWith("endpoint_type")) {
      out[key.replace(/endpoint_type$/, "interface")] = value;
    } else if (key.endsWith("_timeout") && key !== "api_timeout") {
      if (!("api_timeout" in cloud)) out.api_timeout = value;
    } else {
      out[key] = value;
    }
  }
  // A value written inside auth: wins over the same key written at the top.
  const merged: Dict = { ...topAuth, ...auth };
  const fixedAuth: Dict = {};
  for (const [key, value] of Object.entries(merged)) {
    const target = AUTH_RENAMES[key] ?? key;
    // The current spelling wins over a legacy one when both are given.
    if (target !== key && target in merged) continue;
    fixedAuth[target] = value;
  }
  if ("auth" in cloud || Object.keys(fixedAuth).length > 0) out.auth = fixedAuth;
  const networks = legacyNetworks(cloud);
  if (networks.length > 0) {
    out.networks = [...(Array.isArray(cloud.networks) ? cloud.networks : []), ...networks];
    delete out.external_network;
    delete out.internal_network;
  }
  return out;
}

function legacyNetworks(cloud: Dict): Dict[] {
  const out: Dict[] = [];
  for (const key of ["external_network", "internal_network"] as const) {
    const name = cloud[key];
    if (name === undefined || name === null) continue;
    const external = key === "external_network";
    out.push({ name, routes_externally: external, nat_destination: !external, default_interface: external });
  }
  return out;
}

/** auth_type spellings oaktree accepts -> the AuthType it means. */
export const AUTH_TYPE_ALIASES: Readonly<Record<string, string>> = {
  password: "password",
  v2password: "v2password",
  v3password: "v3password",
  token: "token",
  v3token: "v3token",
  v3applicationcredential: "v3applicationcredential",
  application_credential: "v3applicationcredential",
  applicationcredential: "v3applicationcredential",
};
