import { NotSupportedError, ValidationError } from "../errors.js";
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
 * URL is used as it is. The path's own query string is kept and `query` appended after it.
 */
export function resolveUrl(endpoint: string, path: string, query?: Query): string {
  let url: URL;
  if (/^https?:\/\//i.test(path)) {
    url = new URL(path);
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

/** Compares two microversions ("2.10" > "2.9"); negative, zero or positive. */
export function compareMicroversions(a: string, b: string): number {
  const [aMajor, aMinor] = parseMicroversion(a);
  const [bMajor, bMinor] = parseMicroversion(b);
  return aMajor !== bMajor ? aMajor - bMajor : aMinor - bMinor;
}

/** `[major, minor]` of "2.37"; "latest" is not accepted here (it is negotiated away in catalog/). */
export function parseMicroversion(value: string): [number, number] {
  const match = /^(\d+)\.(\d+)$/.exec(value.trim());
  if (!match) throw new ValidationError("microversion", `"${value}" is not of the form X.Y`);
  return [Number(match[1]), Number(match[2])];
}

/**
 * Throws NotSupportedError when `requested` lies outside the negotiated range (or the
 * service has no microversions at all). Called before any I/O.
 */
export function checkMicroversion(
  serviceType: string,
  requested: string,
  range: { readonly min: string; readonly max: string } | undefined,
): void {
  parseMicroversion(requested);
  if (!range) {
    throw new NotSupportedError(`${serviceType} has no microversions here; ${requested} was requested`);
  }
  if (compareMicroversions(requested, range.min) < 0 || compareMicroversions(requested, range.max) > 0) {
    throw new NotSupportedError(
      `${serviceType} microversion ${requested} is not supported by this cloud (supported: ${range.min} to ${range.max})`,
    );
  }
}
