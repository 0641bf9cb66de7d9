import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { ConnectionError } from "./errors.js";
import { sendJson, startTestServer, type TestServer } from "./test-server.js";
import { createTransport, type Transport } from "./transport.js";
import type { HttpRequest } from "./types.js";

let server: TestServer;
let transport: Transport;

// A fresh server per test, so that a request one test abandons (abort, reset) cannot be
// counted by the next (see stack.test.ts).
beforeAll(() => {
  transport = createTransport();
});
afterAll(async () => {
  await transport.close();
});
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

function get(path: string, extra: Partial<HttpRequest> = {}): HttpRequest {
  return { method: "GET", url: `${server.url}${path}`, headers: new Headers(), ...extra };
}

describe("createTransport", () => {
  it("reuses one keep-alive socket for sequential requests", async () => {
    server.route((_req, res) => sendJson(res, 200, { ok: true }));
    const before = server.sockets();
    for (let i = 0; i < 10; i++) await transport.handle(get("/x"));
    // undici's pool may open a second socket while the first is still finishing a response;
    // without keep-alive each of the ten requests would need its own.
    expect(server.sockets() - before).toBeLessThanOrEqual(2);
    expect(new Set(server.requests.map((r) => r.socket)).size).toBeLessThanOrEqual(2);
  });

  it("serializes JSON bodies and parses JSON responses once", async () => {
    server.route((req, res) =>
      sendJson(res, 201, { echo: JSON.parse(req.body) }, { "x-openstack-request-id": "req-1" }),
    );
    const response = await transport.handle({
      method: "POST",
      url: `${server.url}/servers`,
      headers: new Headers(),
      body: { kind: "json", value: { server: { name: "a" } } },
    });
    expect(server.requests[0]?.headers["content-type"]).toBe("application/json");
    expect(response.status).toBe(201);
    expect(response.requestId).toBe("req-1");
    expect(response.json()).toEqual({ echo: { server: { name: "a" } } });
    expect(response.json()).toBe(response.json());
    expect(response.text()).toBe('{"echo":{"server":{"name":"a"}}}');
  });

  it("falls back to x-compute-request-id and parses an empty body as undefined", async () => {
    server.route((_req, res) => {
      res.writeHead(204, { "x-compute-request-id": "req-c" });
      res.end();
    });
    const response = await transport.handle(get("/y"));
    expect(response.requestId).toBe("req-c");
    expect(response.json()).toBeUndefined();
    expect(response.bytes.length).toBe(0);
  });

  it("sends bytes and streams with their content type", async () => {
    server.route((req, res) => sendJson(res, 200, { got: req.body, type: req.headers["content-type"] }));
    const bytes = await transport.handle({
      method: "PUT",
      url: `${server.url}/file`,
      headers: new Headers(),
      body: { kind: "bytes", value: new TextEncoder().encode("abc") },
    });
    expect(bytes.json()).toEqual({ got: "abc", type: "application/octet-stream" });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("chunk1-"));
        controller.enqueue(new TextEncoder().encode("chunk2"));
        controller.close();
      },
    });
    const streamed = await transport.handle({
      method: "PUT",
      url: `${server.url}/file`,
      headers: new Headers(),
      body: { kind: "stream", value: stream, contentType: "application/x-qcow2" },
    });
    expect(streamed.json()).toEqual({ got: "chunk1-chunk2", type: "application/x-qcow2" });
  });

  it("maps a connection reset to ConnectionError", async () => {
    server.route((_req, _res, raw) => {
      raw.socket.destroy();
    });
    const error = await transport.handle(get("/reset")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).code).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
  });

  it("maps a refused connection to ConnectionError with ECONNREFUSED", async () => {
    const closed = await startTestServer();
    const url = closed.url;
    await closed.close();
    const error = await transport
      .handle({ method: "GET", url: `${url}/`, headers: new Headers() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).code).toBe("ECONNREFUSED");
    expect((error as ConnectionError).message).toContain("ECONNREFUSED");
  });

  it("rethrows the caller's abort reason", async () => {
    server.route(() => {
      // never answers
    });
    const controller = new AbortController();
    const pending = transport.handle(get("/hang", { signal: controller.signal }));
    setTimeout(() => controller.abort(new Error("stop")), 20);
    await expect(pending).rejects.toThrow("stop");
  });

  it("names the field when a TLS file cannot be read", () => {
    expect(() => createTransport({ tls: { verify: true, cacert: "/nonexistent/ca.pem" } })).toThrow(
      ValidationError,
    );
    expect(() => createTransport({ tls: { verify: true, cacert: "/nonexistent/ca.pem" } })).toThrow(
      /^cacert: /,
    );
  });
});
