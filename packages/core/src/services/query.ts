import { ValidationError } from "../errors.js";
import type { Query, QueryValue } from "../http/types.js";

/**
 * How one option becomes a query parameter: a plain name (arrays repeat the key,
 * `?status=A&status=B`), or a name whose array value is sent once, comma-joined (neutron's
 * `tags=a,b`).
 */
export type QueryName = string | { readonly name: string; readonly join: "," };

/**
 * The one table of query names of a resource: every option key maps to the API's name, so a
 * new option cannot be forgotten in the table (`changesSince` -> `changes-since`).
 */
export type QueryNames<O> = { readonly [K in keyof Required<O>]: QueryName };

/**
 * Maps typed camelCase options to the API's query through the resource's table. Undefined
 * options are dropped, dates become ISO-8601 strings, arrays repeat the key unless the table
 * says to join them, and null is sent as the empty string (neutron's "is null" filter).
 */
export function queryOf<O extends object>(options: O, names: QueryNames<O>): Query {
  const query: Record<string, QueryValue> = {};
  for (const [key, value] of Object.entries(options) as [keyof O & string, unknown][]) {
    if (value === undefined) continue;
    const entry = names[key];
    if (entry === undefined) throw new ValidationError(key, "is not a known list option");
    const name = typeof entry === "string" ? entry : entry.name;
    if (value instanceof Date) query[name] = value.toISOString();
    else if (value === null) query[name] = "";
    else if (Array.isArray(value) && typeof entry !== "string") query[name] = value.join(entry.join);
    else query[name] = value as QueryValue;
  }
  return query;
}

/** Fails before any I/O when an id (or name) argument is missing or blank. */
export function requireId(field: string, value: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new ValidationError(field, "must be a non-empty string");
  }
  return value;
}

/** Fails before any I/O unless `value` is a positive integer (page sizes, counts). */
export function requirePositiveInteger(field: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw new ValidationError(field, `must be a positive integer, got ${value}`);
  }
}

/** Fails before any I/O unless `value` is an ISO-8601 time (or a Date). */
export function requireTime(field: string, value: string | Date | undefined): void {
  if (typeof value === "string" && Number.isNaN(Date.parse(value))) {
    throw new ValidationError(field, `"${value}" is not an ISO-8601 time`);
  }
}

/** A copy of `object` without its undefined fields (so JSON bodies carry only what was set). */
export function compact<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

/** Fails before any I/O unless `value` is an integer of 0 or more (sizes, minimums). */
export function requireNonNegativeInteger(field: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
    throw new ValidationError(field, `must be an integer of 0 or more, got ${value}`);
  }
}
