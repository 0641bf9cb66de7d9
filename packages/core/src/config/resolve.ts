import { ConfigError, type ConfigOrigin } from "./errors.js";
import { AUTH_TYPE_ALIASES } from "./legacy.js";
import type { RawCloud } from "./schema.js";
import { officialServiceType } from "./service-types.js";
import type {
  AuthSettings,
  AuthType,
  CacheSettings,
  CloudConfig,
  ConfigSource,
  NetworkSettings,
  RateLimitSettings,
  TlsSettings,
} from "./types.js";
import { shippedDefaults } from "./vendors.js";

/** A cloud's settings merged from every layer, with where each key came from. */
export interface ComposedCloud {
  readonly name: string;
  /** The merged, validated settings (snake_case); `regions`/`region_name` already removed. */
  readonly data: RawCloud;
  /** `auth.password`, `interface`, ... -> the layer that set it. */
  readonly origins: ReadonlyMap<string, ConfigOrigin>;
  /** Where the cloud itself is defined: blamed for missing keys. */
  readonly home: ConfigOrigin;
  /** clouds.yaml key -> OS_* variable, for keys that came from the environment. */
  readonly variables: ReadonlyMap<string, string>;
  readonly profile?: string;
  readonly region?: string;
  readonly regions: readonly string[];
  readonly source: ConfigSource;
  /** The file-level `cache:` sections (clouds.yaml, then secure.yaml), under the cloud's own. */
  readonly fileCache: Readonly<Record<string, unknown>>;
  readonly warnings: readonly string[];
}

/** Keys resolve() turns into CloudConfig fields; everything else goes to `extra`. */
const CONSUMED = new Set([
  "auth",
  "auth_type",
  "profile",
  "interface",
  "verify",
  "insecure",
  "cacert",
  "cert",
  "key",
  "api_timeout",
  "floating_ip_source",
  "image_format",
  "cache",
  "rate_limit",
  "rate_limits",
  "concurrency",
  "max_concurrency",
  "networks",
]);

const VERSION = /^v?(\d+(?:\.\d+)?)$/;

type Auth = Readonly<Record<string, string | undefined>>;

/**
 * Turns a composed cloud into the CloudConfig that auth/, catalog/ and http/ consume.
 * `withoutCredentials` (deployer mode) checks only that `auth_url` is there.
 */
export function resolveCloud(
  cloud: ComposedCloud,
  options: { readonly withoutCredentials?: boolean } = {},
): CloudConfig {
  const fail = (key: string, problem: string): ConfigError => {
    const origin = cloud.origins.get(key) ?? cloud.origins.get(key.split(".")[0] ?? key) ?? cloud.home;
    const variable = origin.kind === "environment" ? cloud.variables.get(key) : undefined;
    return new ConfigError({ origin, cloud: cloud.name, key: variable ?? key, problem });
  };
  const data = cloud.data;
  const auth: Auth = data.auth ?? {};
  const authType = resolveAuthType(data.auth_type, auth, fail);
  const settings = resolveAuth(authType, auth, fail, options.withoutCredentials ?? false);
  const warnings = [...cloud.warnings];
  const apiVersions: Record<string, string> = {};
  const endpointOverrides: Record<string, string> = {};
  const extra: Record<string, unknown> = {};
  // `_endpoint_override` is read after `_endpoint` so it wins when both are set.
  const keys = Object.keys(data).sort(
    (a, b) => Number(a.endsWith("_override")) - Number(b.endsWith("_override")),
  );
  for (const key of keys) {
    const value = (data as Record<string, unknown>)[key];
    if (value === undefined || value === null || CONSUMED.has(key)) continue;
    const service = /^(.+)_(api_version|endpoint_override|endpoint)$/.exec(key);
    if (service?.[1] === undefined) {
      extra[key] = value;
      continue;
    }
    const type = officialServiceType(service[1]);
    if (typeof value !== "string" && typeof value !== "number") {
      throw fail(key, `expected a string, got ${Array.isArray(value) ? "a list" : typeof value}`);
    }
    const text = String(value);
    if (service[2] === "api_version") {
      const match = VERSION.exec(text);
      if (match?.[1] !== undefined) {
        apiVersions[type] = match[1];
      } else if (text.includes("latest")) {
        // NOTE: openstacksdk warns about and ignores "latest"; microversions are negotiated anyway.
        warnings.push(`${key}: "${text}" ignored (oaktree negotiates the newest version itself)`);
      } else {
        throw fail(key, `expected a version like "3" or "2.1", got "${text}"`);
      }
    } else if (text !== "") {
      endpointOverrides[type] = text;
    }
  }
  const defaults = shippedDefaults();
  return {
    name: cloud.name,
    ...(cloud.profile === undefined ? {} : { profile: cloud.profile }),
    source: cloud.source,
    authType,
    auth: settings,
    ...(cloud.region === undefined ? {} : { region: cloud.region }),
    regions: cloud.regions,
    interface: resolveInterface(data.interface ?? String(defaults.interface ?? "public"), fail),
    apiVersions,
    endpointOverrides,
    tls: resolveTls(data),
    ...(data.api_timeout === undefined ? {} : { apiTimeoutMs: resolveTimeout(data.api_timeout, fail) }),
    ...(data.floating_ip_source === undefined
      ? {}
      : { floatingIpSource: resolveFloatingIpSource(data.floating_ip_source, fail) }),
    ...(data.image_format === undefined ? {} : { imageFormat: data.image_format }),
    cache: resolveCache(cloud.fileCache, data.cache, fail),
    rateLimits: resolveRateLimits(data, fail),
    extra,
    networks: resolveNetworks(data.networks ?? [], fail),
    warnings,
  };
}

type Fail = (key: string, problem: string) => ConfigError;

const AUTH_TYPES_ACCEPTED = Object.keys(AUTH_TYPE_ALIASES).join(", ");

/**
 * The auth_type as written, or inferred like openstackclient does when absent: an application
 * credential id or secret -> v3applicationcredential; a token without a password or username
 * -> token; else defaults.json's "password".
 */
function resolveAuthType(written: string | undefined, auth: Auth, fail: Fail): AuthType {
  if (written !== undefined) {
    const type = AUTH_TYPE_ALIASES[written];
    if (type === undefined)
      throw fail("auth_type", `unknown auth_type "${written}" (oaktree supports ${AUTH_TYPES_ACCEPTED})`);
    return type as AuthType;
  }
  if (auth.application_credential_id !== undefined || auth.application_credential_secret !== undefined) {
    return "v3applicationcredential";
  }
  if (auth.token !== undefined && auth.password === undefined && auth.username === undefined) return "token";
  return "password";
}

function resolveAuth(type: AuthType, auth: Auth, fail: Fail, withoutCredentials: boolean): AuthSettings {
  const required = (key: string, problem: string): string => {
    const value = auth[key];
    if (value === undefined || value === "") throw fail(`auth.${key}`, problem);
    return value;
  };
  const authUrl = required(
    "auth_url",
    "missing (set auth.auth_url, OS_AUTH_URL, or use a profile that has one)",
  );
  const hasUser = auth.username !== undefined || auth.user_id !== undefined;
  if (withoutCredentials) {
    // The callers bring credentials: nothing else is required.
  } else if (type === "password" || type === "v2password" || type === "v3password") {
    if (!hasUser) throw fail("auth.username", "missing (set username or user_id)");
    required("password", "missing (set it, or put it in secure.yaml)");
  } else if (type === "token" || type === "v3token") {
    required("token", "missing (set auth.token or OS_TOKEN)");
  } else {
    required("application_credential_secret", "missing (set it, or put it in secure.yaml)");
    if (auth.application_credential_id === undefined) {
      if (auth.application_credential_name === undefined) {
        throw fail(
          "auth.application_credential_id",
          "missing (set it, or application_credential_name with username)",
        );
      }
      if (!hasUser)
        throw fail("auth.username", "missing (an application credential by name needs username or user_id)");
    }
  }
  // NOTE (openstacksdk _handle_domain_id): with a project scope, domain_id/domain_name only
  // default the user's and the project's domain; without one they ask for a domain-scoped token.
  const projectScoped = auth.project_id !== undefined || auth.project_name !== undefined;
  const domainDefault = (own: string | undefined, fallback: string | undefined) =>
    own ?? (projectScoped ? fallback : undefined);
  const settings: Record<string, string | undefined> = {
    authUrl,
    username: auth.username,
    userId: auth.user_id,
    password: auth.password,
    projectName: auth.project_name,
    projectId: auth.project_id,
    userDomainName: domainDefault(auth.user_domain_name, auth.domain_name),
    userDomainId: domainDefault(auth.user_domain_id, auth.domain_id),
    projectDomainName: domainDefault(auth.project_domain_name, auth.domain_name),
    projectDomainId: domainDefault(auth.project_domain_id, auth.domain_id),
    domainName: projectScoped ? undefined : auth.domain_name,
    domainId: projectScoped ? undefined : auth.domain_id,
    token: auth.token,
    applicationCredentialId: auth.application_credential_id,
    applicationCredentialName: auth.application_credential_name,
    applicationCredentialSecret: auth.application_credential_secret,
    // keystone v2.0 calls the project a tenant; both spellings are filled for auth/.
    tenantName: auth.project_name,
    tenantId: auth.project_id,
  };
  for (const key of Object.keys(settings)) if (settings[key] === undefined) delete settings[key];
  return settings as unknown as AuthSettings;
}

function resolveInterface(written: string, fail: Fail): CloudConfig["interface"] {
  // keystoneauth also accepts the v2 catalog names publicURL/internalURL/adminURL.
  const name = written.toLowerCase().replace(/url$/, "");
  if (name === "public" || name === "internal" || name === "admin") return name;
  throw fail("interface", `unknown interface "${written}" (expected public, internal or admin)`);
}

function resolveTls(data: RawCloud): TlsSettings {
  // `verify` may also be a CA bundle path, as in keystoneauth sessions.
  const verifyPath = typeof data.verify === "string" ? data.verify : undefined;
  const verify = data.insecure === true ? false : typeof data.verify === "boolean" ? data.verify : true;
  const cacert = data.cacert ?? verifyPath;
  return {
    verify,
    ...(cacert === undefined ? {} : { cacert }),
    ...(data.cert === undefined ? {} : { cert: data.cert }),
    ...(data.key === undefined ? {} : { key: data.key }),
  };
}

function resolveTimeout(seconds: number, fail: Fail): number {
  if (seconds <= 0) throw fail("api_timeout", `expected a positive number of seconds, got ${seconds}`);
  return Math.round(seconds * 1000);
}

function resolveFloatingIpSource(written: string, fail: Fail): "neutron" | "nova" | "none" {
  const name = written.toLowerCase();
  if (name === "neutron" || name === "nova" || name === "none") return name;
  throw fail(
    "floating_ip_source",
    `unknown floating_ip_source "${written}" (expected neutron, nova or None)`,
  );
}

function resolveCache(
  fileCache: Readonly<Record<string, unknown>>,
  own: RawCloud["cache"],
  fail: Fail,
): CacheSettings {
  const merged = { ...fileCache, ...(own ?? {}) } as NonNullable<RawCloud["cache"]>;
  // NOTE: `max_age` is os-client-config's old name for `expiration_time`.
  const expirationTime = merged.expiration_time ?? merged.max_age ?? 0;
  if (expirationTime < 0) throw fail("cache", `expiration_time must not be negative, got ${expirationTime}`);
  const expiration: Record<string, number> = {};
  const fileExpiration = (fileCache.expiration ?? {}) as Record<string, number>;
  for (const [resource, seconds] of Object.entries({ ...fileExpiration, ...(own?.expiration ?? {}) })) {
    if (seconds === undefined) continue;
    if (seconds < 0) throw fail("cache", `expiration.${resource} must not be negative, got ${seconds}`);
    expiration[resource] = seconds;
  }
  return { expirationTime, expiration };
}

type NumberOrMap = number | Readonly<Record<string, number | undefined>> | undefined;

/**
 * `rate_limit` (alias `rate_limits`): requests per second, one number for every service or a
 * mapping by service type; `concurrency` (alias `max_concurrency`): requests in flight, same
 * shapes. A single number lands under "*".
 */
function resolveRateLimits(data: RawCloud, fail: Fail): Record<string, RateLimitSettings> {
  const out: Record<string, { requestsPerSecond?: number; maxConcurrency?: number }> = {};
  const pick = (a: string, b: string): [string, NumberOrMap] => {
    const first = (data as Record<string, NumberOrMap>)[a];
    const second = (data as Record<string, NumberOrMap>)[b];
    if (first !== undefined && second !== undefined) throw fail(b, `set either ${a} or ${b}, not both`);
    return first !== undefined ? [a, first] : [b, second];
  };
  const apply = (
    [key, value]: [string, NumberOrMap],
    field: "requestsPerSecond" | "maxConcurrency",
    check: (n: number) => boolean,
    expected: string,
  ) => {
    if (value === undefined) return;
    const entries: [string, number | undefined][] =
      typeof value === "number" ? [["*", value]] : Object.entries(value);
    for (const [service, n] of entries) {
      if (n === undefined) continue;
      if (!check(n))
        throw fail(typeof value === "number" ? key : `${key}.${service}`, `expected ${expected}, got ${n}`);
      const type = service === "*" ? "*" : officialServiceType(service);
      out[type] = { ...out[type], [field]: n };
    }
  };
  apply(
    pick("rate_limit", "rate_limits"),
    "requestsPerSecond",
    (n) => n > 0,
    "a positive number of requests per second",
  );
  apply(
    pick("concurrency", "max_concurrency"),
    "maxConcurrency",
    (n) => Number.isInteger(n) && n > 0,
    "a positive whole number",
  );
  return out;
}

function resolveNetworks(written: NonNullable<RawCloud["networks"]>, fail: Fail): NetworkSettings[] {
  const networks = written.map((net): NetworkSettings => {
    const routesExternally = net.routes_externally ?? false;
    return {
      name: net.name,
      routesExternally,
      routesIpv4Externally: net.routes_ipv4_externally ?? routesExternally,
      routesIpv6Externally: net.routes_ipv6_externally ?? routesExternally,
      natSource: net.nat_source ?? false,
      natDestination: net.nat_destination ?? false,
      defaultInterface: net.default_interface ?? false,
    };
  });
  for (const flag of ["natDestination", "defaultInterface"] as const) {
    const flagged = networks.filter((net) => net[flag]).map((net) => net.name);
    if (flagged.length > 1) {
      const key = flag === "natDestination" ? "nat_destination" : "default_interface";
      throw fail("networks", `only one network may have ${key}: true, got ${flagged.join(", ")}`);
    }
  }
  return networks;
}
