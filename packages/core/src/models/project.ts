import type { TenantWire } from "../services/identity/v2/tenants/requests.js";
import type { ProjectWire } from "../services/identity/v3/projects/wire.js";
import type { Location, NormalizeContext } from "./location.js";
import { restOf } from "./model-helpers.js";

/** A keystone project (a v2.0 tenant is a project of no known domain). Cloud-level: no region. */
export interface Project {
  /** The project itself is the location's project. */
  readonly location: Location;
  readonly id: string;
  readonly name: string;
  readonly domainId?: string;
  readonly description?: string;
  readonly enabled: boolean;
  readonly isDomain: boolean;
  readonly parentId?: string;
  readonly tags: readonly string[];
  readonly properties: Readonly<Record<string, unknown>>;
}

const CONSUMED = new Set([
  "id",
  "name",
  "domain_id",
  "description",
  "enabled",
  "is_domain",
  "parent_id",
  "tags",
  "links",
]);

/** Normalizes a keystone v3 project or a v2.0 tenant. */
export function normalizeProject(wire: ProjectWire | TenantWire, ctx: NormalizeContext): Project {
  const v3 = wire as Partial<ProjectWire>;
  const domainId = typeof v3.domain_id === "string" ? v3.domain_id : undefined;
  const sameDomain = domainId !== undefined && domainId === ctx.project.domainId;
  return {
    location: {
      cloud: ctx.cloud,
      project: {
        id: wire.id,
        name: wire.name,
        ...(domainId !== undefined && { domainId }),
        ...(sameDomain && ctx.project.domainName !== undefined && { domainName: ctx.project.domainName }),
      },
    },
    id: wire.id,
    name: wire.name,
    ...(domainId !== undefined && { domainId }),
    ...(typeof wire.description === "string" && wire.description !== "" && { description: wire.description }),
    enabled: wire.enabled !== false,
    isDomain: v3.is_domain === true,
    ...(typeof v3.parent_id === "string" && { parentId: v3.parent_id }),
    tags: [...(v3.tags ?? [])],
    properties: restOf(wire, CONSUMED),
  };
}
