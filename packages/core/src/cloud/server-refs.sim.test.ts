import { afterEach, describe, expect, it } from "vitest";
import { createVolume } from "../services/block-storage/v3/volumes/requests.js";
import { createServerGroup } from "../services/compute/v2/server-groups/requests.js";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import { AmbiguousNameError, ResourceNotFoundError } from "./find.js";
import { resolveServerGroupId, resolveVolumeId } from "./server-refs.js";

let cloud: SimCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

describe("server refs: volumes and server groups by name or id", () => {
  it("a volume resolves by id and by name; a shared name is ambiguous, an unknown one not found", async () => {
    cloud = await startSimCloud("modern");
    const cinder = await cloud.ctx.client("block-storage");
    const data = await createVolume(cinder, { size: 1, name: "data" });
    await createVolume(cinder, { size: 1, name: "twin" });
    await createVolume(cinder, { size: 1, name: "twin" });
    expect(await resolveVolumeId(cloud.ctx, data.id)).toBe(data.id);
    expect(await resolveVolumeId(cloud.ctx, "data")).toBe(data.id);
    await expect(resolveVolumeId(cloud.ctx, "twin")).rejects.toBeInstanceOf(AmbiguousNameError);
    await expect(resolveVolumeId(cloud.ctx, "nothing")).rejects.toBeInstanceOf(ResourceNotFoundError);
  }, 20_000);

  it.each(["modern", "kilo"] as const)(
    "%s: a server group resolves by id and by name",
    async (profile) => {
      cloud = await startSimCloud(profile);
      const compute = await cloud.ctx.client("compute");
      const group = await createServerGroup(compute, { name: "spread", policy: "anti-affinity" });
      await createServerGroup(compute, { name: "other", policy: "affinity" });
      expect(await resolveServerGroupId(cloud.ctx, group.id)).toBe(group.id);
      expect(await resolveServerGroupId(cloud.ctx, "spread")).toBe(group.id);
      await expect(resolveServerGroupId(cloud.ctx, "nothing")).rejects.toThrow(/server group.*nothing/);
    },
    20_000,
  );
});
