import { afterEach, describe, expect, it } from "vitest";
import { createMemoryBackend } from "../state/index.js";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import { createImage, ImageCreateError } from "./image-upload.js";

let cloud: SimCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

const data = (text: string) => new TextEncoder().encode(text);

/** The image-service routes of the requests since `from` in the simulator's log. */
function imageRoutes(sim: SimCloud, from: number): string[] {
  return sim.sim.admin
    .log()
    .slice(from)
    .filter((entry) => entry.service === "image" && entry.method !== "GET")
    .map((entry) => entry.route);
}

describe("createImage's learned upload method lives in the context's state backend", () => {
  it("a context sharing the backend uses the method another learned; one with its own backend does not", async () => {
    cloud = await startSimCloud("modern");
    const backend = createMemoryBackend();
    const [first, sharing, own] = [
      await cloud.context({ cloudOptions: { backend } }),
      await cloud.context({ cloudOptions: { backend } }),
      await cloud.context(),
    ];
    // The cloud refuses v2 PUT once: the first context falls back to v2-import and learns it.
    cloud.sim.admin.addFault({
      service: "image",
      route: "PUT /images/{image_id}/file",
      status: 403,
      times: 1,
    });
    expect((await createImage(first, { name: "a", data: data("a") })).method).toBe("v2-import");

    let mark = cloud.sim.admin.log().length;
    expect((await createImage(sharing, { name: "b", data: data("b") })).method).toBe("v2-import");
    expect(imageRoutes(cloud, mark)).not.toContain("PUT /images/{image_id}/file");

    mark = cloud.sim.admin.log().length;
    expect((await createImage(own, { name: "c", data: data("c") })).method).toBe("v2-put");
    expect(imageRoutes(cloud, mark)).toContain("PUT /images/{image_id}/file");
  }, 30_000);
});

describe("createImage's wait", () => {
  it("a wait that ends because the cloud cannot be read says why, and the image is deleted", async () => {
    cloud = await startSimCloud("modern");
    await cloud.ctx.normalizeContext();
    // The name lookup before the upload goes through; every listing after it fails.
    cloud.sim.admin.addFault({
      service: "image",
      route: "GET /images",
      statuses: [0, ...Array<number>(20).fill(500)],
      message: "glance registry unreachable",
    });
    const error = await createImage(cloud.ctx, {
      name: "blind",
      data: data("blind"),
      timeoutMs: 10_000,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImageCreateError);
    expect((error as Error).message).toMatch(
      /could not be read \(.*glance registry unreachable.*\) instead of active/,
    );
    const imageId = (error as ImageCreateError).imageId;
    expect(imageId).toBeDefined();
    expect(cloud.sim.admin.state.world.images.has(imageId!)).toBe(false);
  }, 30_000);
});
