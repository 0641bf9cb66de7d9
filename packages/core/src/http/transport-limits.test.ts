import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidResponseError } from "./errors.js";
import { startTestServer, type TestServer } from "./test-server.js";
import { createTransport, DEFAULT_MAX_RESPONSE_BYTES } from "./transport.js";

/** A response body without end must not take all the memory: the transport stops at a size. */
describe("transport: maxResponseBytes", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer((req, res) => {
      const size = Number(new URL(req.url, "http://x").searchParams.get("size"));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(`"${"x".repeat(size - 2)}"`);
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it("reads a body up to the limit and refuses a larger one with a typed InvalidResponseError", async () => {
    const transport = createTransport({ maxResponseBytes: 1024 * 1024 });
    try {
      const small = await transport.handle({
        method: "GET",
        url: `${server.url}/?size=${512 * 1024}`,
        headers: new Headers(),
      });
      expect(small.bytes.length).toBe(512 * 1024);
      const error = await transport
        .handle({ method: "GET", url: `${server.url}/?size=${3 * 1024 * 1024}`, headers: new Headers() })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect((error as Error).message).toContain("larger than 1048576 bytes");
    } finally {
      await transport.close();
    }
  });

  it("defaults to 256 MiB", () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(256 * 1024 * 1024);
  });
});
