import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import type { Filter } from "../gen-legacy/common_pb.js";
import { checkExpression, type FilterItem, selectMessages, textOf, valueAt } from "../handlers/filter.js";

/**
 * The 2017 Filter's selection, checked before any cloud call (INVALID_ARGUMENT naming
 * `jmespath`). It selects as the original oaktree did through shade's search functions, on
 * each message as shade's dict (the proto field names, enums by name, 64-bit numbers as
 * numbers): `name_or_id` (an id, or a name; `nameKeys` names more keys that count, e.g. a
 * floating IP's address), then every `filter` entry by equality (values compared as text),
 * then the JMESPath expression, as oaktree.v1's ListFilter (handlers/filter.ts).
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
  const expression = checkExpression(filter.jmespath, "jmespath");
  const nameOrId = filter.nameOrId;
  const fields = Object.entries(filter.filter);
  const passes = (item: FilterItem) =>
    (!nameOrId || nameKeys.some((key) => item[key] === nameOrId)) &&
    fields.every(([key, want]) => textOf(valueAt(item, key)) === want);
  return { apply: (messages) => selectMessages(schema, messages, passes, expression, "jmespath") };
}
