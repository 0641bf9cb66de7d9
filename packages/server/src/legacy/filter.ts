import { type DescMessage, type MessageShape, ScalarType, toJson } from "@bufbuild/protobuf";
import { compile, search } from "@jmespath-community/jmespath";
import { invalidArgument } from "../errors.js";
import type { Filter } from "../gen-legacy/common_pb.js";

type JsonItem = Record<string, unknown>;

/** Longest JMESPath expression accepted (as oaktree.v1's ListFilter). */
const MAX_JMESPATH_LENGTH = 2000;

const SIXTY_FOUR_BIT = new Set([
  ScalarType.INT64,
  ScalarType.UINT64,
  ScalarType.SINT64,
  ScalarType.FIXED64,
  ScalarType.SFIXED64,
]);

/**
 * The 2017 Filter's selection, checked before any cloud call (INVALID_ARGUMENT naming
 * `jmespath`). It selects as the original oaktree did through shade's search functions, on
 * each message as shade's dict (the proto field names, enums by name, 64-bit numbers as
 * numbers): `name_or_id` (an id, or a name; `extra` names more keys that count, e.g. a floating
 * IP's address), then every `filter` entry by equality (values compared as text), then the
 * JMESPath expression over the whole list ("[?ram > `1024`]"), or, when it does not return a
 * list ("ram > `1024`"), on each item.
 */
export interface LegacySelection<M> {
  apply(messages: readonly M[]): M[];
}

/** Compiles a 2017 `Filter` for messages of `schema`. */
export function compileLegacyFilter<D extends DescMessage>(
  schema: D,
  filter: Filter,
  nameKeys: readonly string[] = ["id", "name"],
): LegacySelection<MessageShape<D>> {
  const expression = filter.jmespath.trim();
  if (expression.length > MAX_JMESPATH_LENGTH) {
    throw invalidArgument("jmespath", `longer than ${MAX_JMESPATH_LENGTH} characters`);
  }
  if (expression) {
    try {
      compile(expression);
    } catch (error) {
      throw invalidArgument("jmespath", `invalid JMESPath expression: ${(error as Error).message}`);
    }
  }
  const nameOrId = filter.nameOrId;
  const fields = Object.entries(filter.filter);
  const passes = (item: JsonItem) =>
    (!nameOrId || nameKeys.some((key) => item[key] === nameOrId)) &&
    fields.every(([key, want]) => textOf(valueAt(item, key)) === want);
  return {
    apply(messages) {
      const pairs = messages
        .map((message) => ({ message, item: shadeDict(schema, message) }))
        .filter((pair) => passes(pair.item));
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

/** A message as shade's dict: proto field names, every field present, 64-bit integers as numbers. */
function shadeDict<D extends DescMessage>(schema: D, message: MessageShape<D>): JsonItem {
  const json = toJson(schema, message, { useProtoFieldName: true, alwaysEmitImplicit: true }) as JsonItem;
  for (const field of schema.fields) {
    if (field.fieldKind === "scalar" && SIXTY_FOUR_BIT.has(field.scalar)) {
      json[field.name] = Number(json[field.name]);
    }
  }
  return json;
}

/** The items an expression keeps (see {@link LegacySelection}). */
function keep(items: JsonItem[], expression: string): JsonItem[] {
  const result = search(items as never, expression) as unknown;
  if (Array.isArray(result)) {
    const members = new Set(items);
    return result.filter((value): value is JsonItem => members.has(value as JsonItem));
  }
  return items.filter((item) => truthy(search(item as never, expression)));
}

/** The value at a dotted key ("location.cloud") of a dict. */
function valueAt(item: JsonItem, path: string): unknown {
  let value: unknown = item;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as JsonItem)[key];
  }
  return value;
}

/** How a filter value compares: strings as they are, anything else as its JSON ("true", "2048"). */
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
