import { create } from "@bufbuild/protobuf";
import { ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { ListFilterSchema } from "../gen/oaktree/v1/common_pb.js";
import { FlavorSchema } from "../gen/oaktree/v1/flavor_pb.js";
import { LocationSchema } from "../gen/oaktree/v1/location_pb.js";
import { compileFilter } from "./filter.js";

const flavors = [
  create(FlavorSchema, {
    id: "1",
    name: "m1.tiny",
    ram: 512,
    location: create(LocationSchema, { cloud: "a" }),
  }),
  create(FlavorSchema, {
    id: "2",
    name: "m1.small",
    ram: 2048,
    location: create(LocationSchema, { cloud: "b" }),
  }),
];

describe("compileFilter", () => {
  it("keeps every message without a filter", () => {
    expect(compileFilter(FlavorSchema, undefined).apply(flavors)).toHaveLength(2);
  });

  it("compares fields by their proto names, dotted for nested ones, as text", () => {
    const filter = (fields: Record<string, string>) =>
      compileFilter(FlavorSchema, create(ListFilterSchema, { fields }))
        .apply(flavors)
        .map((f) => f.id);
    expect(filter({ name: "m1.small" })).toEqual(["2"]);
    expect(filter({ "location.cloud": "a" })).toEqual(["1"]);
    expect(filter({ ram: "512" })).toEqual(["1"]);
    expect(filter({ ram: "1" })).toEqual([]);
  });

  it("runs a JMESPath list expression over the list, and a predicate per message", () => {
    const run = (jmespath: string) =>
      compileFilter(FlavorSchema, create(ListFilterSchema, { jmespath }))
        .apply(flavors)
        .map((f) => f.id);
    expect(run("[?ram > `1024`]")).toEqual(["2"]);
    expect(run("ram > `1024`")).toEqual(["2"]);
    expect(
      compileFilter(FlavorSchema, create(ListFilterSchema, { jmespath: "name == 'm1.tiny'" })).matches(
        flavors[0]!,
      ),
    ).toBe(true);
  });

  it("compares 64-bit integers as numbers, also in nested messages (proto JSON writes them as strings)", async () => {
    const { ImageSchema } = await import("../gen/oaktree/v1/image_pb.js");
    const images = [create(ImageSchema, { id: "a", size: 5n }), create(ImageSchema, { id: "b", size: 50n })];
    const big = compileFilter(ImageSchema, create(ListFilterSchema, { jmespath: "[?size > `10`]" }));
    expect(big.apply(images).map((image) => image.id)).toEqual(["b"]);
    expect(
      compileFilter(ImageSchema, create(ListFilterSchema, { fields: { size: "5" } })).apply(images),
    ).toHaveLength(1);
  });

  it("refuses an invalid expression naming filter.jmespath", () => {
    try {
      compileFilter(FlavorSchema, create(ListFilterSchema, { jmespath: "[?name ==" }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConnectError);
      expect((error as ConnectError).message).toContain("filter.jmespath");
    }
  });
});
