import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { FlavorSchema } from "./api.js";
import { flavorView } from "./commands/flavor.js";
import { Output, renderTable } from "./output.js";

/** An Output writing into a string, `columns` wide (undefined: not a terminal). */
function capture(flags: { format?: string; column?: string[] }, columns?: number) {
  let text = "";
  const stream = {
    columns,
    write: (chunk: string) => {
      text += chunk;
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { output: new Output(flags, stream), text: () => text };
}

const tiny = create(FlavorSchema, { id: "1", name: "m1.tiny", vcpus: 1, ram: 512, disk: 1, isPublic: true });
const long = create(FlavorSchema, {
  id: "x".repeat(60),
  name: "a-very-long-flavor-name-".repeat(4),
  vcpus: 8,
});

describe("Output", () => {
  it("a table fits the terminal's width: the widest cells are cut with …", () => {
    const { output, text } = capture({}, 80);
    output.list(flavorView, [{ item: tiny }, { item: long }]);
    const lines = text().trimEnd().split("\n");
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(text()).toContain("…");
    expect(text()).toContain("| m1.tiny");
  });

  it("not a terminal: no width limit, nothing cut", () => {
    const { output, text } = capture({});
    output.list(flavorView, [{ item: long }]);
    expect(text()).toContain(long.name);
    expect(text()).not.toContain("…");
  });

  it("-f json and -f yaml are the proto JSON form (proto field names), -c keeps those fields", () => {
    const json = capture({ format: "json", column: ["Name", "is_public"] });
    json.output.list(flavorView, [{ item: tiny }]);
    expect(JSON.parse(json.text())).toEqual([{ name: "m1.tiny", is_public: true }]);
    const yaml = capture({ format: "yaml" });
    yaml.output.show(FlavorSchema, tiny);
    expect(parse(yaml.text())).toMatchObject({
      name: "m1.tiny",
      vcpus: 1,
      ram: 512,
      rxtx_factor: 0,
      extra_specs: {},
    });
  });

  it("-f value: the cells separated by spaces, in -c's order", () => {
    const { output, text } = capture({ format: "value", column: ["vcpus", "NAME"] });
    output.list(flavorView, [{ item: tiny }], { withCloud: false });
    expect(text()).toBe("1 m1.tiny\n");
  });

  it("an unknown -c or -f names the flag and what exists", () => {
    expect(() => capture({ column: ["Colour"] }).output.list(flavorView, [])).toThrow(
      '-c/--column: no column "Colour" (columns: ID, Name, RAM, Disk, Ephemeral, VCPUs, Is Public)',
    );
    expect(() => capture({ format: "csv" })).toThrow(
      '-f/--format: "csv" is not one of table, json, yaml, value',
    );
  });

  it("renderTable: openstack-style borders", () => {
    expect(renderTable(["A", "Bee"], [["1", "two"]])).toBe(
      "+---+-----+\n| A | Bee |\n+---+-----+\n| 1 | two |\n+---+-----+\n",
    );
  });
});
