import { afterEach, describe, expect, it } from "vitest";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";

let cloud: SimCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

describe("the rate limit, seen from the cloud", () => {
  it("holds clouds.yaml's rate_limit: no second of arrivals at the simulator exceeds burst + rate", async () => {
    const rate = 20;
    cloud = await startSimCloud("modern", { overrides: { rate_limit: { compute: rate } } });
    const compute = await cloud.ctx.client("compute");
    cloud.sim.admin.reset();
    const started = Date.now();
    await Promise.all(Array.from({ length: 60 }, () => compute.request({ method: "GET", path: "/flavors" })));
    const elapsed = Date.now() - started;
    const arrivals = cloud.sim.admin
      .log()
      .filter((entry) => entry.service === "compute")
      .map((entry) => entry.at)
      .sort((a, b) => a - b);
    expect(arrivals).toHaveLength(60);
    // Count arrivals in every one-second window that starts at an arrival.
    const busiest = Math.max(
      ...arrivals.map((at) => arrivals.filter((t) => t >= at && t < at + 1000).length),
    );
    const burst = Math.max(1, rate); // the memory limiter's default burst is one second's worth
    expect(busiest).toBeLessThanOrEqual(burst + rate);
    // A lower bound on time is safe against a slow machine: 60 requests cannot pass in under
    // (60 - burst) / rate seconds.
    expect(elapsed).toBeGreaterThanOrEqual(((60 - burst) / rate) * 1000 - 50);
  }, 30_000);
});
