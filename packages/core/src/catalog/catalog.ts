/**
 * The service catalog of a keystone token, v3 or v2.0, normalized to one shape, and endpoint
 * selection by service type (any alias) + interface + region.
 */
import { candidateTypes, officialType } from "./service-types.js";

/** An endpoint interface as keystone v3 names it (v2.0's publicURL/internalURL/adminURL map to these). */
export type EndpointInterface = "public" | "internal" | "admin";

/** One endpoint of one catalog entry. */
export interface CatalogEndpoint {
  readonly interface: EndpointInterface;
  /** Region name (v3 `region_id`, or `region`; v2.0 `region`); undefined when the cloud gives none. */
  readonly region?: string;
  /** The URL as the catalog gives it, project-id templates included. */
  readonly url: string;
}

/** One service of the catalog as keystone lists it. */
export interface CatalogEntry {
  /** The type exactly as the catalog spells it (`volumev3`, `compute`, `ec2`). */
  readonly type: string;
  /** The official type (`block-storage` for `volumev3`); unknown types as given. */
  readonly serviceType: string;
  readonly name?: string;
  readonly endpoints: readonly CatalogEndpoint[];
}

/** A normalized service catalog. */
export type ServiceCatalog = readonly CatalogEntry[];

interface V3CatalogJson {
  type?: unknown;
  name?: unknown;
  endpoints?: unknown;
}

/**
 * Parses keystone v3's `token.catalog` (also the `catalog` of GET /v3/auth/catalog).
 * Entries without a type and endpoints without a URL are skipped: some clouds list half-made
 * services, and a catalog that is partly wrong should still work for the rest.
 */
export function parseV3Catalog(catalog: unknown): ServiceCatalog {
  if (!Array.isArray(catalog)) return [];
  const entries: CatalogEntry[] = [];
  for (const raw of catalog as V3CatalogJson[]) {
    if (!raw || typeof raw.type !== "string") continue;
    const endpoints: CatalogEndpoint[] = [];
    for (const ep of Array.isArray(raw.endpoints) ? (raw.endpoints as Record<string, unknown>[]) : []) {
      const iface = ep?.interface;
      if (!ep || typeof ep.url !== "string" || !isInterface(iface)) continue;
      // NOTE: keystone v3 gives both `region` (deprecated) and `region_id`; older clouds only `region`.
      const region = stringOr(ep.region_id) ?? stringOr(ep.region);
      endpoints.push({ interface: iface, url: ep.url, ...(region !== undefined && { region }) });
    }
    entries.push(entry(raw.type, stringOr(raw.name), endpoints));
  }
  return entries;
}

/** Parses keystone v2.0's `access.serviceCatalog` (`publicURL`/`internalURL`/`adminURL` per region). */
export function parseV2Catalog(catalog: unknown): ServiceCatalog {
  if (!Array.isArray(catalog)) return [];
  const entries: CatalogEntry[] = [];
  for (const raw of catalog as V3CatalogJson[]) {
    if (!raw || typeof raw.type !== "string") continue;
    const endpoints: CatalogEndpoint[] = [];
    for (const ep of Array.isArray(raw.endpoints) ? (raw.endpoints as Record<string, unknown>[]) : []) {
      if (!ep) continue;
      const region = stringOr(ep.region);
      for (const [key, iface] of V2_INTERFACES) {
        const url = ep[key];
        if (typeof url === "string" && url) {
          endpoints.push({ interface: iface, url, ...(region !== undefined && { region }) });
        }
      }
    }
    entries.push(entry(raw.type, stringOr(raw.name), endpoints));
  }
  return entries;
}

const V2_INTERFACES: readonly (readonly [string, EndpointInterface])[] = [
  ["publicURL", "public"],
  ["internalURL", "internal"],
  ["adminURL", "admin"],
];

function entry(type: string, name: string | undefined, endpoints: CatalogEndpoint[]): CatalogEntry {
  return { type, serviceType: officialType(type), ...(name !== undefined && { name }), endpoints };
}

function isInterface(value: unknown): value is EndpointInterface {
  return value === "public" || value === "internal" || value === "admin";
}

function stringOr(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** What to look for in the catalog. */
export interface EndpointQuery {
  /** Official type or any alias (`block-storage`, `volumev3`, `volume`). */
  readonly serviceType: string;
  /** Default "public". */
  readonly interface?: EndpointInterface;
  /** Only endpoints of this region; any region when undefined. */
  readonly region?: string;
  /** Prefer aliases naming this major version (`volumev3` for 3). */
  readonly major?: number;
}

/** The endpoint chosen for a query, with the catalog entry it came from. */
export interface SelectedEndpoint {
  readonly entry: CatalogEntry;
  readonly endpoint: CatalogEndpoint;
}

/**
 * Picks the endpoint for a service: the candidate types in order (official type, aliases
 * naming the wanted major version, other aliases; see {@link candidateTypes}), the first catalog
 * entry of the first type that has an endpoint with the interface (and region, when given).
 * Returns undefined when no entry has one.
 */
export function selectEndpoint(catalog: ServiceCatalog, query: EndpointQuery): SelectedEndpoint | undefined {
  const iface = query.interface ?? "public";
  const requested = query.serviceType.toLowerCase();
  // A caller asking for an alias that names a version (`volumev2`) gets that one first.
  const types = [...new Set([requested, ...candidateTypes(requested, query.major)])];
  for (const type of types) {
    for (const entry of catalog) {
      if (entry.type !== type) continue;
      const endpoint = entry.endpoints.find(
        (ep) => ep.interface === iface && (query.region === undefined || ep.region === query.region),
      );
      if (endpoint) return { entry, endpoint };
    }
  }
  // A type the authority does not know, spelled differently in the catalog (`compute_legacy`
  // for `compute-legacy`): match on the normalized type.
  const official = officialType(requested);
  for (const entry of catalog) {
    if (entry.serviceType !== official || types.includes(entry.type)) continue;
    const endpoint = entry.endpoints.find(
      (ep) => ep.interface === iface && (query.region === undefined || ep.region === query.region),
    );
    if (endpoint) return { entry, endpoint };
  }
  return undefined;
}

/** The regions the catalog mentions, in first-seen order. */
export function catalogRegions(catalog: ServiceCatalog): readonly string[] {
  const regions = new Set<string>();
  for (const entry of catalog) for (const ep of entry.endpoints) if (ep.region) regions.add(ep.region);
  return [...regions];
}

/** The official service types present in the catalog, in catalog order, each once. */
export function catalogServiceTypes(catalog: ServiceCatalog): readonly string[] {
  return [...new Set(catalog.map((entry) => entry.serviceType))];
}

/**
 * Substitutes the project id into old-style endpoint templates: `%(tenant_id)s`,
 * `%(project_id)s`, `$(tenant_id)s`, `$(project_id)s`, `{tenant_id}`, `{project_id}`.
 * A URL with a template but no project id to put in (an unscoped token) is returned unchanged;
 * {@link hasProjectTemplate} tells callers so.
 */
export function substituteProjectId(url: string, projectId: string | undefined): string {
  if (!projectId) return url;
  return url.replace(PROJECT_TEMPLATE, projectId);
}

/** True when `url` still holds a project-id template. */
export function hasProjectTemplate(url: string): boolean {
  return new RegExp(PROJECT_TEMPLATE.source).test(url);
}

// NOTE: keystone fills these templates in when it renders a project-scoped token's catalog,
// but endpoint overrides, unscoped catalogs and some clouds' proxies hand them over verbatim
// (cinder's `/v3/%(project_id)s`, old nova's `/v2/$(tenant_id)s`).
const PROJECT_TEMPLATE = /[%$]\((?:tenant_id|project_id)\)s|\{(?:tenant_id|project_id)\}/g;
