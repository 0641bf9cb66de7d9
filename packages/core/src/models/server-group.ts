import type { ServerGroupWire } from "../services/compute/v2/server-groups/wire.js";
import { type Location, locationOf, type NormalizeContext } from "./location.js";
import { restOf } from "./model-helpers.js";

/** A nova server group: one policy whatever the microversion. */
export interface ServerGroup {
  readonly location: Location;
  readonly id: string;
  readonly name: string;
  /** affinity, anti-affinity, soft-affinity or soft-anti-affinity. */
  readonly policy: string;
  /** e.g. `{ max_server_per_host: 3 }` (2.64). */
  readonly rules: Readonly<Record<string, unknown>>;
  /** Server ids. */
  readonly members: readonly string[];
  readonly userId?: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

const CONSUMED = new Set(["id", "name", "policy", "policies", "rules", "members", "project_id", "user_id"]);

/** Normalizes a server group: `policies[0]` before compute 2.64, `policy` from 2.64 on. */
export function normalizeServerGroup(wire: ServerGroupWire, ctx: NormalizeContext): ServerGroup {
  return {
    location: locationOf(ctx, wire.project_id),
    id: wire.id,
    name: wire.name,
    policy: wire.policy ?? wire.policies?.[0] ?? "",
    rules: { ...(wire.rules ?? {}) },
    members: [...(wire.members ?? [])],
    ...(wire.user_id !== undefined && { userId: wire.user_id }),
    properties: restOf(wire, CONSUMED),
  };
}
