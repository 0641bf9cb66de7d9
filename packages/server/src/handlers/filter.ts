import { type DescMessage, type MessageShape, ScalarType, toJson } from "@bufbuild/protobuf";
import { compile, search } from "@jmespath-community/jmespath";
import { invalidArgument } from "../errors.js";
import type { ListFilter } from "../gen/oaktree/v1/common_pb.js";

/** A message as filters see it: its proto JSON (snake_case), every field present, numbers as numbers. */
export type FilterItem = Record<string, unknown>;

/** Longest JMESPath expression accepted: a filter, not a program. */
const MAX_JMESPATH_LENGTH = 2000;

const SIXTY_FOUR_BIT = new Set([
  ScalarType.INT64,
  ScalarType.UINT64,
  ScalarType.SINT64,
  ScalarType.FIXED64,
  ScalarType.SFIXED64,
]);

/**
 * A ListFilter, checked once (INVALID_ARGUMENT naming `filter.jmespath` for a bad expression),
 * as a predicate and a list function over messages in their proto JSON form (snake_case), as
 * shade's search functions filter: field equality first, then the JMESPath expression.
 */
export interface CompiledFilter<M> {
  /** Keeps the messages that pass. */
  apply(messages: readonly M[]): M[];
  /** Whether one message passes (watches filter event by event). */
  matches(message: M): boolean;
}

/** Compiles `filter` for messages of `schema`; `field` is the request's field name for errors. */
export function compileFilter<D extends DescMessage>(
  schema: D,
  filter: ListFilter | undefined,
  field = "filter",
): CompiledFilter<MessageShape<D>> {
  const fields = Object.entries(filter?.fields ?? {});
  const expression = checkExpression(filter?.jmespath ?? "", `${field}.jmespath`);
  const passesFields = (item: FilterItem) =>
    fields.every(([path, want]) => textOf(valueAt(item, path)) === want);
  return {
    matches: (message) => {
      const item = sharedItemOf(schema, message);
      return (
        passesFields(item) && (!expression || keepItems([item], expression, `${field}.jmespath`).length === 1)
      );
    },
    apply: (messages) => selectMessages(schema, messages, passesFields, expression, `${field}.jmespath`),
  };
}

/**
 * The messages whose items pass `passes` and then `expression` (empty: none). As shade, the
 * expression runs over the whole list ("[?status=='ACTIVE']") and the items it returns are
 * kept; an expression that does not return a list ("status == 'ACTIVE'") is a predicate,
 * evaluated on each item.
 */
export function selectMessages<D extends DescMessage>(
  schema: D,
  messages: readonly MessageShape<D>[],
  passes: (item: FilterItem) => boolean,
  expression: string,
  field = "filter.jmespath",
): MessageShape<D>[] {
  const pairs = messages
    .map((message) => ({ message, item: filterItem(schema, message) }))
    .filter((pair) => passes(pair.item));
  if (!expression) return pairs.map((pair) => pair.message);
  const kept = new Set(
    keepItems(
      pairs.map((pair) => pair.item),
      expression,
      field,
    ),
  );
  return pairs.filter((pair) => kept.has(pair.item)).map((pair) => pair.message);
}

/** A JMESPath expression, trimmed, or INVALID_ARGUMENT naming `field` when it is too long or invalid. */
export function checkExpression(expression: string, field: string): string {
  const trimmed = expression.trim();
  if (trimmed.length > MAX_JMESPATH_LENGTH) {
    throw invalidArgument(field, `longer than ${MAX_JMESPATH_LENGTH} characters`);
  }
  if (trimmed) {
    try {
      compile(trimmed);
    } catch (error) {
      throw invalidArgument(field, `invalid JMESPath expression: ${(error as Error).message}`);
    }
  }
  return trimmed;
}

/**
 * A watch hub hands the same (never mutated) message to every stream watching it, and each
 * stream with a filter tests it: its JSON item is built once per message, not once per stream
 * (1,000 filtered streams made this 56% of the server's CPU; docs/benchmarks.md, waiters).
 * Items are only read, never changed, by the matching.
 */
const sharedItems = new WeakMap<object, FilterItem>();

function sharedItemOf<D extends DescMessage>(schema: D, message: MessageShape<D>): FilterItem {
  let item = sharedItems.get(message);
  if (!item) {
    item = filterItem(schema, message);
    sharedItems.set(message, item);
  }
  return item;
}

/**
 * A message as filters see it: proto field names, every field present, enums by name, and
 * 64-bit integers as numbers (proto JSON writes them as strings, which `>` cannot compare).
 */
export function filterItem<D extends DescMessage>(schema: D, message: MessageShape<D>): FilterItem {
  const json = toJson(schema, message, { useProtoFieldName: true, alwaysEmitImplicit: true }) as FilterItem;
  numbersIn(schema, json);
  return json;
}

function numbersIn(schema: DescMessage, json: FilterItem): void {
  for (const field of schema.fields) {
    const value = json[field.name];
    if (value === undefined || value === null) continue;
    if (field.fieldKind === "scalar" && SIXTY_FOUR_BIT.has(field.scalar)) {
      json[field.name] = Number(value);
    } else if (
      field.fieldKind === "list" &&
      field.listKind === "scalar" &&
      SIXTY_FOUR_BIT.has(field.scalar)
    ) {
      json[field.name] = (value as unknown[]).map(Number);
    } else if (field.fieldKind === "message" && !field.message.typeName.startsWith("google.protobuf.")) {
      numbersIn(field.message, value as FilterItem);
    } else if (field.fieldKind === "list" && field.listKind === "message") {
      for (const item of value as FilterItem[]) numbersIn(field.message, item);
    }
  }
}

/**
 * The items an expression keeps (see {@link selectMessages}). An expression that compiles may
 * still fail on the data (an unknown function, `to_number` of a name given to `max_by`): that
 * is the caller's expression at fault, INVALID_ARGUMENT naming `field`, not an internal error.
 */
function keepItems(items: FilterItem[], expression: string, field: string): FilterItem[] {
  try {
    const result = search(items as never, expression) as unknown;
    if (Array.isArray(result)) {
      const members = new Set(items);
      return result.filter((value): value is FilterItem => members.has(value as FilterItem));
    }
    return items.filter((item) => truthy(search(item as never, expression)));
  } catch (error) {
    throw invalidArgument(field, `JMESPath expression failed on the data: ${(error as Error).message}`);
  }
}

/** The value at a dotted path ("location.zone", "flavor.name") of an item. */
export function valueAt(item: FilterItem, path: string): unknown {
  let value: unknown = item;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as FilterItem)[key];
  }
  return value;
}

/** How a filter value compares: strings as they are, anything else as its JSON ("true", "2048"). */
export function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** JMESPath's truthiness: false, null, "", [] and {} are false. */
function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}
