import { describe, expect, it } from "vitest";
import { CLIENT_MAX_MICROVERSIONS, microversionHeaders, negotiateMicroversion } from "./microversions.js";

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
