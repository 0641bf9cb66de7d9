import { createHash } from "node:crypto";
import type { SimState } from "../../core/service.js";

/** One catalog entry with its endpoints on three interfaces, as keystone stores it. */
export interface CatalogEntry {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly url: string;
}

/** A stable 32-hex id for a catalog object (so ids do not change between tokens). */
export function stableId(...parts: string[]): string {
  return createHash("md5").update(parts.join("\u0000")).digest("hex");
}

/** Catalog entries of every enabled module for a project. */
export function catalogEntries(sim: SimState, projectId: string): CatalogEntry[] {
  const out: CatalogEntry[] = [];
  for (const m of sim.modules) {
    if (!m.enabled(sim.profile)) continue;
    for (const s of m.catalog(sim, projectId)) out.push({ id: stableId("service", s.type), ...s });
  }
  return out;
}

const INTERFACES = ["public", "internal", "admin"] as const;

/** The v3 token catalog (`token.catalog`). */
export function catalogV3(sim: SimState, projectId: string): unknown[] {
  const region = sim.profile.region;
  return catalogEntries(sim, projectId).map((e) => ({
    endpoints: INTERFACES.map((iface) => ({
      id: stableId("endpoint", e.type, iface, projectId),
      interface: iface,
      region,
      region_id: region,
      url: e.url,
    })),
    id: e.id,
    type: e.type,
    name: e.name,
  }));
}

/** The v2.0 token catalog (`access.serviceCatalog`). */
export function catalogV2(sim: SimState, projectId: string): unknown[] {
  const region = sim.profile.region;
  return catalogEntries(sim, projectId).map((e) => ({
    endpoints: [
      {
        adminURL: e.url,
        region,
        internalURL: e.url,
        id: stableId("endpoint", e.type, "v2", projectId),
        publicURL: e.url,
      },
    ],
    endpoints_links: [],
    type: e.type,
    name: e.name,
  }));
}
