import { STATUS_CODES } from "node:http";
import { OaktreeError } from "../errors.js";
import { redactUrl } from "./redact.js";
import type { HttpResponse } from "./types.js";

/** What every OpenStack error carries. `status` is absent for connection errors and timeouts. */
export interface OpenStackErrorInit {
  readonly status?: number;
  readonly method: string;
  /** The request URL; secrets in its query string are redacted before it is stored. */
  readonly url: string;
  /** The service's `x-openstack-request-id` / `x-compute-request-id` (or the body's `request_id`). */
  readonly requestId?: string;
  /** The `X-OpenStack-Request-ID` oaktree sent, for correlating with the cloud's logs. */
  readonly clientRequestId?: string;
  /** The human message: the cloud's own words when it gave any. */
  readonly detail: string;
  readonly serviceType?: string;
  /** The raw response body (truncated), for debugging. */
  readonly body?: string;
  /** Milliseconds the service asked us to wait (`Retry-After`), when it did. */
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

/**
 * An error from (or on the way to) an OpenStack service. The message is one line:
 * `<detail> (<status> <METHOD> <url>, request <id>)`; the fields carry the same for programs.
 */
export class OpenStackError extends OaktreeError {
  override readonly name: string = "OpenStackError";
  readonly status?: number;
  readonly method: string;
  readonly url: string;
  requestId?: string;
  clientRequestId?: string;
  readonly detail: string;
  readonly serviceType?: string;
  readonly body?: string;
  readonly retryAfterMs?: number;

  constructor(init: OpenStackErrorInit) {
    const url = redactUrl(init.url);
    super(formatMessage({ ...init, url }), init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.method = init.method;
    this.url = url;
    this.requestId = init.requestId;
    this.clientRequestId = init.clientRequestId;
    this.detail = init.detail;
    this.serviceType = init.serviceType;
    this.body = init.body;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** Attaches request ids learned after construction (the request-id interceptor does this). */
  withRequestIds(ids: { requestId?: string; clientRequestId?: string }): this {
    if (!this.requestId && ids.requestId) this.requestId = ids.requestId;
    if (!this.clientRequestId && ids.clientRequestId) this.clientRequestId = ids.clientRequestId;
    this.message = formatMessage(this);
    return this;
  }
}

function formatMessage(e: {
  status?: number;
  method: string;
  url: string;
  detail: string;
  requestId?: string;
  clientRequestId?: string;
  serviceType?: string;
}): string {
  const where = [e.status, e.method, e.url].filter((part) => part !== undefined).join(" ");
  const id = e.requestId ?? e.clientRequestId;
  return `${e.detail} (${where}${id ? `, request ${id}` : ""})`;
}

/** 400: the service rejected the request's content. */
export class BadRequestError extends OpenStackError {
  override readonly name = "BadRequestError";
}
/** 401: no valid token (after the auth interceptor already re-authenticated once). */
export class UnauthorizedError extends OpenStackError {
  override readonly name = "UnauthorizedError";
}
/** 403: the token's roles do not allow this. */
export class ForbiddenError extends OpenStackError {
  override readonly name = "ForbiddenError";
}
/** 404. */
export class NotFoundError extends OpenStackError {
  override readonly name = "NotFoundError";
}
/** 406: usually a microversion the service does not support. */
export class NotAcceptableError extends OpenStackError {
  override readonly name = "NotAcceptableError";
}
/** 409: a conflicting state (name in use, server busy, ...). */
export class ConflictError extends OpenStackError {
  override readonly name = "ConflictError";
}
/**
 * Rate limited or over quota: 429, 413, and the quota errors some services give other
 * statuses (nova 403 "Quota exceeded", neutron 409 OverQuota). `status` keeps the real code.
 */
export class OverLimitError extends OpenStackError {
  override readonly name = "OverLimitError";
}
/** 5xx: the service (or a proxy in front of it) failed. */
export class ServiceUnavailableError extends OpenStackError {
  override readonly name = "ServiceUnavailableError";
}
/** The connection failed or broke (refused, reset, DNS, TLS). No status. */
export class ConnectionError extends OpenStackError {
  override readonly name = "ConnectionError";
  /** The system or undici error code (ECONNRESET, UND_ERR_SOCKET, ...). */
  readonly code?: string;
  constructor(init: Omit<OpenStackErrorInit, "status"> & { code?: string }) {
    super(init);
    this.code = init.code;
  }
}
/**
 * The service answered, but with a body that is not JSON where JSON was due: a proxy's HTML
 * error page with a 200, a truncated body. `body` holds the start of what came.
 */
export class InvalidResponseError extends OpenStackError {
  override readonly name = "InvalidResponseError";
}
/** The request did not complete within its timeout. No status. */
export class TimeoutError extends OpenStackError {
  override readonly name = "TimeoutError";
  readonly timeoutMs: number;
  constructor(init: Omit<OpenStackErrorInit, "status" | "detail"> & { timeoutMs: number; detail?: string }) {
    super({ ...init, detail: init.detail ?? `timed out after ${init.timeoutMs} ms` });
    this.timeoutMs = init.timeoutMs;
  }
}

const MAX_BODY = 2000;
const MAX_DETAIL = 500;

/**
 * The typed error for a response whose status the caller did not expect. Digs the human
 * message out of every service's error format (see {@link extractMessage}) and keeps status,
 * method, URL, request id and Retry-After.
 */
export function fromResponse(
  response: HttpResponse,
  serviceType?: string,
  now: () => number = Date.now,
): OpenStackError {
  const text = safeText(response);
  const extracted = extractMessage(text, response.headers.get("content-type") ?? "");
  const detail = truncate(
    (extracted.message || STATUS_CODES[response.status] || `HTTP ${response.status}`)
      .replace(/\s+/g, " ")
      .trim(),
  );
  const init: OpenStackErrorInit = {
    status: response.status,
    method: response.method,
    url: response.url,
    requestId: response.requestId ?? requestIdOf(response.headers) ?? extracted.requestId,
    detail,
    serviceType,
    body: text.length > MAX_BODY ? `${text.slice(0, MAX_BODY)}...` : text,
    retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), now()),
  };
  return new (errorClass(response.status, detail, extracted.type))(init);
}

function errorClass(
  status: number,
  detail: string,
  type?: string,
): new (
  init: OpenStackErrorInit,
) => OpenStackError {
  // NOTE: nova answers quota violations with 403 ("Quota exceeded for cores", since 2.1) and
  // neutron with 409 {"NeutronError": {"type": "OverQuota"}}; both are over-limit errors.
  if (
    (status === 403 || status === 409) &&
    (type === "OverQuota" || /quota exceeded|exceeded.*quota/i.test(detail))
  ) {
    return OverLimitError;
  }
  switch (status) {
    case 400:
      return BadRequestError;
    case 401:
      return UnauthorizedError;
    case 403:
      return ForbiddenError;
    case 404:
      return NotFoundError;
    case 406:
      return NotAcceptableError;
    case 409:
      return ConflictError;
    case 413:
    case 429:
      return OverLimitError;
    default:
      return status >= 500 ? ServiceUnavailableError : OpenStackError;
  }
}

/** The service's request id from response headers (nova sends both; older nova only the compute one). */
export function requestIdOf(headers: Headers): string | undefined {
  return headers.get("x-openstack-request-id") ?? headers.get("x-compute-request-id") ?? undefined;
}

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP date (RFC 9110 10.2.3).
 * Undefined when absent or unparsable; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The message, error type and request id found in an error body. */
export interface ExtractedMessage {
  readonly message: string;
  readonly type?: string;
  readonly requestId?: string;
}

/**
 * The human message of an OpenStack error body, whatever the service:
 * - nova, cinder, manila: `{"itemNotFound": {"code": 404, "message": "..."}}` (any single key wrapping `message`)
 * - neutron: `{"NeutronError": {"type", "message", "detail"}}`, older `{"NeutronError": "text"}`
 * - keystone: `{"error": {"code", "title", "message"}}`
 * - placement (and the API-WG format): `{"errors": [{"title", "detail", "request_id"}]}`
 * - ironic `{"error_message": "<json or text>"}`, octavia/WSME `{"faultstring": "..."}`, `{"message": "..."}`
 * - glance, swift and proxies: plain text or HTML (tags stripped, the status heading dropped)
 */
export function extractMessage(text: string, contentType = ""): ExtractedMessage {
  const trimmed = text.trim();
  if (trimmed === "") return { message: "" };
  if (contentType.includes("json") || trimmed.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      // A body that claims JSON but is not: treat it as text below.
    }
    // JSON in a shape we do not know: the status text says more than a dump of it.
    if (parsed !== undefined) return fromJson(parsed) ?? { message: "" };
  }
  if (/^\s*</.test(trimmed) || contentType.includes("html")) return { message: fromHtml(trimmed) };
  return { message: fromPlainText(trimmed) };
}

function fromJson(body: unknown): ExtractedMessage | undefined {
  if (typeof body === "string") return { message: body };
  if (!isRecord(body)) return undefined;
  const errors = body.errors;
  if (Array.isArray(errors) && errors.length > 0) {
    const parts = errors.filter(isRecord);
    const message = parts
      .map((e) => str(e.detail) ?? str(e.title) ?? str(e.message))
      .filter((m): m is string => !!m)
      .join("; ");
    const requestId = parts.map((e) => str(e.request_id)).find((id) => id);
    return {
      message,
      ...(requestId && { requestId }),
      ...(str(parts[0]?.code) && { type: str(parts[0]?.code) }),
    };
  }
  for (const key of ["NeutronError", "error"]) {
    const inner = body[key];
    if (typeof inner === "string") return { message: inner };
    if (isRecord(inner)) {
      const message = str(inner.message) ?? str(inner.detail) ?? str(inner.title) ?? "";
      const type = str(inner.type) ?? str(inner.title);
      return { message, ...(type && { type }) };
    }
  }
  const errorMessage = str(body.error_message);
  if (errorMessage) {
    // NOTE: ironic double-encodes: error_message is itself a JSON document with a faultstring.
    try {
      const nested = fromJson(JSON.parse(errorMessage));
      if (nested?.message) return nested;
    } catch {
      // plain text error_message
    }
    return { message: errorMessage };
  }
  const direct = str(body.faultstring) ?? str(body.message) ?? str(body.detail);
  if (direct) return { message: direct };
  // nova/cinder style: the one key names the fault, its value carries the message.
  for (const [key, inner] of Object.entries(body)) {
    if (isRecord(inner)) {
      const message = str(inner.message) ?? str(inner.detail) ?? str(inner.explanation);
      if (message) return { message, type: key };
    }
  }
  return undefined;
}

/** The text of an HTML error page, without the heading that only repeats the status. */
function fromHtml(html: string): string {
  const withoutHead = html
    .replace(/<head[\s\S]*?<\/head>/gi, "")
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<h1[\s\S]*?<\/h1>/gi, "");
  const text = decodeEntities(withoutHead.replace(/<br\s*\/?>/gi, " ").replace(/<[^>]*>/g, " "));
  const collapsed = text.replace(/\s+/g, " ").trim();
  if (collapsed) return collapsed;
  const title = /<title>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? /<h1>([\s\S]*?)<\/h1>/i.exec(html)?.[1];
  return title ? decodeEntities(title).trim() : "";
}

/** webob's plain-text errors start with the status line ("404 Not Found\n\nThe resource..."). */
function fromPlainText(text: string): string {
  const withoutStatus = text.replace(/^\d{3} [^\n]*\n+/, "");
  return (withoutStatus.trim() || text).replace(/\s+/g, " ").trim();
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&");
}

function safeText(response: HttpResponse): string {
  try {
    return response.text();
  } catch {
    return "";
  }
}

function truncate(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}...` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * The cloud answered 4xx: it refused the request, so a create made nothing. Anything else that
 * failed (a 5xx, a reset, a timeout) may have been applied before its answer was lost.
 */
export function isRefusal(error: unknown): boolean {
  return (
    error instanceof OpenStackError && error.status !== undefined && error.status >= 400 && error.status < 500
  );
}
