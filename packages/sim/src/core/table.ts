/** What every stored record has: an id, an owning project ('' for global ones) and an insertion number. */
export interface Row {
  readonly id: string;
  /** Owner; `""` for records that belong to nobody (flavors, public networks are still owned by admin). */
  project_id: string;
  /** Insertion order, unique per world; lists sort by it. */
  readonly seq: number;
}

/**
 * An indexed, insertion-ordered collection: O(1) by id, O(log n) position of a marker, and
 * per-project ordered arrays so that listing one project never scans the others.
 */
export class Table<T extends Row> {
  readonly #byId = new Map<string, T>();
  readonly #all: T[] = [];
  readonly #byProject = new Map<string, T[]>();

  /** Number of records. */
  get size(): number {
    return this.#byId.size;
  }

  /** The record with this id, if any. */
  get(id: string): T | undefined {
    return this.#byId.get(id);
  }

  /** True when a record with this id exists. */
  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** Inserts a record; its `seq` must be larger than every stored one (use `IdSource.seq()`). */
  insert(row: T): T {
    if (this.#byId.has(row.id)) throw new Error(`duplicate id ${row.id}`);
    this.#byId.set(row.id, row);
    this.#all.push(row);
    let list = this.#byProject.get(row.project_id);
    if (!list) {
      list = [];
      this.#byProject.set(row.project_id, list);
    }
    list.push(row);
    return row;
  }

  /** Removes a record; returns it. */
  remove(id: string): T | undefined {
    const row = this.#byId.get(id);
    if (!row) return undefined;
    this.#byId.delete(id);
    removeBySeq(this.#all, row.seq);
    const list = this.#byProject.get(row.project_id);
    if (list) removeBySeq(list, row.seq);
    return row;
  }

  /** All records in insertion order (do not mutate the array). */
  all(): readonly T[] {
    return this.#all;
  }

  /** One project's records in insertion order (do not mutate the array). */
  ofProject(projectId: string): readonly T[] {
    return this.#byProject.get(projectId) ?? [];
  }

  /** Every record matching a predicate (a scan: for small tables or rare calls). */
  filter(predicate: (row: T) => boolean): T[] {
    return this.#all.filter(predicate);
  }

  /** The first record matching a predicate. */
  find(predicate: (row: T) => boolean): T | undefined {
    return this.#all.find(predicate);
  }
}

/** Index of the row with `seq` in an array sorted by seq, or -1. */
export function indexOfSeq<T extends { readonly seq: number }>(list: readonly T[], seq: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = list[mid]!.seq;
    if (s === seq) return mid;
    if (s < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function removeBySeq<T extends { readonly seq: number }>(list: T[], seq: number): void {
  const i = indexOfSeq(list, seq);
  if (i >= 0) list.splice(i, 1);
}

/** Options of {@link pageOf}. */
export interface PageOptions<T> {
  /** Newest first (nova's default `created_at desc`) instead of oldest first. */
  readonly descending: boolean;
  /** Start after the row with this seq (the marker's position). */
  readonly afterSeq?: number;
  readonly limit: number;
  readonly predicate?: (row: T) => boolean;
}

/**
 * One page of an ordered list: walks from the marker and stops after `limit` matches, so a page costs
 * O(log n + limit) without filters. Returns the rows and whether more matching rows may follow.
 */
export function pageOf<T extends { readonly seq: number }>(
  list: readonly T[],
  opts: PageOptions<T>,
): { rows: T[]; more: boolean } {
  const rows: T[] = [];
  let start: number;
  if (opts.afterSeq === undefined) start = opts.descending ? list.length - 1 : 0;
  else {
    // The marker row may be gone: find the insertion point of its seq.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.seq < opts.afterSeq) lo = mid + 1;
      else hi = mid;
    }
    // lo = first index with seq >= afterSeq
    if (opts.descending) start = lo - 1;
    else start = list[lo]?.seq === opts.afterSeq ? lo + 1 : lo;
  }
  const step = opts.descending ? -1 : 1;
  for (let i = start; i >= 0 && i < list.length; i += step) {
    const row = list[i]!;
    if (opts.predicate && !opts.predicate(row)) continue;
    if (rows.length === opts.limit) return { rows, more: true };
    rows.push(row);
  }
  return { rows, more: false };
}
