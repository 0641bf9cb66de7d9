import { type DescMessage, type MessageShape, toJson } from "@bufbuild/protobuf";
import { compile, search } from "@jmespath-community/jmespath";
import { invalidArgument } from "../errors.js";
import type { ListFilter } from "../gen/oaktree/v1/common_pb.js";

type JsonItem = Record<string, unknown>;

/** Longest JMESPath expression accepted: a filter, not a program. */
const MAX_JMESPATH_LENGTH = 2000;

/**
 * A ListFilter, checked once (INVALID_ARGUMENT naming `filter.jmespath` for a bad expression),
 * as a predicate and a list function over messages in their proto JSON form (snake_case), as
 * shade's search functions filter: field equality first, then the JMESPath expression.
 */
export interface CompiledFilter<M> {
  /** Keeps the messages that pass (a JMESPath that projects instead of filtering keeps its matches). */
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
  const expression = filter?.jmespath?.trim() ?? "";
  if (expression.length > MAX_JMESPATH_LENGTH) {
    throw invalidArgument(`${field}.jmespath`, `longer than ${MAX_JMESPATH_LENGTH} characters`);
  }
  if (expression) {
    try {
      compile(expression);
    } catch (error) {
      throw invalidArgument(`${field}.jmespath`, `invalid JMESPath expression: ${(error as Error).message}`);
    }
  }
  const json = (message: MessageShape<D>) =>
    toJson(schema, message, { useProtoFieldName: true, alwaysEmitImplicit: true }) as JsonItem;
  const passesFields = (item: JsonItem) =>
    fields.every(([path, want]) => textOf(valueAt(item, path)) === want);
  return {
    matches: (message) => {
      const item = json(message);
      return passesFields(item) && (!expression || keep([item], expression).length === 1);
    },
    apply(messages) {
      const pairs = messages
        .map((message) => ({ message, item: json(message) }))
        .filter((p) => passesFields(p.item));
      if (!expression) return pairs.map((pair) => pair.message);
      const kept = new Set(
        keep(
          pairs.map((pair) => pair.item),
          expression,
        ),
      );
      return pairs.filter((pair) => kept.has(pair.item)).map((pair) => pair.message);
    },
  };
}

/**
 * The items an expression keeps. As shade, the expression runs over the whole list
 * ("[?status=='ACTIVE']") and the items it returns are kept; an expression that does not
 * return a list ("status == 'ACTIVE'") is a predicate, evaluated on each item.
 */
function keep(items: JsonItem[], expression: string): JsonItem[] {
  const result = search(items as never, expression) as unknown;
  if (Array.isArray(result)) {
    const members = new Set(items);
    return result.filter((value): value is JsonItem => members.has(value as JsonItem));
  }
  return items.filter((item) => truthy(search(item as never, expression)));
}

/** The value at a dotted path ("location.zone", "flavor.name") of a JSON object. */
function valueAt(item: JsonItem, path: string): unknown {
  let value: unknown = item;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as JsonItem)[key];
  }
  return value;
}

/** How a filter value compares: strings as they are, anything else as its JSON. */
function textOf(value: unknown): string | undefined {
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
