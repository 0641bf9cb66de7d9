import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { AmbiguousNameError, applyFilters, pickOne } from "./find.js";

const flavors = [
  { id: "1", name: "m1.tiny", ram: 512, location: { zone: "a" } },
  { id: "2", name: "m1.small", ram: 2048, location: { zone: "b" } },
  { id: "3", name: "dup", ram: 4096, location: { zone: "a" } },
  { id: "4", name: "dup", ram: 8192, location: { zone: "b" } },
];

describe("pickOne", () => {
  it("finds by id before name", () => {
    expect(
      pickOne(
        "flavor",
        [...flavors, { id: "m1.tiny", name: "x", ram: 1, location: { zone: "a" } }],
        "m1.tiny",
      )?.id,
    ).toBe("m1.tiny");
    expect(pickOne("flavor", flavors, "m1.small")?.id).toBe("2");
    expect(pickOne("flavor", flavors, "nope")).toBeUndefined();
  });

  it("lists every match of an ambiguous name", () => {
    expect(() => pickOne("flavor", flavors, "dup")).toThrow(AmbiguousNameError);
    expect(() => pickOne("flavor", flavors, "dup")).toThrow(
      'flavor "dup" is ambiguous: 2 match (3, 4); use an id',
    );
  });

  it("narrows with filters before deciding", () => {
    expect(pickOne("flavor", flavors, "dup", { location: { zone: "b" } })?.id).toBe("4");
    expect(pickOne("flavor", flavors, "dup", "ram > `5000`")?.id).toBe("4");
  });
});

describe("applyFilters", () => {
  it("accepts nested equality filters and JMESPath", () => {
    expect(applyFilters(flavors, { location: { zone: "a" } }).map((f) => f.id)).toEqual(["1", "3"]);
    expect(applyFilters(flavors, "ram >= `2048` && location.zone == 'b'").map((f) => f.id)).toEqual([
      "2",
      "4",
    ]);
  });

  it("names the field of a bad expression", () => {
    expect(() => applyFilters(flavors, "ram >=")).toThrow(ValidationError);
    expect(() => applyFilters(flavors, "ram >=")).toThrow(/^filters: invalid JMESPath expression/);
  });
});
