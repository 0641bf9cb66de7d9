import { isoTime } from "../timestamps.js";
import { definedOnly } from "./model-helpers.js";

/**
 * Helpers shared by the neutron models (network, subnet, router, port, floating IP,
 * security group): the standard attributes every neutron resource carries.
 */

/** The keys of neutron's standard attributes, read by {@link standardFields}. */
export const STANDARD_KEYS: readonly string[] = [
  "project_id",
  "tenant_id",
  "description",
  "tags",
  "created_at",
  "updated_at",
  "revision_number",
];

/** What every neutron resource has besides its own fields. */
export interface StandardFields {
  readonly description?: string;
  readonly tags: readonly string[];
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly revisionNumber?: number;
}

interface StandardWire {
  readonly project_id?: string;
  readonly tenant_id?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly created_at?: string;
  readonly updated_at?: string;
  readonly revision_number?: number;
}

/** The owning project: `project_id`, or `tenant_id` on releases before it existed. */
export function projectIdOf(wire: StandardWire): string | undefined {
  return wire.project_id || wire.tenant_id || undefined;
}

/** Neutron's standard attributes in camelCase, undefined ones omitted. */
export function standardFields(wire: StandardWire): StandardFields {
  return {
    ...definedOnly({
      description: wire.description || undefined,
      createdAt: isoTime(wire.created_at),
      updatedAt: isoTime(wire.updated_at),
      revisionNumber: typeof wire.revision_number === "number" ? wire.revision_number : undefined,
    }),
    tags: [...(wire.tags ?? [])],
  };
}
