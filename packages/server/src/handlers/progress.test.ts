import { describe, expect, it } from "vitest";
import { reportsThenResult } from "./progress.js";

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

describe("reportsThenResult", () => {
  it("yields each report in order, reports made together included, then the result", async () => {
    const steps = await collect(
      reportsThenResult<string, number>(async (report) => {
        report("a");
        report("b");
        await new Promise((resolve) => setTimeout(resolve, 5));
        report("c");
        return 42;
      }),
    );
    expect(steps).toEqual([{ progress: "a" }, { progress: "b" }, { progress: "c" }, { result: 42 }]);
  });

  it("throws the call's error after the reports made before it", async () => {
    const seen: unknown[] = [];
    const run = reportsThenResult<string, number>(async (report) => {
      report("started");
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error("cloud said no");
    });
    await expect(
      (async () => {
        for await (const step of run) seen.push(step);
      })(),
    ).rejects.toThrow("cloud said no");
    expect(seen).toEqual([{ progress: "started" }]);
  });
});
