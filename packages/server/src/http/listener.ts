import { createServer as createHttp1Server, type IncomingMessage, type ServerResponse } from "node:http";
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from "node:http2";
import type { AddressInfo } from "node:net";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { ServiceHandlers } from "../handlers/index.js";
import { DEFAULT_LIMITS, type ListenerLimits } from "../limits.js";
import type { ServerMetrics } from "../metrics.js";
import { type ConsoleAssets, serveConsoleAsset } from "./console-assets.js";

/** TLS material, read already (PEM). */
export interface TlsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** Client certificates must chain to this CA (mTLS). */
  readonly clientCa?: Buffer;
}

/** Options of {@link listenHttp}. */
export interface HttpListenerOptions {
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
  readonly services: readonly ServiceHandlers[];
  readonly metrics: ServerMetrics;
  /** Whether the server is serving (`/healthz` answers 503 otherwise: loading or shutting down). */
  readonly serving: () => boolean;
  /** Without TLS: HTTP/1.1 (Connect JSON and gRPC-Web). With TLS: HTTP/2 and 1.1 by ALPN (gRPC too). */
  readonly tls?: TlsMaterial;
  /** Largest request message and the connection timeouts (default: DEFAULT_LIMITS). */
  readonly limits?: ListenerLimits;
  /** The web console's files, served at `/` (console.enabled); absent: no console. */
  readonly console?: ConsoleAssets;
  /** More for `/healthz`'s body, e.g. `{state: {backend, mode, failovers}}` (shared state). */
  readonly healthDetail?: () => Readonly<Record<string, unknown>>;
}

/** A running HTTP listener. */
export interface HttpListener {
  /** `http://HOST:PORT` or `https://HOST:PORT` as bound. */
  readonly url: string;
  /** Stops accepting connections; resolves when open requests ended (or `forceAfterMs` passed). */
  close(forceAfterMs: number): Promise<void>;
}

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;

/**
 * The second listener: the same handlers through connect-node (Connect's JSON and binary
 * protocol, gRPC-Web; gRPC over HTTP/2 when TLS is on), plus `/metrics` (Prometheus text)
 * and `/healthz`. `curl -d '{}' -H 'Content-Type: application/json' URL/oaktree.v1.FlavorService/ListFlavors` works.
 */
export async function listenHttp(options: HttpListenerOptions): Promise<HttpListener> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const handler = connectNodeAdapter({
    // A larger message is RESOURCE_EXHAUSTED before it is read whole.
    readMaxBytes: limits.maxReceiveMessageBytes,
    routes(router) {
      for (const { service, impl } of options.services) router.service(service, impl);
    },
    fallback: (request, response) => void fallback(request, response as Response, options),
  });
  const server = options.tls
    ? createSecureServer(
        {
          allowHTTP1: true,
          cert: options.tls.cert,
          key: options.tls.key,
          ...(options.tls.clientCa && {
            ca: options.tls.clientCa,
            requestCert: true,
            rejectUnauthorized: true,
          }),
        },
        handler,
      )
    : // headersTimeout is enforced by a sweep every connectionsCheckingInterval (default 30 s).
      createHttp1Server({ connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs) }, handler);
  applyTimeouts(server, limits);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `${options.tls ? "https" : "http"}://${host}:${port}`,
    close: (forceAfterMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          if ("closeAllConnections" in server) server.closeAllConnections();
          resolve();
        }, forceAfterMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        if ("closeIdleConnections" in server) server.closeIdleConnections();
      }),
  };
}

/**
 * Slowloris bounds: headers must arrive within headersTimeoutMs and a request within
 * requestTimeoutMs (HTTP/1.1), and an idle connection is closed after idleTimeoutMs (between
 * requests on HTTP/1.1; any HTTP/2 session without traffic). Streams (watches) are not cut:
 * once their headers are in, a response in progress is not a timeout.
 */
function applyTimeouts(
  server: ReturnType<typeof createHttp1Server> | ReturnType<typeof createSecureServer>,
  limits: ListenerLimits,
): void {
  if ("headersTimeout" in server) {
    server.headersTimeout = limits.headersTimeoutMs;
    server.requestTimeout = limits.requestTimeoutMs;
    server.keepAliveTimeout = limits.idleTimeoutMs;
  } else {
    // With no "timeout" listener, node destroys an HTTP/2 session idle this long.
    server.setTimeout(limits.idleTimeoutMs);
  }
}

async function fallback(request: Request, response: Response, options: HttpListenerOptions): Promise<void> {
  const path = (request.url ?? "/").split("?")[0];
  if (request.method === "GET" && path === "/metrics") {
    const { contentType, body } = await options.metrics.text();
    response.writeHead(200, { "content-type": contentType });
    response.end(body);
    return;
  }
  if (request.method === "GET" && path === "/healthz") {
    const serving = options.serving();
    response.writeHead(serving ? 200 : 503, { "content-type": "application/json" });
    response.end(
      JSON.stringify({ status: serving ? "SERVING" : "NOT_SERVING", ...options.healthDetail?.() }),
    );
    return;
  }
  if (options.console && serveConsoleAsset(options.console, request, response, path ?? "/")) return;
  response.writeHead(404, { "content-type": "text/plain" });
  response.end("not found: oaktree serves /<package.Service>/<Method>, /metrics and /healthz\n");
}
