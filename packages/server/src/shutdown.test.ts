import { describe, expect, it } from "vitest";
import { CallTracker } from "./shutdown.js";

describe("CallTracker", () => {
  it("takes any number of calls in flight without a MaxListenersExceededWarning", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const tracker = new CallTracker();
      for (let i = 0; i < 50; i++) {
        tracker.signalFor("stream").addEventListener("abort", () => undefined);
        tracker.signalFor("unary").addEventListener("abort", () => undefined);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
  });
});
