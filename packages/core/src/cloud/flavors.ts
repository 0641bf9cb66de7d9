import { ValidationError } from "../errors.js";
import { type Flavor, normalizeFlavor } from "../models/flavor.js";
import { listFlavors as listFlavorsWire } from "../services/compute/v2/flavors/requests.js";
import type { CloudContext } from "./context.js";
import { applyFilters, type FilterOptions, pickOne, ResourceNotFoundError } from "./find.js";

/** Options of {@link listFlavors}. */
export interface ListFlavorsOptions extends FilterOptions {
  readonly signal?: AbortSignal;
  /** Skip the cache and list again (the fresh list is cached). */
  readonly refresh?: boolean;
}

/** Constraints of {@link findFlavor}'s "smallest flavor that fits" form. */
export interface FlavorConstraints {
  /** At least this much RAM (MiB). */
  readonly minRamMb?: number;
  readonly minVcpus?: number;
  /** At least this much root disk (GiB). NOTE: a flavor with disk 0 boots from the image's size. */
  readonly minDiskGb?: number;
  /** Only flavors whose name matches this regex, or contains this substring. */
  readonly include?: RegExp | string;
  /** No flavor whose name matches this regex, or contains this substring. */
  readonly exclude?: RegExp | string;
}

/** The cache kind of flavor lists (clouds.yaml `cache.expiration.flavor`). */
export const FLAVOR_CACHE_KIND = "flavor";

/**
 * Every flavor the project may use (public and the project's private ones), from the cache
 * when fresh (TTL: clouds.yaml `cache.expiration.flavor`, default 300 s). Concurrent callers
 * share one listing.
 */
export async function listFlavors(ctx: CloudContext, options: ListFlavorsOptions = {}): Promise<Flavor[]> {
  if (options.refresh) await ctx.cache.invalidate(FLAVOR_CACHE_KIND);
  const flavors = await ctx.cache.getOrLoad(FLAVOR_CACHE_KIND, "list", () => loadFlavors(ctx), options);
  return applyFilters(flavors, options.filters);
}

/**
 * A flavor by name or id (an id wins; several flavors of one name are an error listing them),
 * or, given {@link FlavorConstraints}, the smallest flavor that fits (see
 * {@link selectSmallestFlavor}). Undefined when none matches. A miss on the cached list lists
 * again once, so a flavor created since the cache filled is found.
 *
 * @example
 * const small = await findFlavor(ctx, { minRamMb: 2048, exclude: /windows/i });
 */
export async function findFlavor(
  ctx: CloudContext,
  query: string | FlavorConstraints,
  options: ListFlavorsOptions = {},
): Promise<Flavor | undefined> {
  if (typeof query === "string") {
    if (query.trim() === "") throw new ValidationError("nameOrId", "must be a non-empty string");
  } else {
    validateConstraints(query);
  }
  if (options.refresh) await ctx.cache.invalidate(FLAVOR_CACHE_KIND);
  const pick = (flavors: Flavor[]) => {
    const candidates = applyFilters(flavors, options.filters);
    return typeof query === "string"
      ? pickOne("flavor", candidates, query)
      : selectSmallestFlavor(candidates, query);
  };
  return ctx.cache.find(FLAVOR_CACHE_KIND, "list", () => loadFlavors(ctx), pick, options);
}

/** Lists every flavor (shared by concurrent callers: no caller's signal). */
async function loadFlavors(ctx: CloudContext): Promise<Flavor[]> {
  const compute = await ctx.client("compute");
  const normalize = await ctx.normalizeContext();
  const flavors: Flavor[] = [];
  for await (const wire of listFlavorsWire(compute, {})) flavors.push(normalizeFlavor(wire, normalize));
  return flavors;
}

/** Like {@link findFlavor}, but a flavor that does not exist is a ResourceNotFoundError. */
export async function getFlavor(
  ctx: CloudContext,
  query: string | FlavorConstraints,
  options: ListFlavorsOptions = {},
): Promise<Flavor> {
  const flavor = await findFlavor(ctx, query, options);
  if (!flavor) throw new ResourceNotFoundError("flavor", typeof query === "string" ? query : describe(query));
  return flavor;
}

/**
 * The smallest flavor that satisfies every constraint, as shade's get_flavor_by_ram: disabled
 * flavors never; among the rest those with enough RAM, vCPUs and disk whose name passes
 * `include` and `exclude`; the smallest by RAM, then vCPUs, then disk, then name (so that the
 * answer is stable). Undefined when none fits.
 */
export function selectSmallestFlavor(
  flavors: readonly Flavor[],
  constraints: FlavorConstraints,
): Flavor | undefined {
  const fits = flavors.filter(
    (flavor) =>
      !flavor.isDisabled &&
      flavor.ram >= (constraints.minRamMb ?? 0) &&
      flavor.vcpus >= (constraints.minVcpus ?? 0) &&
      flavor.disk >= (constraints.minDiskGb ?? 0) &&
      (constraints.include === undefined || nameMatches(flavor.name, constraints.include)) &&
      (constraints.exclude === undefined || !nameMatches(flavor.name, constraints.exclude)),
  );
  fits.sort((a, b) => a.ram - b.ram || a.vcpus - b.vcpus || a.disk - b.disk || a.name.localeCompare(b.name));
  return fits[0];
}

function nameMatches(name: string, pattern: RegExp | string): boolean {
  return typeof pattern === "string" ? name.includes(pattern) : pattern.test(name);
}

function validateConstraints(constraints: FlavorConstraints): void {
  for (const field of ["minRamMb", "minVcpus", "minDiskGb"] as const) {
    const value = constraints[field];
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
      throw new ValidationError(field, `must be a number of 0 or more, got ${value}`);
    }
  }
  for (const field of ["include", "exclude"] as const) {
    const value = constraints[field];
    if (value !== undefined && typeof value !== "string" && !(value instanceof RegExp)) {
      throw new ValidationError(field, "must be a RegExp or a substring");
    }
  }
}

function describe(constraints: FlavorConstraints): string {
  const parts = [
    constraints.minRamMb !== undefined && `ram >= ${constraints.minRamMb} MiB`,
    constraints.minVcpus !== undefined && `vcpus >= ${constraints.minVcpus}`,
    constraints.minDiskGb !== undefined && `disk >= ${constraints.minDiskGb} GiB`,
    constraints.include !== undefined && `name ~ ${String(constraints.include)}`,
    constraints.exclude !== undefined && `name !~ ${String(constraints.exclude)}`,
  ].filter(Boolean);
  return `with ${parts.join(", ") || "no constraints"}`;
}
