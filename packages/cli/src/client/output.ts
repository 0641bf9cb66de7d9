import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import { type DescMessage, type MessageShape, toJson } from "@bufbuild/protobuf";
import { stringify } from "yaml";
import { UsageError } from "./errors.js";

/** `-f`: the output formats of the openstack CLI. */
export const OUTPUT_FORMATS = ["table", "json", "yaml", "value"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** `-f FORMAT` and `-c COLUMN` (repeatable). */
export interface OutputFlags {
  readonly format?: string;
  readonly column?: readonly string[];
}

/** One column of a list: its header, the proto field it shows, and how to print a message's cell. */
export interface Column<M> {
  /** As the openstack CLI titles it: "ID", "Name", "Status". */
  readonly header: string;
  /** The proto (JSON) field name, also accepted by `-c` and kept by `-f json -c`. */
  readonly field: string;
  readonly cell: (item: M) => string;
}

/** How a resource prints: its message type and the columns of its list. */
export interface ResourceView<Desc extends DescMessage> {
  readonly schema: Desc;
  readonly columns: readonly Column<MessageShape<Desc>>[];
}

/** A listed item and the cloud it came from (the CLOUD column of `--all-clouds`). */
export interface Listed<M> {
  readonly item: M;
  readonly cloud?: string;
}

/** The CLOUD column of `--all-clouds` tables. */
const cloudColumn: Column<Listed<unknown>> = {
  header: "Cloud",
  field: "location",
  cell: (l) => l.cloud ?? "",
};

/** Prints resources in the chosen format to a stream (stdout). */
export class Output {
  readonly format: OutputFormat;
  private readonly columns: readonly string[];

  constructor(
    flags: OutputFlags,
    private readonly stream: NodeJS.WritableStream & { readonly columns?: number } = process.stdout,
  ) {
    const format = flags.format ?? "table";
    if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`-f/--format: "${format}" is not one of ${OUTPUT_FORMATS.join(", ")}`);
    }
    this.format = format as OutputFormat;
    this.columns = flags.column ?? [];
  }

  /** A list: one row per item (with a CLOUD column first when `withCloud`). */
  list<Desc extends DescMessage>(
    view: ResourceView<Desc>,
    items: readonly Listed<MessageShape<Desc>>[],
    options: { readonly withCloud?: boolean } = {},
  ): void {
    type M = MessageShape<Desc>;
    const all: Column<Listed<M>>[] = [
      ...(options.withCloud ? [cloudColumn as Column<Listed<M>>] : []),
      ...view.columns.map((c) => ({ ...c, cell: (l: Listed<M>) => c.cell(l.item) })),
    ];
    const columns = this.select(all);
    if (this.format === "json" || this.format === "yaml") {
      const fields = this.columns.length > 0 ? new Set(columns.map((c) => c.field)) : undefined;
      this.structured(items.map((l) => pick(jsonOf(view.schema, l.item), fields)));
      return;
    }
    const rows = items.map((l) => columns.map((c) => c.cell(l)));
    if (this.format === "value") this.write(rows.map((row) => `${row.join(" ")}\n`).join(""));
    else
      this.write(
        renderTable(
          columns.map((c) => c.header),
          rows,
          this.width(),
        ),
      );
  }

  /** One resource: a Field/Value table of its proto JSON fields, or the JSON/YAML document. */
  show<Desc extends DescMessage>(schema: Desc, item: MessageShape<Desc>): void {
    const json = jsonOf(schema, item);
    const fields = this.columns.length > 0 ? this.selectFields(Object.keys(json)) : Object.keys(json);
    if (this.format === "json" || this.format === "yaml") {
      this.structured(pick(json, new Set(fields)));
      return;
    }
    const rows = fields.map((field) => [field, cellOf(json[field] ?? null)]);
    if (this.format === "value") this.write(rows.map(([, value]) => `${value}\n`).join(""));
    else this.write(renderTable(["Field", "Value"], rows, this.width()));
  }

  /** A short message for people (nothing in json/yaml/value, which scripts read). */
  note(text: string): void {
    if (this.format === "table") this.write(`${text}\n`);
  }

  private structured(value: JsonValue): void {
    this.write(this.format === "json" ? `${JSON.stringify(value, null, 2)}\n` : stringify(value));
  }

  /** The `-c` columns in the order given, matched by header or proto field, case-insensitive. */
  private select<C extends { readonly header: string; readonly field: string }>(all: readonly C[]): C[] {
    if (this.columns.length === 0) return [...all];
    return this.columns.map((wanted) => {
      const key = wanted.toLowerCase();
      const column = all.find((c) => c.header.toLowerCase() === key || c.field.toLowerCase() === key);
      if (!column) {
        throw new UsageError(
          `-c/--column: no column "${wanted}" (columns: ${all.map((c) => c.header).join(", ")})`,
        );
      }
      return column;
    });
  }

  private selectFields(fields: readonly string[]): string[] {
    return this.select(fields.map((field) => ({ header: field, field }))).map((c) => c.field);
  }

  private width(): number | undefined {
    return this.stream.columns && this.stream.columns > 0 ? this.stream.columns : undefined;
  }

  private write(text: string): void {
    this.stream.write(text);
  }
}

/** The proto JSON form with proto field names, every field present (stable keys for scripts). */
export function jsonOf<Desc extends DescMessage>(schema: Desc, item: MessageShape<Desc>): JsonObject {
  return toJson(schema, item, { useProtoFieldName: true, alwaysEmitImplicit: true }) as JsonObject;
}

function pick(json: JsonObject, fields: ReadonlySet<string> | undefined): JsonObject {
  if (!fields) return json;
  return Object.fromEntries(Object.entries(json).filter(([key]) => fields.has(key)));
}

/** A JSON value in one table cell: strings as they are, anything else as compact JSON. */
export function cellOf(value: JsonValue): string {
  if (typeof value === "string") return value;
  if (value === null) return "";
  return JSON.stringify(value);
}

/**
 * An openstack-CLI style table (+---+ borders). With `width`, the widest columns are narrowed
 * (their cells truncated with "…") until the table fits.
 */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  width?: number,
): string {
  const clean = rows.map((row) => row.map((cell) => cell.replace(/\s*\n\s*/g, " ")));
  const widths = headers.map((h, i) => Math.max(h.length, ...clean.map((row) => row[i]?.length ?? 0)));
  if (width !== undefined) fit(widths, width - (3 * headers.length + 1));
  const cut = (text: string, w: number) =>
    text.length <= w ? text.padEnd(w) : `${text.slice(0, Math.max(0, w - 1))}…`;
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => cut(c, widths[i] ?? 0)).join(" | ")} |\n`;
  const rule = `+${widths.map((w) => "-".repeat(w + 2)).join("+")}+\n`;
  return rule + line(headers) + rule + clean.map(line).join("") + (clean.length > 0 ? rule : "");
}

/** Narrows the widest column one character at a time until the total fits (never below 4). */
function fit(widths: number[], room: number): void {
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > room) {
    const widest = widths.indexOf(Math.max(...widths));
    if ((widths[widest] ?? 0) <= 4) return;
    widths[widest] = (widths[widest] ?? 0) - 1;
    total -= 1;
  }
}
