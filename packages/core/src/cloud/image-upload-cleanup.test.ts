import { describe, expect, it, vi } from "vitest";
import type { RequestOptions } from "../http/types.js";
import { FAKE_PROJECT, fakeCapabilities, fakeContext } from "../testing/fake-context.js";
import { scriptedClient } from "../testing/scripted-client.js";
import { createImage, ImageCreateError } from "./image-upload.js";

// A short grace, so that a cleanup that never ends is cut off quickly here.
vi.mock("./rollback.js", async (importOriginal) => ({
  ...(await importOriginal<typeof import("./rollback.js")>()),
  CLEANUP_GRACE_MS: 300,
}));

const ID = "11111111-2222-3333-4444-555555555555";

describe("createImage's cleanup", () => {
  it("is bounded by CLEANUP_GRACE_MS: a delete that never answers is aborted and named in the error", async () => {
    const scripted = scriptedClient(
      [
        { method: "GET", path: "/images", query: { name: "img" }, response: { images: [] } },
        {
          method: "POST",
          path: "/images",
          status: 201,
          response: { id: ID, name: "img", status: "queued", owner: FAKE_PROJECT.id, tags: [] },
        },
        { method: "PUT", path: `/images/${ID}/file`, status: 500, response: { message: "store full" } },
      ],
      { serviceType: "image", endpoint: "https://image.example/v2", version: "2" },
    );
    let deleteAborted = false;
    const image = {
      ...scripted,
      // glance never answers the DELETE: only the rollback's signal ends it.
      request: (options: RequestOptions) =>
        options.method === "DELETE"
          ? new Promise<never>((_, reject) =>
              options.signal?.addEventListener("abort", () => {
                deleteAborted = true;
                reject(options.signal?.reason);
              }),
            )
          : scripted.request(options),
    };
    const ctx = fakeContext({ clients: { image } });
    fakeCapabilities(ctx);
    const started = Date.now();
    const error = await createImage(ctx, { name: "img", data: new Uint8Array([1, 2, 3]) }).catch(
      (caught: unknown) => caught,
    );
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(ImageCreateError);
    expect((error as Error).message).toMatch(/store full .*; could not delete image 1111/);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(3_000);
    expect(deleteAborted).toBe(true);
    scripted.assertDone();
  }, 10_000);
});
