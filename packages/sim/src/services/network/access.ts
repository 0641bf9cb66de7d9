import { isAdmin, projectOf } from "../../core/auth.js";
import { notFound } from "../../core/errors.js";
import type { SimContext } from "../../core/service.js";
import type { Row, Table } from "../../core/table.js";

/** Project of the caller; admins may act for another with `project_id`/`tenant_id` in the body. */
export function ownerFor(c: SimContext, body: Record<string, unknown>): string {
  const own = projectOf(c);
  const requested = (body.project_id ?? body.tenant_id) as string | undefined;
  if (requested && requested !== own && isAdmin(c)) return requested;
  return own;
}

/** The records a caller may list: all for admins, else the project's own (plus `extra` shared ones). */
export function visible<T extends Row>(
  c: SimContext,
  table: Table<T>,
  shared?: (r: T) => boolean,
): readonly T[] {
  if (isAdmin(c)) return table.all();
  const own = projectOf(c);
  if (!shared) return table.ofProject(own);
  return table.all().filter((r) => r.project_id === own || shared(r));
}

/** One record the caller may see, or neutron's typed 404. */
export function findVisible<T extends Row>(
  c: SimContext,
  table: Table<T>,
  id: string,
  kind: string,
  shared?: (r: T) => boolean,
): T {
  const r = table.get(id);
  if (!r || (!isAdmin(c) && r.project_id !== projectOf(c) && !shared?.(r))) {
    throw notFound(`${kind} ${id} could not be found.`, `${kind.replace(/\s/g, "")}NotFound`);
  }
  return r;
}

/** A record the caller may modify (own project, or admin). */
export function findOwned<T extends Row>(c: SimContext, table: Table<T>, id: string, kind: string): T {
  return findVisible(c, table, id, kind);
}
