import { describe, expect, it } from "vitest";
import { NotSupportedError } from "../errors.js";
import {
  CLIENT_MAX_MICROVERSIONS,
  checkMicroversion,
  compareMicroversions,
  microversionHeaders,
  negotiateMicroversion,
} from "./microversions.js";

describe("compareMicroversions", () => {
  it("compares numerically, not as strings", () => {
    expect(compareMicroversions("2.9", "2.10")).toBeLessThan(0);
    expect(compareMicroversions("2.93", "2.93")).toBe(0);
    expect(compareMicroversions("3.0", "2.99")).toBeGreaterThan(0);
    expect(() => compareMicroversions("2", "2.1")).toThrow(NotSupportedError);
  });
});

describe("negotiateMicroversion", () => {
  it("caps the server's max at what oaktree knows", () => {
    expect(negotiateMicroversion("compute", { min: "2.1", max: "2.104" })).toEqual({
      range: { min: "2.1", max: CLIENT_MAX_MICROVERSIONS.compute },
      default: CLIENT_MAX_MICROVERSIONS.compute,
    });
  });

  it("uses the server's max when it is older (a Kilo nova at 2.3)", () => {
    expect(negotiateMicroversion("compute", { min: "2.1", max: "2.3" })).toEqual({
      range: { min: "2.1", max: "2.3" },
      default: "2.3",
    });
    expect(negotiateMicroversion("block-storage", { min: "3.0", max: "3.0" })?.default).toBe("3.0");
    expect(negotiateMicroversion("placement", { min: "1.0", max: "1.17" })?.default).toBe("1.17");
  });

  it("has nothing to negotiate without a server range or a client max", () => {
    expect(negotiateMicroversion("compute", undefined)).toBeUndefined();
    expect(negotiateMicroversion("image", { min: "2.0", max: "2.9" })).toBeUndefined();
  });

  it("refuses a server whose minimum is above what oaktree knows", () => {
    expect(() => negotiateMicroversion("compute", { min: "2.95", max: "2.99" }, "2.93")).toThrow(
      /requires microversion 2.95 or newer/,
    );
  });
});

describe("checkMicroversion", () => {
  const range = { min: "2.1", max: "2.60" };
  it("accepts versions in the range and resolves latest", () => {
    expect(checkMicroversion("compute", "2.1", range)).toBe("2.1");
    expect(checkMicroversion("compute", "2.60", range)).toBe("2.60");
    expect(checkMicroversion("compute", "latest", range)).toBe("2.60");
  });

  it("fails outside the range, and where there are no microversions", () => {
    expect(() => checkMicroversion("compute", "2.61", range)).toThrow(NotSupportedError);
    expect(() => checkMicroversion("compute", "2.0", range)).toThrow(/2.1 to 2.60/);
    expect(() => checkMicroversion("image", "2.1", undefined)).toThrow(/offers no microversions/);
  });
});

describe("microversionHeaders", () => {
  it.each([
    ["compute", "2.37", { "X-OpenStack-Nova-API-Version": "2.37", "OpenStack-API-Version": "compute 2.37" }],
    ["block-storage", "3.44", { "OpenStack-API-Version": "volume 3.44" }],
    ["placement", "1.17", { "OpenStack-API-Version": "placement 1.17" }],
    ["baremetal", "1.33", { "X-OpenStack-Ironic-API-Version": "1.33" }],
    ["shared-file-system", "2.58", { "X-OpenStack-Manila-API-Version": "2.58" }],
    ["accelerator", "2.0", { "OpenStack-API-Version": "accelerator 2.0" }],
  ])("%s %s", (service, version, headers) => {
    expect(microversionHeaders(service, version)).toEqual(headers);
  });
});
