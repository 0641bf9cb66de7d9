/**
 * Errors raised by handlers. A handler throws a `SimError`; the app renders it in the style of the
 * service that owns the route (see {@link ErrorStyle}), so handlers never build error bodies.
 */
export class SimError extends Error {
  /** HTTP status to answer with. */
  readonly status: number;
  /** Neutron's `NeutronError.type` (e.g. `NetworkNotFound`); other services ignore it. */
  readonly type: string | undefined;
  /** Extra response headers (e.g. `Retry-After`). */
  readonly headers: Record<string, string>;
  /** Forces a rendering style (keystonemiddleware's 401s look like keystone's whatever the service). */
  readonly style: ErrorStyle | undefined;

  constructor(
    status: number,
    message: string,
    options: { type?: string; headers?: Record<string, string>; style?: ErrorStyle } = {},
  ) {
    super(message);
    this.name = "SimError";
    this.status = status;
    this.type = options.type;
    this.headers = options.headers ?? {};
    this.style = options.style;
  }
}

/** A rendered error: body text and its content type. */
export interface RenderedError {
  readonly body: string;
  readonly contentType: string;
}

/** Renders a `SimError` the way one service does. */
export type ErrorStyle = (status: number, message: string, type: string | undefined) => RenderedError;

const json = (value: unknown): RenderedError => ({
  body: JSON.stringify(value),
  contentType: "application/json",
});

const NOVA_FAULT_NAMES: Record<number, string> = {
  400: "badRequest",
  401: "unauthorized",
  403: "forbidden",
  404: "itemNotFound",
  405: "badMethod",
  409: "conflictingRequest",
  413: "overLimit",
  415: "badMediaType",
  429: "overLimit",
  501: "notImplemented",
  503: "serviceUnavailable",
};

/** nova (and cinder): `{"itemNotFound": {"code": 404, "message": "..."}}`; unknown statuses are `computeFault`. */
export const novaErrorStyle: ErrorStyle = (status, message) =>
  json({ [NOVA_FAULT_NAMES[status] ?? "computeFault"]: { code: status, message } });

const HTTP_TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Request Entity Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** The reason phrase of an HTTP status. */
export function httpTitle(status: number): string {
  return HTTP_TITLES[status] ?? "Error";
}

/** keystone: `{"error": {"code": 401, "title": "Unauthorized", "message": "..."}}`. */
export const keystoneErrorStyle: ErrorStyle = (status, message) =>
  json({ error: { code: status, title: httpTitle(status), message } });

const NEUTRON_DEFAULT_TYPES: Record<number, string> = {
  400: "HTTPBadRequest",
  401: "HTTPUnauthorized",
  403: "HTTPForbidden",
  404: "HTTPNotFound",
  409: "HTTPConflict",
  429: "HTTPTooManyRequests",
  500: "HTTPInternalServerError",
  503: "HTTPServiceUnavailable",
};

/** neutron: `{"NeutronError": {"type": "NetworkNotFound", "message": "...", "detail": ""}}`. */
export const neutronErrorStyle: ErrorStyle = (status, message, type) =>
  json({ NeutronError: { type: type ?? NEUTRON_DEFAULT_TYPES[status] ?? "HTTPError", message, detail: "" } });

/**
 * glance and swift (webob): a small HTML page, e.g.
 * `<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1>msg<br /><br /></body></html>`.
 */
export const htmlErrorStyle: ErrorStyle = (status, message) => {
  const title = `${status} ${httpTitle(status)}`;
  return {
    body: `<html>\n <head>\n  <title>${title}</title>\n </head>\n <body>\n  <h1>${title}</h1>\n  ${escapeHtml(message)}<br /><br />\n\n\n\n </body>\n</html>`,
    contentType: "text/html; charset=UTF-8",
  };
};

/** Plain text errors (the simulator's own admin API, unmatched paths). */
export const plainErrorStyle: ErrorStyle = (status, message) => ({
  body: `${status} ${httpTitle(status)}: ${message}`,
  contentType: "text/plain; charset=UTF-8",
});

function escapeHtml(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** 404 helper with the neutron type filled in. */
export function notFound(message: string, type?: string): SimError {
  return new SimError(404, message, type === undefined ? {} : { type });
}

/** 400 helper. */
export function badRequest(message: string, type?: string): SimError {
  return new SimError(400, message, type === undefined ? {} : { type });
}

/** 409 helper. */
export function conflict(message: string, type?: string): SimError {
  return new SimError(409, message, type === undefined ? {} : { type });
}

/** 403 helper. */
export function forbidden(message: string, type?: string): SimError {
  return new SimError(403, message, type === undefined ? {} : { type });
}
