import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the test server saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
  /** Index of the socket it arrived on (0, 1, ...): equal indexes mean a reused connection. */
  readonly socket: number;
}

/** Answers one request; may write nothing and destroy the socket to simulate a reset. */
export type TestRoute = (req: SeenRequest, res: ServerResponse, raw: IncomingMessage) => unknown;

/** An in-process HTTP server on 127.0.0.1 and an ephemeral port, for transport and stack tests. */
export interface TestServer {
  readonly url: string;
  readonly requests: SeenRequest[];
  /** Sockets opened so far. */
  sockets(): number;
  /** Requests being handled right now, and the most seen at once. */
  readonly concurrency: { current: number; max: number };
  /** Replaces the handler for the following requests. */
  route(handler: TestRoute): void;
  close(): Promise<void>;
}

/** Starts a {@link TestServer}. Not exported from the package: tests only. */
export async function startTestServer(
  handler: TestRoute = (_req, res) => res.end("{}"),
): Promise<TestServer> {
  let current = handler;
  const requests: SeenRequest[] = [];
  const concurrency = { current: 0, max: 0 };
  const socketIds = new WeakMap<object, number>();
  let socketCount = 0;
  const server: Server = createServer(async (raw, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of raw) chunks.push(chunk as Buffer);
    const seen: SeenRequest = {
      method: raw.method ?? "",
      url: raw.url ?? "",
      headers: raw.headers,
      body: Buffer.concat(chunks).toString("utf8"),
      socket: socketIds.get(raw.socket) ?? -1,
    };
    requests.push(seen);
    concurrency.current++;
    concurrency.max = Math.max(concurrency.max, concurrency.current);
    res.on("close", () => {
      concurrency.current--;
    });
    try {
      await current(seen, res, raw);
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  });
  server.on("connection", (socket) => {
    socketIds.set(socket, socketCount++);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    concurrency,
    sockets: () => socketCount,
    route(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes a JSON response. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
