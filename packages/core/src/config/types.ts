/**
 * The resolved configuration of one cloud (one entry of clouds.yaml, merged with its vendor
 * profile, secure.yaml, OS_* variables and explicit arguments), as config/ produces it and
 * auth/, catalog/ and http/ consume it. Keys are camelCase here; clouds.yaml's snake_case
 * names are mapped in config/.
 */
export interface CloudConfig {
  /** Name of the cloud in clouds.yaml (`envvars` for a cloud built from OS_* variables). */
  readonly name: string;
  /** The vendor profile merged under the user's settings, if any. */
  readonly profile?: string;
  /** Where each setting came from, for error messages ("clouds.yaml:/home/u/.config/openstack/clouds.yaml"). */
  readonly source: ConfigSource;
  readonly authType: AuthType;
  readonly auth: AuthSettings;
  /** The region selected for this config (undefined when the cloud has no regions at all). */
  readonly region?: string;
  /** All regions of the cloud, with per-region overrides already applied to copies of this config. */
  readonly regions: readonly string[];
  /** Endpoint interface to pick from the catalog. Default "public". */
  readonly interface: "public" | "internal" | "admin";
  /** `identity_api_version`, `compute_api_version`, ... keyed by official service type. */
  readonly apiVersions: Readonly<Record<string, string>>;
  /** `compute_endpoint_override`, ... keyed by official service type. */
  readonly endpointOverrides: Readonly<Record<string, string>>;
  readonly tls: TlsSettings;
  /** `api_timeout` in milliseconds. */
  readonly apiTimeoutMs?: number;
  /** `floating_ip_source`: which API to use for floating IPs; undefined = decide from the catalog. */
  readonly floatingIpSource?: "neutron" | "nova" | "none";
  /** `image_format`: the disk format the cloud wants for uploads (e.g. "raw" on Ceph clouds). */
  readonly imageFormat?: string;
  readonly cache: CacheSettings;
  /** Rate limits per official service type; key "*" applies to services not listed. */
  readonly rateLimits: Readonly<Record<string, RateLimitSettings>>;
  /** Everything else the file said (vendor extras), snake_case, secrets included: never log it. */
  readonly extra: Readonly<Record<string, unknown>>;
  /** `networks:` hints (which network routes externally, is the NAT destination, ...); empty when none. */
  readonly networks?: readonly NetworkSettings[];
  /** Things the user should know but that do not stop loading (a deprecated vendor profile, ...). */
  readonly warnings?: readonly string[];
}

/** One entry of clouds.yaml `networks:` (openstacksdk's hints for auto-ip and default networks). */
export interface NetworkSettings {
  /** Name or id of the network. */
  readonly name: string;
  readonly routesExternally: boolean;
  readonly routesIpv4Externally: boolean;
  readonly routesIpv6Externally: boolean;
  /** Floating IPs come from this network. */
  readonly natSource: boolean;
  /** Floating IPs attach to ports on this network. */
  readonly natDestination: boolean;
  /** The network whose address is the server's `interface_ip`. */
  readonly defaultInterface: boolean;
}

/** The `auth_type` of clouds.yaml (keystoneauth plugin names oaktree supports). */
export type AuthType =
  | "password"
  | "v2password"
  | "v3password"
  | "token"
  | "v3token"
  | "v3applicationcredential";

/** What keystone auth needs, camelCased from clouds.yaml `auth:` (and `OS_*` env). */
export interface AuthSettings {
  readonly authUrl: string;
  readonly username?: string;
  readonly userId?: string;
  readonly password?: string;
  readonly projectName?: string;
  readonly projectId?: string;
  readonly userDomainName?: string;
  readonly userDomainId?: string;
  readonly projectDomainName?: string;
  readonly projectDomainId?: string;
  /** `domain_name`/`domain_id`: domain-scoped tokens, and the default for user/project domains. */
  readonly domainName?: string;
  readonly domainId?: string;
  readonly token?: string;
  readonly applicationCredentialId?: string;
  readonly applicationCredentialName?: string;
  readonly applicationCredentialSecret?: string;
  /** keystone v2.0 name for the project. */
  readonly tenantName?: string;
  readonly tenantId?: string;
}

/** TLS for every connection to the cloud (clouds.yaml `verify`, `cacert`, `cert`, `key`). */
export interface TlsSettings {
  /** false = do not verify the server certificate (`verify: false` / `insecure: true`). */
  readonly verify: boolean;
  readonly cacert?: string;
  readonly cert?: string;
  readonly key?: string;
}

/** Cache TTLs from clouds.yaml `cache:`. */
export interface CacheSettings {
  /** Default TTL in seconds for cached lists (clouds.yaml `cache.expiration_time`). */
  readonly expirationTime: number;
  /** Per-resource TTLs in seconds (clouds.yaml `cache.expiration.server`, ...). */
  readonly expiration: Readonly<Record<string, number>>;
}

/** The limits of one service of a cloud (clouds.yaml `rate_limit`, per service type). */
export interface RateLimitSettings {
  /** Sustained requests per second (token bucket refill); undefined = unlimited. */
  readonly requestsPerSecond?: number;
  /** Maximum requests in flight at once; undefined = unlimited. */
  readonly maxConcurrency?: number;
}

/** Where a resolved cloud config came from (for `oaktree config` and error messages). */
export interface ConfigSource {
  /** The clouds.yaml that defined the cloud, if any. */
  readonly file?: string;
  /** The secure.yaml merged over it, if any. */
  readonly secureFile?: string;
  /** True when OS_* environment variables contributed. */
  readonly fromEnv: boolean;
}
