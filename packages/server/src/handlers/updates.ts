import { invalidArgument } from "../errors.js";

/**
 * The fields of an Update request that were given (proto3 `optional`: undefined when unset),
 * or undefined when none was: the handler then answers the object as it is, without a write.
 */
export function changesOf<T extends Record<string, unknown>>(fields: T): Partial<T> | undefined {
  const changes = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  return Object.keys(changes).length === 0 ? undefined : (changes as Partial<T>);
}

/** An integer field that may not be negative (0: unset). */
export function nonNegative(field: string, value: number): number {
  if (value < 0) throw invalidArgument(field, `must be 0 or more, got ${value}`);
  return value;
}
