import { describe, expect, it } from "vitest";
import { NotSupportedError, ValidationError } from "../errors.js";
import {
  checkGate,
  compareMicroversions,
  parseMicroversion,
  requireMicroversion,
  requireMicroversionBelow,
  supportsMicroversion,
} from "./microversion.js";

describe("compareMicroversions", () => {
  it("orders numerically, not lexically", () => {
    expect(compareMicroversions("2.4", "2.37")).toBeLessThan(0);
    expect(compareMicroversions("2.37", "2.4")).toBeGreaterThan(0);
    expect(compareMicroversions("2.37", "2.37")).toBe(0);
    expect(compareMicroversions("3.0", "2.99")).toBeGreaterThan(0);
  });
  it("rejects what is not X.Y", () => {
    expect(() => parseMicroversion("latest")).toThrow(ValidationError);
    expect(() => compareMicroversions("2", "2.1")).toThrow(/"2" is not of the form X.Y/);
    expect(parseMicroversion(" 2.10 ")).toEqual([2, 10]);
  });
});

describe("gates", () => {
  const compute = (microversion?: string) => ({ serviceType: "compute", microversion });
  it("since: passes at or above, fails below with the version named", () => {
    expect(() => requireMicroversion(compute("2.37"), "2.37", 'networks "auto"')).not.toThrow();
    expect(() => requireMicroversion(compute("2.90"), "2.37", 'networks "auto"')).not.toThrow();
    expect(() => requireMicroversion(compute("2.36"), "2.37", 'networks "auto"')).toThrow(NotSupportedError);
    expect(() => requireMicroversion(compute("2.36"), "2.37", 'networks "auto"')).toThrow(
      'networks "auto" needs compute microversion 2.37 or later; this cloud offers 2.36',
    );
    expect(supportsMicroversion(compute(), "2.1")).toBe(false);
    expect(() => requireMicroversion(compute(), "2.1", "x")).toThrow(/offers no microversions/);
  });
  it("until: passes below, fails at or above, passes without microversions", () => {
    expect(() => requireMicroversionBelow(compute("2.43"), "2.44", "addFloatingIp")).not.toThrow();
    expect(() => requireMicroversionBelow(compute(), "2.44", "addFloatingIp")).not.toThrow();
    expect(() => requireMicroversionBelow(compute("2.44"), "2.44", "addFloatingIp")).toThrow(
      "addFloatingIp was removed in compute microversion 2.44; this client negotiated 2.44",
    );
  });
  it("checkGate checks both ends", () => {
    const gate = { since: "2.10", until: "2.20" };
    expect(() => checkGate(compute("2.15"), gate, "f")).not.toThrow();
    expect(() => checkGate(compute("2.9"), gate, "f")).toThrow(NotSupportedError);
    expect(() => checkGate(compute("2.20"), gate, "f")).toThrow(NotSupportedError);
  });
});
