/**
 * The OpenStack Service Types Authority data: official service types and their historical
 * aliases (`block-storage` = `volumev3` = `volumev2` = `volume` = `block-store`). The data
 * file is os-service-types' published `service-types.json`, shipped in config/data/ (see
 * config/data/ATTRIBUTION.md) and read through config/service-types.ts.
 */
import { officialServiceType, SERVICE_TYPES } from "../config/service-types.js";

/** Official type -> aliases, in the order the authority lists them (newest first). */
const ALIASES = new Map<string, readonly string[]>(
  SERVICE_TYPES.services.map((service) => [service.service_type, service.aliases ?? []]),
);

/** Version of the authority data oaktree ships. */
export const SERVICE_TYPES_DATA_VERSION: string = SERVICE_TYPES.version;

/**
 * The official service type for a catalog type or alias (`volumev3` -> `block-storage`,
 * `block_storage` -> `block-storage`); types the authority does not know are returned as
 * given. The same function as config's {@link officialServiceType}, under catalog's name.
 */
export const officialType: (type: string) => string = officialServiceType;

/** True when the authority lists `type` as an official service type. */
export function isOfficialType(type: string): boolean {
  return ALIASES.has(type);
}

/** The aliases of an official type, in the authority's order (`[]` for unknown types). */
export function aliasesOf(type: string): readonly string[] {
  return ALIASES.get(officialType(type)) ?? [];
}

/**
 * The major version an alias names (`volumev3` -> 3, `sharev2` -> 2), or undefined for
 * unversioned names (`volume`, `compute`).
 */
export function aliasMajorVersion(alias: string): number | undefined {
  const match = /[a-z]v(\d+)$/.exec(alias);
  return match ? Number(match[1]) : undefined;
}

/**
 * The catalog types to look for when a caller wants `type`, best first: the official type,
 * then (when `major` is given) the aliases naming that major version, then the other aliases
 * in the authority's order.
 *
 * @example candidateTypes("block-storage", 2) // ["block-storage", "volumev2", "volumev3", "volume", "block-store"]
 */
export function candidateTypes(type: string, major?: number): readonly string[] {
  const official = officialType(type);
  const aliases = ALIASES.get(official) ?? (type === official ? [] : [type]);
  const matching = major === undefined ? [] : aliases.filter((alias) => aliasMajorVersion(alias) === major);
  return [official, ...matching, ...aliases.filter((alias) => !matching.includes(alias))];
}
