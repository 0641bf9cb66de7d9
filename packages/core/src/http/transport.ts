import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { Agent, request as undiciRequest } from "undici";
import type { TlsSettings } from "../config/types.js";
import { ValidationError } from "../errors.js";
import { ConnectionError, InvalidResponseError, requestIdOf, TimeoutError } from "./errors.js";
import type { Handler, HttpBody, HttpMethod, HttpRequest, HttpResponse } from "./types.js";

/** Options of {@link createTransport}. */
export interface TransportOptions {
  /** Certificate checks and client certificates (clouds.yaml `verify`/`cacert`/`cert`/`key`). */
  readonly tls?: TlsSettings;
  /** Sockets per origin. Default 32. */
  readonly connections?: number;
  /** How long an idle keep-alive socket is kept. Default 30 s. */
  readonly keepAliveTimeoutMs?: number;
  /** Largest response body read; a larger one is an InvalidResponseError. Default 256 MiB. */
  readonly maxResponseBytes?: number;
}

/**
 * Responses are read whole into memory (and then parsed), so a cloud (or a proxy) sending a
 * body without end would take all of it: 256 MiB is far above any API answer (200,000 flavors
 * are about 50 MB) and bounds what one answer can cost.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

/** The innermost {@link Handler}: one undici Agent (keep-alive pool) per cloud. */
export interface Transport {
  readonly handle: Handler;
  /** Closes the pooled sockets. */
  close(): Promise<void>;
}

const CONNECTION_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/**
 * Creates the transport: undici `request` over a keep-alive Agent with the cloud's TLS
 * settings. Bodies are serialized here (JSON, bytes, streams), and responses are read
 * completely into `bytes` so that interceptors can look at them and callers can parse them.
 *
 * @example
 * const transport = createTransport({ tls: { verify: true } });
 * const stack = createHttpStack({ transport: transport.handle });
 */
export function createTransport(options: TransportOptions = {}): Transport {
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const agent = new Agent({
    connections: options.connections ?? 32,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    connect: tlsOptions(options.tls),
    maxResponseSize: maxResponseBytes,
  });

  const handle: Handler = async (req) => {
    const headers = new Headers(req.headers);
    const body = serializeBody(req.body, headers);
    let res: Awaited<ReturnType<typeof undiciRequest>>;
    let bytes: Uint8Array;
    try {
      res = await undiciRequest(req.url, {
        method: req.method,
        headers: Object.fromEntries(headers),
        body,
        dispatcher: agent,
        signal: req.signal,
      });
      bytes = new Uint8Array(await res.body.arrayBuffer());
    } catch (error) {
      throw mapError(error, req, maxResponseBytes);
    }
    return makeResponse(req.method, req.url, res.statusCode, toHeaders(res.headers), bytes);
  };

  return { handle, close: () => agent.close() };
}

function tlsOptions(tls: TlsSettings | undefined): Record<string, unknown> {
  if (!tls) return {};
  const read = (field: string, path: string | undefined) => {
    if (!path) return undefined;
    try {
      return readFileSync(path);
    } catch (error) {
      throw new ValidationError(field, `cannot read ${path}: ${(error as Error).message}`);
    }
  };
  const out: Record<string, unknown> = { rejectUnauthorized: tls.verify };
  const ca = read("cacert", tls.cacert);
  const cert = read("cert", tls.cert);
  // NOTE: clouds.yaml allows `cert` to hold both the certificate and the key (like requests).
  const key = read("key", tls.key) ?? cert;
  if (ca) out.ca = ca;
  if (cert) {
    out.cert = cert;
    out.key = key;
  }
  return out;
}

function serializeBody(
  body: HttpBody | undefined,
  headers: Headers,
): string | Uint8Array | Readable | undefined {
  if (!body) return undefined;
  switch (body.kind) {
    case "json":
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
      return JSON.stringify(body.value);
    case "bytes":
      if (!headers.has("content-type"))
        headers.set("content-type", body.contentType ?? "application/octet-stream");
      return body.value;
    case "stream":
      if (!headers.has("content-type"))
        headers.set("content-type", body.contentType ?? "application/octet-stream");
      // undici's request() takes Node streams; the upload streams without buffering.
      return Readable.fromWeb(body.value as import("node:stream/web").ReadableStream<Uint8Array>);
  }
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

/** Builds an {@link HttpResponse} from a complete body. Exported for tests and fakes. */
export function makeResponse(
  method: HttpMethod,
  url: string,
  status: number,
  headers: Headers,
  bytes: Uint8Array,
): HttpResponse {
  let text: string | undefined;
  let parsed: { value: unknown } | undefined;
  const requestId = requestIdOf(headers);
  const decode = () => {
    text ??= new TextDecoder().decode(bytes);
    return text;
  };
  return {
    status,
    headers,
    url,
    method,
    bytes,
    ...(requestId !== undefined && { requestId }),
    text: decode,
    json<T>(): T {
      if (!parsed) {
        const source = decode();
        // An empty body (204, HEAD) parses to undefined rather than throwing.
        parsed = {
          value: source.trim() === "" ? undefined : parseJson(source, method, url, status, headers),
        };
      }
      return parsed.value as T;
    },
  };
}

/** JSON.parse, or a typed InvalidResponseError saying what came instead (an HTML page, a cut body). */
function parseJson(
  source: string,
  method: HttpMethod,
  url: string,
  status: number,
  headers: Headers,
): unknown {
  try {
    return JSON.parse(source);
  } catch (error) {
    const type = headers.get("content-type") ?? "no content type";
    const start = source.slice(0, 120).replace(/\s+/g, " ");
    const requestId = requestIdOf(headers);
    throw new InvalidResponseError({
      status,
      method,
      url,
      ...(requestId !== undefined && { requestId }),
      detail: `the service answered with a body that is not JSON (${type}, ${source.length} characters: "${start}${source.length > 120 ? "…" : ""}")`,
      body: source.slice(0, 2000),
      cause: error,
    });
  }
}

function mapError(error: unknown, req: HttpRequest, maxResponseBytes: number): unknown {
  // A caller's abort (or the timeout interceptor's) is not a connection problem: pass it on.
  if (req.signal?.aborted) return req.signal.reason ?? error;
  const code = errorCode(error);
  const base = { method: req.method, url: req.url, serviceType: req.serviceType, cause: error };
  if (code === "UND_ERR_RES_EXCEEDED_MAX_SIZE") {
    return new InvalidResponseError({
      ...base,
      detail: `the response is larger than ${maxResponseBytes} bytes (maxResponseBytes): not read`,
    });
  }
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
    return new TimeoutError({
      ...base,
      timeoutMs: 300_000,
      detail: `no response from the service (${code})`,
    });
  }
  if (code && (CONNECTION_CODES.has(code) || code.startsWith("UND_ERR_") || /CERT|SSL|TLS/.test(code))) {
    const message = (error as Error).message || code;
    const hint = /CERT|SSL|TLS/.test(code) ? " (check cacert, or verify: false for self-signed clouds)" : "";
    return new ConnectionError({ ...base, code, detail: `connection failed: ${code}: ${message}${hint}` });
  }
  if (error instanceof Error && /socket hang up|other side closed/i.test(error.message)) {
    return new ConnectionError({
      ...base,
      code: "ECONNRESET",
      detail: `connection failed: ${error.message}`,
    });
  }
  return error;
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  // undici wraps system errors (ECONNREFUSED inside UND_ERR_CONNECT...): prefer the innermost code.
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    const cause = (current as { cause?: unknown }).cause;
    if (typeof code === "string" && !(cause && typeof (cause as { code?: unknown }).code === "string"))
      return code;
    current = cause;
  }
  return undefined;
}
