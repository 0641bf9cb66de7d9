import { describe, expect, it } from "vitest";
import { fakeContext } from "../testing/fake-context.js";
import { Cloud } from "./cloud.js";

// The facade is read by people (editors, .d.ts) and called by the gRPC handlers: every call is a
// real method on the prototype with named parameters, never an instance arrow over `...args`.

const methods = Object.getOwnPropertyNames(Cloud.prototype).filter(
  (name) =>
    name !== "constructor" &&
    typeof Object.getOwnPropertyDescriptor(Cloud.prototype, name)?.value === "function",
);

describe("the Cloud facade's shape", () => {
  it("has its ~50 calls as prototype methods", () => {
    expect(methods.length).toBeGreaterThanOrEqual(50);
    for (const name of [
      "createServer",
      "deleteServer",
      "attachFloatingIp",
      "addRouterInterface",
      "waitForImage",
    ]) {
      expect(methods).toContain(name);
    }
  });

  it("holds no function-valued instance properties (each call is documented once, on the class)", () => {
    const cloud = new Cloud(fakeContext());
    const own = Object.entries(cloud).filter(([, value]) => typeof value === "function");
    expect(own.map(([name]) => name)).toEqual([]);
  });

  it("names its parameters (no rest parameters)", () => {
    for (const name of methods) {
      const source = String(Object.getOwnPropertyDescriptor(Cloud.prototype, name)?.value);
      const parameters = source.slice(source.indexOf("(") + 1, source.indexOf(")"));
      expect(parameters, name).not.toContain("...");
    }
  });
});
