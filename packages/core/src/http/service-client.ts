import { ValidationError } from "../errors.js";
import { checkMicroversion } from "./microversion.js";
import type { Handler, HttpBody, HttpRequest, Query, RequestOptions, ServiceClient } from "./types.js";

/** Options of {@link createServiceClient}. */
export interface ServiceClientOptions {
  /** The stack from createHttpStack (or any Handler, e.g. a fake in tests). */
  readonly handler: Handler;
  /** Official service type, e.g. "compute". */
  readonly serviceType: string;
  /** Versioned base URL (project id substituted), e.g. "https://nova.example/v2.1". */
  readonly endpoint: string;
  /** Major version in use, e.g. "2.1". */
  readonly version: string;
  /** The negotiated microversion range, when the service has microversions. */
  readonly microversions?: { readonly min: string; readonly max: string };
  /** The microversion sent by default. */
  readonly microversion?: string;
  /**
   * The headers that request a microversion for this service (catalog/ owns the choice:
   * `X-OpenStack-Nova-API-Version`, `OpenStack-API-Version: volume 3.59`, ...). Required
   * whenever a microversion is sent.
   */
  readonly microversionHeaders?: (microversion: string) => Readonly<Record<string, string>>;
}

/**
 * A {@link ServiceClient} over a handler: resolves paths against the endpoint, encodes the
 * query, sets JSON headers and the microversion, and checks an explicit microversion against
 * the negotiated range before any I/O.
 *
 * @example
 * const compute = createServiceClient({
 *   handler: stack, serviceType: "compute", endpoint: "https://nova/v2.1", version: "2.1",
 *   microversions: { min: "2.1", max: "2.90" }, microversion: "2.90",
 *   microversionHeaders: (v) => ({ "OpenStack-API-Version": `compute ${v}` }),
 * });
 * const servers = (await compute.request({ method: "GET", path: "/servers" })).json();
 */
export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  const {
    handler,
    serviceType,
    endpoint,
    version,
    microversions,
    microversion: defaultMicroversion,
  } = options;
  if (!/^https?:\/\//i.test(endpoint))
    throw new ValidationError("endpoint", `not an http(s) URL: ${endpoint}`);
  return {
    serviceType,
    endpoint,
    version,
    ...(microversions && { microversions }),
    ...(defaultMicroversion !== undefined && { microversion: defaultMicroversion }),
    async request(request: RequestOptions) {
      const microversion = request.microversion ?? defaultMicroversion;
      if (request.microversion !== undefined) {
        checkMicroversion(serviceType, request.microversion, microversions);
      }
      const headers = new Headers();
      headers.set("accept", "application/json");
      if (microversion !== undefined) {
        if (!options.microversionHeaders) {
          throw new Error(
            `createServiceClient(${serviceType}): microversionHeaders is required to send a microversion`,
          );
        }
        for (const [name, value] of Object.entries(options.microversionHeaders(microversion))) {
          headers.set(name, value);
        }
      }
      for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
      let body: HttpBody | undefined;
      if (request.json !== undefined && request.body !== undefined) {
        throw new ValidationError("body", "give either json or body, not both");
      }
      if (request.json !== undefined) body = { kind: "json", value: request.json };
      else if (request.body !== undefined) body = request.body;
      const httpRequest: HttpRequest = {
        method: request.method,
        url: resolveUrl(endpoint, request.path, request.query),
        headers,
        serviceType,
        ...(body && { body }),
        ...(request.okStatus && { okStatus: request.okStatus }),
        ...(request.idempotent !== undefined && { idempotent: request.idempotent }),
        ...(request.timeoutMs !== undefined && { timeoutMs: request.timeoutMs }),
        ...(request.signal && { signal: request.signal }),
      };
      return handler(httpRequest);
    },
  };
}

/**
 * The absolute URL of `path` under `endpoint`: a relative path (with or without a leading
 * slash) is appended to the endpoint's path (never resolved against the host root, so
 * `/servers` under `https://h/compute/v2.1` is `https://h/compute/v2.1/servers`); an absolute
 * URL is used as it is, unless it is a link into this API on another origin ({@link rebaseLink}). The path's own query string is kept and `query` appended after it.
 */
export function resolveUrl(endpoint: string, path: string, query?: Query): string {
  let url: URL;
  if (/^https?:\/\//i.test(path)) {
    url = new URL(rebaseLink(path, endpoint));
  } else {
    const base = endpoint.replace(/\/+$/, "");
    const relative = path.replace(/^\/+/, "");
    url = new URL(relative === "" ? base : `${base}/${relative}`);
  }
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) url.searchParams.append(name, String(item));
    } else {
      url.searchParams.append(name, String(value));
    }
  }
  return url.href;
}

/**
 * An absolute URL into this service's API moved onto the endpoint when it names another
 * origin. Unchanged when its path does not contain the endpoint's version segment (then it
 * is not a link into this API, or we cannot tell where it belongs).
 * NOTE: nova, cinder and neutron build links from their own config (`osapi_compute_link_prefix`,
 * `public_endpoint`) or the request's Host header; behind a TLS-terminating proxy they often
 * advertise `http://` or an internal host name. The link's path from the endpoint's version
 * segment on (`/v2.1/<project>/servers?...`) is kept and put under the endpoint we know works.
 * Done here rather than in paginate() so bindings and their tests see the link as the cloud sent it.
 */
export function rebaseLink(href: string, endpoint: string): string {
  const link = new URL(href);
  const base = new URL(endpoint);
  if (link.origin === base.origin) return href;
  const basePath = base.pathname.replace(/\/+$/, "");
  const segments = basePath.split("/");
  const versionAt = segments.findIndex((segment) => /^v\d+(\.\d+)?$/.test(segment));
  const tail = versionAt >= 0 ? segments.slice(versionAt).join("/") : "";
  const at = tail ? link.pathname.indexOf(`/${tail}`) : -1;
  if (at < 0) return href;
  const head = segments.slice(0, versionAt).join("/");
  return `${base.origin}${head}${link.pathname.slice(at)}${link.search}`;
}
