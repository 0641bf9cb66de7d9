import { search } from "@jmespath-community/jmespath";
import { OaktreeError, ValidationError } from "../errors.js";

/** What `find`/`list` accept besides a name or id. */
export interface FilterOptions {
  /**
   * Equality filters on model fields (camelCase; nested with objects, e.g.
   * `{ location: { zone: "nova" } }`), or a JMESPath expression evaluated against each model
   * (`"status == 'ACTIVE' && flavor.ram >= \`2048\`"`), as shade's `filters` accepts.
   */
  readonly filters?: Readonly<Record<string, unknown>> | string;
}

/** Several objects answer to one name: the caller must use an id. */
export class AmbiguousNameError extends OaktreeError {
  override readonly name = "AmbiguousNameError";
  constructor(
    readonly kind: string,
    readonly nameOrId: string,
    readonly matches: readonly { id: string; name?: string }[],
  ) {
    super(
      `${kind} "${nameOrId}" is ambiguous: ${matches.length} match (${matches
        .map((match) => match.id)
        .join(", ")}); use an id`,
    );
  }
}

/** No object answers to the name or id. */
export class ResourceNotFoundError extends OaktreeError {
  override readonly name = "ResourceNotFoundError";
  constructor(
    readonly kind: string,
    readonly nameOrId: string,
  ) {
    super(`${kind} "${nameOrId}" not found`);
  }
}

/**
 * True for a value shaped like an OpenStack id (a UUID, with or without dashes): worth one GET
 * by id before listing by name. Anything else can only be a name.
 */
export function looksLikeId(value: string): boolean {
  return /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(value);
}

/** Keeps the items that pass `filters` (see {@link FilterOptions}). */
export function applyFilters<T>(items: readonly T[], filters: FilterOptions["filters"]): T[] {
  if (filters === undefined) return [...items];
  if (typeof filters === "string") {
    try {
      return items.filter((item) => truthy(search(item as Parameters<typeof search>[0], filters)));
    } catch (error) {
      throw new ValidationError("filters", `invalid JMESPath expression: ${(error as Error).message}`);
    }
  }
  return items.filter((item) => matches(item, filters));
}

/**
 * The one object whose id or name is `nameOrId` among `items` (after `filters`): an id match
 * wins over name matches; several name matches are an error that lists them.
 */
export function pickOne<T extends { readonly id: string; readonly name?: string }>(
  kind: string,
  items: readonly T[],
  nameOrId: string,
  filters?: FilterOptions["filters"],
): T | undefined {
  const candidates = applyFilters(items, filters);
  const byId = candidates.find((item) => item.id === nameOrId);
  if (byId) return byId;
  const byName = candidates.filter((item) => item.name === nameOrId);
  if (byName.length > 1) {
    throw new AmbiguousNameError(
      kind,
      nameOrId,
      byName.map((item) => ({ id: item.id, ...(item.name !== undefined && { name: item.name }) })),
    );
  }
  return byName[0];
}

function matches(value: unknown, filter: unknown): boolean {
  if (filter !== null && typeof filter === "object" && !Array.isArray(filter)) {
    if (value === null || typeof value !== "object") return false;
    return Object.entries(filter as Record<string, unknown>).every(([key, expected]) =>
      matches((value as Record<string, unknown>)[key], expected),
    );
  }
  return value === filter;
}

/** JMESPath truthiness: false, null, "", [] and {} are false. */
function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}
