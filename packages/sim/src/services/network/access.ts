import { isAdmin, projectOf } from "../../core/auth.js";
import { badRequest, notFound, SimError } from "../../core/errors.js";
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

/**
 * Enforces neutron's `revision-if-match` extension: `If-Match: revision_number=N` on a PUT or DELETE
 * fails with 412 when the record's revision is not N. Other entity tags are ignored, as neutron does.
 */
export function checkIfMatch(c: SimContext, record: { revision: number }): void {
  const header = c.req.header("if-match");
  if (header === undefined) return;
  let wanted: number | undefined;
  for (const raw of header.split(",")) {
    const tag = raw
      .trim()
      .replace(/^W\//, "")
      .replace(/^"(.*)"$/, "$1");
    if (!tag.startsWith("revision_number=")) continue;
    if (wanted !== undefined) throw badRequest("Multiple revision_number etags are not supported.");
    const text = tag.slice("revision_number=".length);
    if (!/^\d+$/.test(text)) {
      throw badRequest("Revision number etag must be in the format of revision_number=<int>");
    }
    wanted = Number(text);
  }
  // NOTE: neutron (revision_plugin) raises a webob 412 rendered as NeutronError type RevisionNumberConstraintFailed.
  if (wanted !== undefined && wanted !== record.revision) {
    throw new SimError(412, `Constrained to ${wanted}, but current revision is ${record.revision}`, {
      type: "RevisionNumberConstraintFailed",
    });
  }
}
