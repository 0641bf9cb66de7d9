import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import {
  compact,
  type QueryNames,
  queryOf,
  requireId,
  requirePositiveInteger,
  requireTime,
} from "./query.js";

interface Options {
  readonly name?: string;
  readonly changesSince?: Date | string;
  readonly status?: readonly string[];
  readonly tags?: readonly string[];
  readonly device?: string | null;
  readonly limit?: number;
}

const NAMES: QueryNames<Options> = {
  name: "name",
  changesSince: "changes-since",
  status: "status",
  tags: { name: "tags", join: "," },
  device: "device_id",
  limit: "limit",
};

describe("queryOf", () => {
  it("maps names, drops undefined, formats dates, repeats or joins arrays, sends null as empty", () => {
    const query = queryOf(
      {
        name: "web",
        changesSince: new Date("2026-01-02T03:04:05Z"),
        status: ["ACTIVE", "ERROR"],
        tags: ["a", "b"],
        device: null,
        limit: undefined,
      },
      NAMES,
    );
    expect(query).toEqual({
      name: "web",
      "changes-since": "2026-01-02T03:04:05.000Z",
      status: ["ACTIVE", "ERROR"],
      tags: "a,b",
      device_id: "",
    });
  });

  it("rejects an option missing from the table, naming it", () => {
    const loose = { bogus: 1 } as unknown as Options;
    expect(() => queryOf(loose, NAMES)).toThrow(ValidationError);
    expect(() => queryOf(loose, NAMES)).toThrow(/bogus/);
  });
});

describe("input checks", () => {
  it("name the field", () => {
    expect(() => requireId("serverId", " ")).toThrow(/serverId/);
    expect(() => requirePositiveInteger("limit", 0)).toThrow(/limit/);
    expect(() => requireTime("changesSince", "yesterday")).toThrow(/changesSince/);
    expect(requireId("id", "abc")).toBe("abc");
    expect(() => requirePositiveInteger("limit", undefined)).not.toThrow();
  });

  it("compact drops only undefined fields", () => {
    expect(compact({ a: 1, b: undefined, c: null, d: "" })).toEqual({ a: 1, c: null, d: "" });
  });
});
