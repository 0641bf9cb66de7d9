import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimCloud, startSimCloud } from "./sim-cloud.js";

describe("startSimCloud", () => {
  let cloud: SimCloud;
  beforeAll(async () => {
    cloud = await startSimCloud("kilo");
  });
  afterAll(async () => {
    await cloud.close();
  });

  it("builds a context scoped to the simulator's demo project", async () => {
    const scope = await cloud.ctx.scope();
    expect(scope).toMatch(/^sim\/RegionOne\/[0-9a-f]+$/);
    const compute = await cloud.ctx.client("compute");
    expect(compute.endpoint.startsWith(cloud.sim.url)).toBe(true);
  });

  it("opens further contexts, e.g. as admin", async () => {
    const admin = await cloud.context({ cloud: "sim-admin" });
    expect(await admin.scope()).not.toBe(await cloud.ctx.scope());
  });
});
