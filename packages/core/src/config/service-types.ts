/**
 * The OpenStack Service Types Authority data: official service types and their historical
 * aliases (`block-storage` = `volumev3` = `volumev2` = `volume` = `block-store`). The data
 * file is os-service-types' published `service-types.json`, shipped in data/ (see
 * data/ATTRIBUTION.md). It lives in config/, the lowest layer, because clouds.yaml keys
 * already use the aliases (`volume_api_version`, `rate_limit: {volumev3: 2}`); catalog/ reads
 * the same data through {@link SERVICE_TYPES}.
 */
import data from "./data/service-types.json" with { type: "json" };

/** The parts of the authority's data oaktree reads. */
export interface ServiceTypesData {
  /** Official types with their aliases, newest alias first. */
  readonly services: readonly { readonly service_type: string; readonly aliases?: readonly string[] }[];
  /** Alias -> official type. */
  readonly reverse: Readonly<Record<string, string>>;
  /** Version stamp of the published data. */
  readonly version: string;
}

/** The shipped authority data. */
export const SERVICE_TYPES: ServiceTypesData = data as ServiceTypesData;

const OFFICIAL = new Set(SERVICE_TYPES.services.map((service) => service.service_type));

/**
 * The official service type for a name as clouds.yaml or a catalog spells it: lower-cased,
 * underscores become hyphens (`block_storage` -> `block-storage`), then known aliases are
 * resolved (`volumev3` -> `block-storage`). Names the authority does not know (vendor
 * services such as `ec2` or `s3`) are returned normalized, unchanged otherwise, so they
 * still get their settings.
 *
 * @example officialServiceType("volume") // "block-storage"
 */
export function officialServiceType(name: string): string {
  const normalized = name.toLowerCase().replaceAll("_", "-");
  if (OFFICIAL.has(normalized)) return normalized;
  return SERVICE_TYPES.reverse[normalized] ?? SERVICE_TYPES.reverse[name] ?? normalized;
}
