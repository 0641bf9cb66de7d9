import { connect as http2Connect } from "node:http2";
import { connect as netConnect, type Socket } from "node:net";
import { create, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlavorService } from "../../packages/server/src/gen/oaktree/v1/flavor_pb.js";
import { WatchServersRequestSchema } from "../../packages/server/src/gen/oaktree/v1/server_pb.js";
import { type SimServe, startSimServe } from "../../packages/server/src/testing/sim-serve.js";

/**
 * Malformed and hostile input on the wire, on both real listeners (127.0.0.1): oversized
 * messages, truncated frames, wrong content types, HTTP/1.1 on the gRPC port, idle and
 * half-sent connections (slowloris), 10,000 streams opened and dropped. After each, the
 * server still answers another client normally. The `limits:` are small so the test is quick.
 */

const LIMITS = {
  max_receive_message_bytes: 64 * 1024,
  idle_timeout_ms: 1500,
  headers_timeout_ms: 1000,
  request_timeout_ms: 8000,
};

let s: SimServe;
let grpcUrl: string;
let httpUrl: string;

beforeAll(async () => {
  s = await startSimServe({ file: { limits: LIMITS }, flags: { logLevel: "error" } });
  grpcUrl = `http://${s.server.grpcAddress}`;
  httpUrl = s.server.httpUrl as string;
});

afterAll(async () => {
  await s?.close();
});

/** A fresh client on each listener lists flavors: the server is up and serving. */
async function stillServes(): Promise<void> {
  const grpc = createClient(FlavorService, createGrpcTransport({ baseUrl: grpcUrl }));
  expect((await grpc.listFlavors({}, { timeoutMs: 10_000 })).flavors.length).toBeGreaterThan(0);
  const json = createClient(FlavorService, createConnectTransport({ baseUrl: httpUrl, httpVersion: "1.1" }));
  expect((await json.listFlavors({}, { timeoutMs: 10_000 })).flavors.length).toBeGreaterThan(0);
}

/** Opens a raw TCP connection, writes `bytes`, and resolves when the server closes it (ms). */
function closedAfter(
  port: number,
  bytes: string | Buffer,
  boundMs: number,
): Promise<{ ms: number; data: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let data = "";
    const socket: Socket = netConnect(port, "127.0.0.1", () => {
      if (bytes.length > 0) socket.write(bytes);
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open past ${boundMs} ms`));
    }, boundMs);
    socket.on("data", (chunk) => {
      data += chunk.toString("latin1");
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - started, data });
    });
  });
}

/** Retries `check` until it passes or `withinMs` passed (then its last failure is thrown). */
async function eventually(check: () => Promise<void>, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

const portOf = (address: string) => Number(address.slice(address.lastIndexOf(":") + 1));

/** One gRPC message frame: flag 0, 4-byte big-endian length, the bytes. */
function frame(message: Uint8Array, claimedLength = message.length): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(claimedLength, 1);
  return Buffer.concat([header, message]);
}

/** A raw HTTP/2 request on the gRPC port; resolves with the status and grpc-status. */
function rawGrpc(
  path: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ status?: number; grpcStatus?: string }> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(grpcUrl);
    session.on("error", reject);
    const stream = session.request({ ":method": "POST", ":path": path, te: "trailers", ...headers });
    const result: { status?: number; grpcStatus?: string } = {};
    stream.on("response", (h) => {
      result.status = h[":status"] as number;
      if (h["grpc-status"] !== undefined) result.grpcStatus = String(h["grpc-status"]);
    });
    stream.on("trailers", (t) => {
      if (t["grpc-status"] !== undefined) result.grpcStatus = String(t["grpc-status"]);
    });
    stream.on("data", () => undefined);
    stream.on("close", () => {
      session.close();
      resolve(result);
    });
    stream.on("error", () => undefined);
    stream.end(body);
  });
}

describe("the gRPC listener under malformed input", () => {
  it("a message over limits.max_receive_message_bytes is RESOURCE_EXHAUSTED", async () => {
    const grpc = createClient(FlavorService, createGrpcTransport({ baseUrl: grpcUrl }));
    const error = await grpc.listFlavors({ location: { cloud: "x".repeat(100_000) } }).catch((e) => e);
    expect(ConnectError.from(error).code).toBe(Code.ResourceExhausted);
    await stillServes();
  });

  it("a truncated frame (length says 100, 3 bytes follow, stream ends) is an error status, not a crash", async () => {
    const result = await rawGrpc(
      "/oaktree.v1.FlavorService/ListFlavors",
      { "content-type": "application/grpc" },
      frame(new Uint8Array([1, 2, 3]), 100),
    );
    expect(result.grpcStatus).toBeDefined();
    expect(result.grpcStatus).not.toBe("0");
    await stillServes();
  });

  it("garbage protobuf in a well-formed frame is an error status", async () => {
    const result = await rawGrpc(
      "/oaktree.v1.FlavorService/ListFlavors",
      { "content-type": "application/grpc" },
      frame(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])),
    );
    expect(result.grpcStatus).not.toBe("0");
    await stillServes();
  });

  it("a wrong content type is refused (415 or a gRPC error)", async () => {
    const result = await rawGrpc(
      "/oaktree.v1.FlavorService/ListFlavors",
      { "content-type": "text/plain" },
      Buffer.from("hello"),
    );
    expect(result.status === 415 || (result.grpcStatus !== undefined && result.grpcStatus !== "0")).toBe(
      true,
    );
    await stillServes();
  });

  it("HTTP/1.1 on the gRPC port is closed", async () => {
    const { data } = await closedAfter(
      portOf(s.server.grpcAddress),
      "GET /oaktree.v1.FlavorService/ListFlavors HTTP/1.1\r\nHost: x\r\n\r\n",
      10_000,
    );
    expect(data).not.toContain("200 OK");
    await stillServes();
  });

  it("a connection that never sends a byte (slowloris) is closed after limits.idle_timeout_ms", async () => {
    const { ms } = await closedAfter(portOf(s.server.grpcAddress), "", LIMITS.idle_timeout_ms + 8000);
    expect(ms).toBeGreaterThanOrEqual(LIMITS.idle_timeout_ms - 200);
    await stillServes();
  });

  it("10,000 streams opened and dropped (10 connections x 1,000 WatchServers) leave the server serving", async () => {
    const body = frame(toBinary(WatchServersRequestSchema, create(WatchServersRequestSchema, {})));
    const sessions = Array.from({ length: 10 }, () => http2Connect(grpcUrl));
    let opened = 0;
    await Promise.all(
      sessions.map(async (session) => {
        session.on("error", () => undefined);
        await new Promise<void>((resolve) => session.once("connect", () => resolve()));
        const streams = Array.from({ length: 1000 }, () => {
          const stream = session.request({
            ":method": "POST",
            ":path": "/oaktree.v1.ServerService/WatchServers",
            "content-type": "application/grpc",
            te: "trailers",
          });
          stream.on("error", () => undefined);
          stream.on("data", () => undefined);
          stream.write(body);
          opened += 1;
          return stream;
        });
        // Let the server start them, then drop every one (RST_STREAM) and the connection.
        await new Promise((resolve) => setTimeout(resolve, 300));
        for (const stream of streams) stream.close();
        session.destroy();
      }),
    );
    expect(opened).toBe(10_000);
    // The server works through 10,000 call starts and cancels first (seconds on a busy 2-core
    // machine); a client may meet REFUSED_STREAM meanwhile, which gRPC clients retry.
    const started = performance.now();
    await eventually(stillServes, 30_000);
    console.log(
      `served again ${Math.round(performance.now() - started)} ms after 10,000 streams were dropped`,
    );
    // Every dropped call ended on the server: none is left in flight.
    await eventually(async () => expect(s.server.calls.count("stream")).toBe(0), 15_000);
  }, 60_000);
});

describe("the HTTP listener under malformed input", () => {
  it("a message over limits.max_receive_message_bytes is RESOURCE_EXHAUSTED", async () => {
    const response = await fetch(`${httpUrl}/oaktree.v1.FlavorService/ListFlavors`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ location: { cloud: "x".repeat(100_000) } }),
    });
    const answer = (await response.json()) as { code?: string };
    expect(answer.code).toBe("resource_exhausted");
    await stillServes();
  });

  it("truncated JSON and a wrong content type are errors naming the problem, not crashes", async () => {
    const truncated = await fetch(`${httpUrl}/oaktree.v1.FlavorService/ListFlavors`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"location": {"cloud": "si',
    });
    expect(truncated.status).toBeGreaterThanOrEqual(400);
    expect(truncated.status).toBeLessThan(500);
    const wrongType = await fetch(`${httpUrl}/oaktree.v1.FlavorService/ListFlavors`, {
      method: "POST",
      headers: { "content-type": "text/html" },
      body: "<html></html>",
    });
    expect(wrongType.status).toBe(415);
    await stillServes();
  });

  it("headers sent half and never finished (slowloris) are cut after limits.headers_timeout_ms", async () => {
    const port = Number(new URL(httpUrl).port);
    const { ms, data } = await closedAfter(
      port,
      "POST /oaktree.v1.FlavorService/ListFlavors HTTP/1.1\r\nHost: x\r\n",
      10_000,
    );
    expect(ms).toBeGreaterThanOrEqual(LIMITS.headers_timeout_ms - 200);
    // Cut by the headers timeout (checked every second), well before request_timeout_ms.
    expect(ms).toBeLessThan(LIMITS.headers_timeout_ms + 4000);
    expect(data).toContain("408");
    await stillServes();
  });

  it("an idle keep-alive connection is closed after limits.idle_timeout_ms", async () => {
    const port = Number(new URL(httpUrl).port);
    const { ms, data } = await closedAfter(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 10_000);
    expect(data).toContain("200 OK");
    expect(ms).toBeGreaterThanOrEqual(LIMITS.idle_timeout_ms - 200);
    await stillServes();
  });
});
