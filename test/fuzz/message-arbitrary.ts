import { create, type DescField, type DescMessage, type MessageShape, ScalarType } from "@bufbuild/protobuf";
import fc from "fast-check";

/**
 * fast-check arbitraries for any protobuf-es message, built by walking its descriptor: every
 * field is absent or a hostile/boundary value of its type (empty, huge, unicode, control
 * characters, negative, out-of-range enum numbers), and the ListFilter's JMESPath and field
 * paths come from a pool of invalid, deeply nested and expensive expressions. Known-good
 * values (`names`) are mixed in so that calls also get past the first check and reach the cloud.
 */

/** Options of {@link messageArbitrary}. */
export interface MessageArbitraryOptions {
  /** Names and ids that exist in the cloud (flavors, images, networks, ...), mixed into strings. */
  readonly names?: readonly string[];
  /** How deep nested messages go (deeper ones are absent). */
  readonly maxDepth?: number;
  /** Overrides per message type name (e.g. keep `oaktree.v1.Location` mostly valid). */
  readonly overrides?: Readonly<Record<string, fc.Arbitrary<unknown>>>;
}

/** Strings a hostile client sends. */
const HOSTILE_STRINGS = [
  "",
  " ",
  "\t\n",
  "\u0000",
  "\u0000name",
  "名前🌳",
  "\u202egnp.exe",
  "é".repeat(300),
  "x".repeat(70_000),
  "../../etc/passwd",
  "a/b?c=d#e",
  "%2F%00",
  "' OR 1=1 --",
  '{"json":true}',
  "-1",
  "0",
  "99999999999999999999",
  "NaN",
  "null",
  "__proto__",
  "constructor",
  "00000000-0000-0000-0000-000000000000",
  "10.0.0.1/8",
  "::1",
  "256.256.256.256",
];

/** JMESPath a hostile client sends: invalid, deeply nested, long, expensive. */
export const HOSTILE_JMESPATH = [
  "",
  "[?",
  "foo[",
  "status == ",
  "&&&",
  "`not json`",
  "[?status=='ACTIVE']",
  "name",
  "length(@)",
  "not_a_function(@)",
  `${"(".repeat(500)}name${")".repeat(500)}`,
  `${"[".repeat(2000)}`,
  "a".repeat(2001),
  Array.from({ length: 12 }, () => "[*]").join(""),
  "sort_by(@, &name)[*].[name, name, name, name][][][][]",
  `[?${Array.from({ length: 200 }, (_, i) => `name=='n${i}'`).join(" || ")}]`,
  "to_number(name)",
  "max_by(@, &to_number(id))",
];

const HOSTILE_FIELD_PATHS = [
  "name",
  "status",
  "",
  ".",
  "a.b.c.d.e.f.g",
  "__proto__",
  "constructor.prototype",
  "x".repeat(5000),
];

const INT32 = fc.oneof(fc.constantFrom(0, -1, 1, 2 ** 31 - 1, -(2 ** 31)), fc.integer());
const UINT32 = fc.oneof(fc.constantFrom(0, 1, 2 ** 32 - 1), fc.nat());
const INT64 = fc.oneof(
  fc.constantFrom(0n, -1n, 1n, 2n ** 63n - 1n, -(2n ** 63n), 86_400n * 365n * 1000n),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
);
const UINT64 = fc.oneof(fc.constantFrom(0n, 1n, 2n ** 64n - 1n), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
const DOUBLE = fc.oneof(
  fc.constantFrom(0, -0, -1, 1e308, -1e308, Number.NaN, Number.POSITIVE_INFINITY, 5e-324),
  fc.double(),
);

/** An arbitrary `MessageShape<D>` (a real message, made with `create`). */
export function messageArbitrary<D extends DescMessage>(
  schema: D,
  options: MessageArbitraryOptions = {},
): fc.Arbitrary<MessageShape<D>> {
  const strings = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
    ...(options.names?.length ? [{ weight: 4, arbitrary: fc.constantFrom(...options.names) }] : []),
  );
  const ctx: Walk = { strings, maxDepth: options.maxDepth ?? 3, overrides: options.overrides ?? {} };
  return messageInit(schema, ctx, 0).map((init) => create(schema, init as never));
}

interface Walk {
  readonly strings: fc.Arbitrary<string>;
  readonly maxDepth: number;
  readonly overrides: Readonly<Record<string, fc.Arbitrary<unknown>>>;
}

function messageInit(schema: DescMessage, walk: Walk, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const override = walk.overrides[schema.typeName];
  if (override) return override as fc.Arbitrary<Record<string, unknown>>;
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of schema.fields) {
    if (field.oneof) continue;
    const value = fieldValue(field, walk, depth);
    if (value) parts[field.localName] = fc.option(value, { nil: undefined, freq: 3 });
  }
  for (const oneof of schema.oneofs) {
    const cases = oneof.fields.flatMap((field) => {
      const value = fieldValue(field, walk, depth);
      return value ? [value.map((v) => ({ case: field.localName, value: v }))] : [];
    });
    if (cases.length > 0) parts[oneof.localName] = fc.option(fc.oneof(...cases), { nil: undefined, freq: 3 });
  }
  return fc.record(parts, { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>;
}

function fieldValue(field: DescField, walk: Walk, depth: number): fc.Arbitrary<unknown> | undefined {
  // ListFilter.jmespath and the 2017 Filter.jmespath; ListFilter.fields and Filter.filter.
  if (field.localName === "jmespath") return fc.oneof(fc.constantFrom(...HOSTILE_JMESPATH), walk.strings);
  const filterMap = field.fieldKind === "map" && /Filter$/.test(field.parent.typeName);
  switch (field.fieldKind) {
    case "scalar":
      return scalar(field.scalar, walk);
    case "enum":
      return enumNumber(field.enum.values.map((v) => v.number));
    case "message":
      return depth >= walk.maxDepth ? undefined : messageInit(field.message, walk, depth + 1);
    case "list": {
      const item =
        field.listKind === "scalar"
          ? scalar(field.scalar, walk)
          : field.listKind === "enum"
            ? enumNumber(field.enum.values.map((v) => v.number))
            : depth >= walk.maxDepth
              ? undefined
              : messageInit(field.message, walk, depth + 1);
      return item && fc.array(item, { maxLength: 4 });
    }
    case "map": {
      const value =
        field.mapKind === "scalar"
          ? scalar(field.scalar, walk)
          : field.mapKind === "enum"
            ? enumNumber(field.enum.values.map((v) => v.number))
            : depth >= walk.maxDepth
              ? undefined
              : messageInit(field.message, walk, depth + 1);
      if (!value) return undefined;
      const keys = filterMap ? fc.oneof(fc.constantFrom(...HOSTILE_FIELD_PATHS), walk.strings) : walk.strings;
      return fc.dictionary(keys, value, { maxKeys: 4 });
    }
  }
}

function enumNumber(known: readonly number[]): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: fc.constantFrom(-1, 99, 2 ** 31 - 1, -(2 ** 31)) },
  );
}

function scalar(type: ScalarType, walk: Walk): fc.Arbitrary<unknown> {
  switch (type) {
    case ScalarType.STRING:
      return walk.strings;
    case ScalarType.BOOL:
      return fc.boolean();
    case ScalarType.BYTES:
      return fc.uint8Array({ maxLength: 64 });
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return DOUBLE;
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return INT64;
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return UINT64;
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return UINT32;
    default:
      return INT32;
  }
}
