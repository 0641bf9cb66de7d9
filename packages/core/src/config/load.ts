import { homedir } from "node:os";
import { envCloud, envCloudName } from "./env.js";
import { ConfigError, type ConfigOrigin } from "./errors.js";
import {
  type ConfigSources,
  type DiskSearchOptions,
  type Env,
  type FileReader,
  parseConfigFile,
  readConfigSources,
  readConfigSourcesFromDisk,
} from "./files.js";
import { fixLegacyKeys, normalizeKeys } from "./legacy.js";
import { type ComposedCloud, resolveCloud } from "./resolve.js";
import { cacheSchema, type RawCloud, validateCloud } from "./schema.js";
import type { CloudConfig, ConfigSource } from "./types.js";
import { publicCloudProfiles, shippedVendorProfiles, type VendorProfile } from "./vendors.js";

/**
 * What loadCloudConfig reads. Everything is passed in, so the function is pure: give it
 * `sources` (files already read), or `readFile` (+ `cwd`, `home`) to search with, or neither
 * (no files: only OS_* variables and `overrides`).
 */
export interface LoadOptions {
  /** The cloud to load; beats OS_CLOUD. */
  readonly cloud?: string;
  /** The region to select; beats OS_REGION_NAME and the cloud's first region. */
  readonly region?: string;
  /** Explicit settings in clouds.yaml shape (`{auth: {password: ...}, interface: "internal"}`); beat everything. */
  readonly overrides?: Readonly<Record<string, unknown>>;
  /** The environment (OS_* variables); defaults to none at all, not to process.env. */
  readonly env?: Env;
  /** The configuration files, already found and read. */
  readonly sources?: ConfigSources;
  /** A reader to search for the files with (used when `sources` is not given). */
  readonly readFile?: FileReader;
  /** The current directory for the search (default process.cwd()). */
  readonly cwd?: string;
  /** The home directory for the search (default os.homedir()). */
  readonly home?: string;
  /** Vendor profiles to use instead of the shipped ones (tests). */
  readonly vendorProfiles?: ReadonlyMap<string, VendorProfile>;
  /**
   * Deployer mode: a cloud needs no credentials (only `auth_url`, region, TLS, interface); the
   * callers bring theirs. Credentials a cloud does name are not checked. Default false.
   */
  readonly withoutCredentials?: boolean;
}

/** What listCloudConfigs reads: LoadOptions without the selection. */
export interface ListOptions extends Omit<LoadOptions, "cloud" | "region" | "overrides"> {
  /**
   * Called with the error of a cloud that does not load; the others are still listed. Without
   * it, the first broken cloud throws.
   */
  readonly onError?: (error: ConfigError, cloud: string) => void;
}

type Dict = Record<string, unknown>;

interface Layer {
  readonly origin: ConfigOrigin;
  readonly data: RawCloud;
  /** secure.yaml is deep-merged; the other layers replace keys (auth merged key by key). */
  readonly deep?: boolean;
  /** For env layers: key -> OS_* variable. */
  readonly variables?: ReadonlyMap<string, string>;
}

interface RawEntry {
  readonly origin: ConfigOrigin;
  readonly data: unknown;
  readonly deep: boolean;
}

interface Parsed {
  readonly entries: ReadonlyMap<string, readonly RawEntry[]>;
  readonly fileCache: Dict;
  readonly profiles: ReadonlyMap<string, VendorProfile>;
  /** The clouds.yaml that was found, or a "none found" origin listing the searched paths. */
  readonly cloudsOrigin: ConfigOrigin;
  readonly env: Env;
}

function isDict(value: unknown): value is Dict {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sourcesOf(options: LoadOptions): ConfigSources {
  if (options.sources !== undefined) return options.sources;
  if (options.readFile === undefined) return {};
  return readConfigSources(
    options.readFile,
    options.env ?? {},
    options.cwd ?? process.cwd(),
    options.home ?? homedir(),
  );
}

function parse(options: LoadOptions): Parsed {
  const sources = sourcesOf(options);
  const entries = new Map<string, RawEntry[]>();
  let fileCache: Dict = {};
  for (const [kind, file] of [
    ["clouds.yaml", sources.clouds],
    ["secure.yaml", sources.secure],
  ] as const) {
    if (file === undefined) continue;
    const origin: ConfigOrigin = { kind, path: file.path };
    const data = parseConfigFile(file, kind);
    const clouds = data.clouds ?? {};
    if (!isDict(clouds))
      throw new ConfigError({ origin, key: "clouds", problem: "expected a mapping of cloud names" });
    for (const [name, entry] of Object.entries(clouds)) {
      const list = entries.get(name) ?? [];
      list.push({ origin, data: entry, deep: kind === "secure.yaml" });
      entries.set(name, list);
    }
    if (data.cache !== undefined && data.cache !== null) {
      const cache = cacheSchema.safeParse(normalizeKeys(data.cache));
      if (!cache.success) {
        const issue = cache.error.issues[0];
        const key = ["cache", ...(issue?.path ?? []).map(String)].join(".");
        throw new ConfigError({ origin, key, problem: issue?.message ?? "invalid" });
      }
      fileCache = deepMerge(fileCache, cache.data as Dict);
    }
  }
  const profiles = new Map(options.vendorProfiles ?? shippedVendorProfiles());
  if (sources.publicClouds !== undefined) {
    const data = parseConfigFile(sources.publicClouds, "clouds-public.yaml");
    for (const [name, profile] of publicCloudProfiles(data, sources.publicClouds.path))
      profiles.set(name, profile);
  }
  const searched = sources.searched ?? [];
  const cloudsOrigin: ConfigOrigin =
    sources.clouds !== undefined
      ? { kind: "clouds.yaml", path: sources.clouds.path }
      : {
          kind: "clouds.yaml",
          detail: searched.length > 0 ? `none found; looked in ${searched.join(", ")}` : "none given",
        };
  return { entries, fileCache, profiles, cloudsOrigin, env: options.env ?? {} };
}

function prepare(
  entry: RawEntry,
  cloud: string,
  variables?: ReadonlyMap<string, string>,
  keyPrefix = "",
): Layer {
  const result = validateCloud(fixLegacyKeys((normalizeKeys(entry.data) ?? {}) as Dict));
  if (!result.ok) {
    const variable = variables?.get(result.error.key);
    throw new ConfigError({
      origin: entry.origin,
      cloud,
      key: variable ?? keyPrefix + result.error.key,
      problem: result.error.problem,
    });
  }
  return { origin: entry.origin, data: result.cloud, deep: entry.deep, ...(variables ? { variables } : {}) };
}

function deepMerge(base: Dict, over: Dict): Dict {
  const out: Dict = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isDict(value) && isDict(current) ? deepMerge(current, value) : value;
  }
  return out;
}

/** Merges layers low to high: later keys win, `auth` merges key by key, secure.yaml deep-merges. */
function mergeLayers(layers: readonly Layer[]): { data: Dict; origins: Map<string, ConfigOrigin> } {
  const data: Dict = {};
  const origins = new Map<string, ConfigOrigin>();
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer.data)) {
      if (value === undefined) continue;
      if (key === "auth" && isDict(value)) {
        const auth: Dict = isDict(data.auth) ? { ...data.auth } : {};
        for (const [authKey, authValue] of Object.entries(value)) {
          if (authValue === undefined) continue;
          auth[authKey] = authValue;
          origins.set(`auth.${authKey}`, layer.origin);
        }
        data.auth = auth;
      } else {
        const current = data[key];
        data[key] = layer.deep && isDict(value) && isDict(current) ? deepMerge(current, value) : value;
        origins.set(key, layer.origin);
      }
    }
  }
  return { data, origins };
}

function withoutRegions(layer: Layer): Layer {
  const { regions: _regions, region_name: _regionName, ...rest } = layer.data;
  return { ...layer, data: rest };
}

/** The clouds there are: every file cloud, plus the environment's when OS_AUTH_URL is set. */
function cloudNames(parsed: Parsed): string[] {
  const names = [...parsed.entries.keys()];
  const env = envCloud(parsed.env);
  const envName = envCloudName(parsed.env);
  if (env.definesCloud) {
    if (parsed.entries.has(envName)) {
      throw new ConfigError({
        origin: parsed.cloudsOrigin,
        cloud: envName,
        key: "OS_CLOUD_NAME",
        problem: `a file cloud has the name the OS_* variables' cloud gets; rename one (set OS_CLOUD_NAME)`,
      });
    }
    names.push(envName);
  }
  return names;
}

function isEnvCloud(parsed: Parsed, name: string): boolean {
  return envCloud(parsed.env).definesCloud && name === envCloudName(parsed.env);
}

/** The cloud used when none is named: OS_CLOUD, else the OS_* cloud, else the only cloud. */
function defaultCloud(parsed: Parsed, names: readonly string[]): string | undefined {
  const fromEnv = parsed.env.OS_CLOUD;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  if (envCloud(parsed.env).definesCloud) return envCloudName(parsed.env);
  return names.length === 1 ? names[0] : undefined;
}

interface ComposeRequest {
  readonly name: string;
  /** The OS_* variables apply to this cloud (it is the default cloud, or the one OS_CLOUD names). */
  readonly envApplies: boolean;
  /** The region asked for, and who asked (for the "not one of the regions" message). */
  readonly region?: { readonly name: string; readonly askedBy: string };
  /** In a listing, OS_REGION_NAME does not pick a region: every region is listed. */
  readonly envSelectsRegion: boolean;
  readonly overrides?: Readonly<Record<string, unknown>>;
}

function compose(parsed: Parsed, request: ComposeRequest): ComposedCloud {
  const { name } = request;
  const warnings: string[] = [];
  const fileLayers = (parsed.entries.get(name) ?? []).map((entry) => prepare(entry, name));
  const env = envCloud(parsed.env);
  const envLayer =
    request.envApplies && Object.keys(env.data).length > 0
      ? prepare({ origin: { kind: "environment" }, data: env.data, deep: false }, name, env.variables)
      : undefined;
  const argsLayer =
    request.overrides !== undefined
      ? prepare({ origin: { kind: "arguments" }, data: request.overrides, deep: false }, name)
      : undefined;
  const userLayers = [...fileLayers, ...(envLayer ? [envLayer] : []), ...(argsLayer ? [argsLayer] : [])];
  const user = mergeLayers(userLayers);
  const home = fileLayers[0]?.origin ?? envLayer?.origin ?? argsLayer?.origin ?? parsed.cloudsOrigin;

  // Vendor profile, merged under everything the user wrote.
  const profileName = typeof user.data.profile === "string" ? user.data.profile : undefined;
  const profileLayer =
    profileName === undefined
      ? undefined
      : profileFor(parsed, name, profileName, user.origins, home, warnings);

  // Regions: the user's list (or region_name), else the profile's; then the one asked for.
  // A cloud made only of OS_* variables takes its region list from OS_REGION_NAME.
  const files = mergeLayers(fileLayers.length > 0 ? fileLayers : userLayers);
  const listed = regionList(files.data, files.origins, profileLayer, home);
  let asked = request.region;
  if (asked === undefined && argsLayer?.data.region_name !== undefined) {
    asked = { name: String(argsLayer.data.region_name), askedBy: "the region_name argument" };
  }
  if (asked === undefined && request.envSelectsRegion && typeof envLayer?.data.region_name === "string") {
    asked = { name: envLayer.data.region_name, askedBy: "OS_REGION_NAME" };
  }
  let region: string | undefined;
  let regionLayer: Layer | undefined;
  if (listed.entries.length === 0) {
    region = asked?.name;
  } else {
    const chosen =
      asked === undefined ? listed.entries[0] : listed.entries.find((r) => r.name === asked.name);
    if (chosen === undefined) {
      throw new ConfigError({
        origin: listed.origin,
        cloud: name,
        key: listed.key,
        problem:
          `no region "${asked?.name}" (asked for by ${asked?.askedBy}); ` +
          `the regions are ${listed.entries.map((r) => r.name).join(", ")} (names are case-sensitive)`,
      });
    }
    region = chosen.name;
    if (chosen.values !== undefined) {
      regionLayer = prepare(
        { origin: listed.origin, data: chosen.values, deep: false },
        name,
        undefined,
        `${listed.key}.${chosen.name}.values.`,
      );
    }
  }
  const regions = listed.entries.length > 0 ? listed.entries.map((r) => r.name) : region ? [region] : [];

  const layers = [
    ...(profileLayer ? [profileLayer] : []),
    ...fileLayers,
    ...(regionLayer ? [regionLayer] : []),
    ...(envLayer ? [envLayer] : []),
    ...(argsLayer ? [argsLayer] : []),
  ].map(withoutRegions);
  const merged = mergeLayers(layers);
  const data = applyTemplates(merged.data, region);
  const pathOf = (kind: string) => fileLayers.find((layer) => layer.origin.kind === kind)?.origin.path;
  const file = pathOf("clouds.yaml");
  const secureFile = pathOf("secure.yaml");
  const source: ConfigSource = {
    ...(file !== undefined ? { file } : {}),
    ...(secureFile !== undefined ? { secureFile } : {}),
    fromEnv: envLayer !== undefined,
  };
  return {
    name,
    data: data as RawCloud,
    origins: merged.origins,
    home,
    variables: env.variables,
    ...(profileName === undefined ? {} : { profile: profileName }),
    ...(region === undefined ? {} : { region }),
    regions,
    source,
    fileCache: parsed.fileCache,
    warnings,
  };
}

interface RegionEntry {
  readonly name: string;
  readonly values?: Dict;
}

function regionList(
  data: Dict,
  origins: ReadonlyMap<string, ConfigOrigin>,
  profile: Layer | undefined,
  home: ConfigOrigin,
): { entries: RegionEntry[]; origin: ConfigOrigin; key: string } {
  const fromData = (d: Dict, origin: ConfigOrigin | undefined) => {
    if (Array.isArray(d.regions) && d.regions.length > 0) {
      const entries = (d.regions as (string | RegionEntry)[]).map((r) =>
        typeof r === "string" ? { name: r } : r,
      );
      return { entries, origin: origin ?? home, key: "regions" };
    }
    const regionName = d.region_name;
    if (regionName !== undefined && regionName !== "") {
      // NOTE: os-client-config accepted a comma-separated region_name as a list (deprecated).
      const names = Array.isArray(regionName) ? regionName.map(String) : String(regionName).split(",");
      return { entries: names.map((n) => ({ name: n.trim() })), origin: origin ?? home, key: "region_name" };
    }
    return undefined;
  };
  return (
    fromData(data, origins.get("regions") ?? origins.get("region_name")) ??
    (profile ? fromData(profile.data as Dict, profile.origin) : undefined) ?? {
      entries: [],
      origin: home,
      key: "regions",
    }
  );
}

function profileFor(
  parsed: Parsed,
  cloud: string,
  profileName: string,
  origins: ReadonlyMap<string, ConfigOrigin>,
  home: ConfigOrigin,
  warnings: string[],
): Layer | undefined {
  const origin = origins.get("profile") ?? home;
  const profile = parsed.profiles.get(profileName);
  if (profile === undefined) {
    if (/^https?:\/\//.test(profileName)) {
      warnings.push(remoteProfileWarning(profileName, profileName));
      return undefined;
    }
    const known = [...parsed.profiles.keys()].sort().join(", ");
    throw new ConfigError({
      origin,
      cloud,
      key: "profile",
      problem: `unknown vendor profile "${profileName}" (known: ${known})`,
    });
  }
  let settings: Dict = { ...profile.settings };
  // A profile may point at another one: by name, or at a vendor's URL (which oaktree does not fetch).
  const nested = settings.profile;
  if (typeof nested === "string") {
    const target = parsed.profiles.get(nested);
    if (target !== undefined) settings = { ...target.settings };
    else warnings.push(remoteProfileWarning(profileName, nested));
    delete settings.profile;
  }
  const status = settings.status;
  const message =
    typeof settings.message === "string" && settings.message !== "" ? settings.message : undefined;
  delete settings.status;
  delete settings.message;
  if (status === "shutdown") {
    throw new ConfigError({
      origin,
      cloud,
      key: "profile",
      problem: `vendor profile "${profileName}" is for a cloud that no longer exists${message ? `: ${message}` : ""}`,
    });
  }
  if (status === "deprecated") {
    warnings.push(`vendor profile "${profileName}" is deprecated${message ? `: ${message}` : ""}`);
  }
  return prepare({ origin: profile.origin, data: settings, deep: false }, cloud);
}

function remoteProfileWarning(profile: string, url: string): string {
  const wellKnown = `${url.replace(/\/+$/, "")}/.well-known/openstack/api`;
  return `vendor profile "${profile}" is published at ${wellKnown}, which oaktree does not fetch: set auth.auth_url and regions yourself`;
}

/**
 * Fills `{region_name}` (and any other `{key}` naming a top-level string setting) in auth_url
 * and endpoint overrides, as openstacksdk formats them (vendor profiles rely on it:
 * `https://{region_name}.citycloud.com:5000/v3/`). Unknown placeholders are left as they are.
 */
function applyTemplates(data: Dict, region: string | undefined): Dict {
  const context: Dict = { ...data, region_name: region ?? "" };
  const fill = (text: string) =>
    text.replace(/\{([a-z_]+)\}/g, (whole, key: string) => {
      const value = context[key];
      return typeof value === "string" || typeof value === "number" ? String(value) : whole;
    });
  const out: Dict = { ...data };
  if (isDict(out.auth) && typeof out.auth.auth_url === "string") {
    out.auth = { ...out.auth, auth_url: fill(out.auth.auth_url) };
  }
  for (const [key, value] of Object.entries(out)) {
    if (typeof value === "string" && /_endpoint(_override)?$/.test(key)) out[key] = fill(value);
  }
  return out;
}

function askedBy(options: LoadOptions): string {
  return options.cloud !== undefined ? "cloud" : "OS_CLOUD";
}

/**
 * The resolved configuration of one cloud and region. Precedence, low to high: defaults.json <
 * vendor profile < clouds.yaml < secure.yaml < the region's `values` < OS_* variables <
 * `overrides`. The cloud is `options.cloud`, else OS_CLOUD, else the OS_* cloud (`envvars`, when
 * OS_AUTH_URL is set), else the only cloud there is. OS_* variables apply to that default cloud
 * (or the one OS_CLOUD names), never to another cloud named explicitly.
 *
 * @throws ConfigError naming file, cloud and key for every mistake.
 * @example
 * const config = loadCloudConfig({ cloud: "prod", env: process.env, readFile });
 */
export function loadCloudConfig(options: LoadOptions = {}): CloudConfig {
  const parsed = parse(options);
  const names = cloudNames(parsed);
  const fallback = defaultCloud(parsed, names);
  const name = options.cloud ?? fallback;
  if (name === undefined) {
    throw new ConfigError({
      origin: parsed.cloudsOrigin,
      key: "OS_CLOUD",
      problem:
        names.length === 0
          ? "no cloud is configured (write a clouds.yaml, or set OS_AUTH_URL and friends)"
          : `not set, and there are several clouds (${names.join(", ")}): choose one with OS_CLOUD or --cloud`,
    });
  }
  if (!names.includes(name)) {
    throw new ConfigError({
      origin: parsed.cloudsOrigin,
      cloud: name,
      key: askedBy(options),
      problem: `no such cloud (${names.length > 0 ? `the clouds are ${names.join(", ")}` : "no cloud is defined"})`,
    });
  }
  const envApplies = name === fallback || isEnvCloud(parsed, name);
  return resolveCloud(
    compose(parsed, {
      name,
      envApplies,
      envSelectsRegion: envApplies,
      ...(options.region !== undefined
        ? { region: { name: options.region, askedBy: "the region argument" } }
        : {}),
      ...(options.overrides !== undefined ? { overrides: options.overrides } : {}),
    }),
    options,
  );
}

/**
 * Every configured cloud x region, resolved (what `npm start` prints). OS_* variables apply only
 * to the default cloud (see loadCloudConfig); OS_REGION_NAME does not narrow the listing.
 */
export function listCloudConfigs(options: ListOptions = {}): CloudConfig[] {
  const parsed = parse(options);
  const names = cloudNames(parsed);
  const fallback = defaultCloud(parsed, names);
  const out: CloudConfig[] = [];
  for (const name of names) {
    try {
      const base = {
        name,
        envApplies: name === fallback || isEnvCloud(parsed, name),
        envSelectsRegion: false,
      };
      const first = resolveCloud(compose(parsed, base), options);
      out.push(first);
      for (const region of first.regions.slice(1)) {
        out.push(
          resolveCloud(
            compose(parsed, { ...base, region: { name: region, askedBy: "the listing" } }),
            options,
          ),
        );
      }
    } catch (error) {
      if (!(error instanceof ConfigError) || options.onError === undefined) throw error;
      options.onError(error, name);
    }
  }
  return out;
}

/** Options of the disk-reading wrappers: LoadOptions, with the real process's env, cwd and home by default. */
export type DiskLoadOptions = Omit<LoadOptions, "sources" | "readFile"> & DiskSearchOptions;

/** loadCloudConfig on the files found on disk and process.env (unless `env` is given). */
export async function loadCloudConfigFromDisk(options: DiskLoadOptions = {}): Promise<CloudConfig> {
  const env = options.env ?? process.env;
  return loadCloudConfig({ ...options, env, sources: await readConfigSourcesFromDisk({ ...options, env }) });
}

/** listCloudConfigs on the files found on disk and process.env (unless `env` is given). */
export async function listCloudConfigsFromDisk(
  options: Omit<ListOptions, "sources" | "readFile"> & DiskSearchOptions = {},
): Promise<CloudConfig[]> {
  const env = options.env ?? process.env;
  return listCloudConfigs({ ...options, env, sources: await readConfigSourcesFromDisk({ ...options, env }) });
}
