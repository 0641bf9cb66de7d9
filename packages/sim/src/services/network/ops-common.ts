/** Helpers every neutron operation shares: quota checks and record stamps. */
import { SimError } from "../../core/errors.js";
import type { World } from "../../core/world.js";

/** Neutron's 409 when a project is over quota. */
export function overQuota(resource: string): SimError {
  return new SimError(409, `Quota exceeded for resources: ['${resource}'].`, { type: "OverQuota" });
}

/** Counts a project's records of a table and throws OverQuota when one more would exceed the limit. */
export function checkNetworkQuota(
  world: World,
  projectId: string,
  resource: string,
  used: number,
  adding = 1,
): void {
  const limit = world.quota("network", projectId, resource);
  if (limit >= 0 && used + adding > limit) throw overQuota(resource);
}

/** The create-time stamps of a new record: created = updated = now, revision 1. */
export function stamps(world: World): { created: number; updated: number; revision: number } {
  const now = world.clock.now();
  return { created: now, updated: now, revision: 1 };
}

/** Marks a record changed (neutron bumps `revision_number` and `updated_at`). */
export function touch(world: World, r: { updated: number; revision: number }): void {
  r.updated = world.clock.now();
  r.revision += 1;
}
