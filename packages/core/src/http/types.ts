/**
 * The contracts of the HTTP layer. Everything above http/ (auth, catalog, services, cloud)
 * talks to OpenStack through a {@link ServiceClient}; everything inside http/ is a chain of
 * {@link Interceptor}s around one {@link Handler} that does the actual fetch.
 */

/** The HTTP methods OpenStack APIs use (swift adds COPY). */
export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "COPY";

/** A request as it travels down the interceptor chain. `url` is absolute. */
export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers: Headers;
  /** JSON-able value (serialized by the transport), raw bytes, or a stream (never retried). */
  readonly body?: HttpBody;
  /** Official service type (e.g. "compute"), for rate limits, logs and error messages. */
  readonly serviceType?: string;
  /** Statuses that count as success; anything else becomes an OpenStackError. Default: 2xx. */
  readonly okStatus?: readonly number[];
  /** A POST the caller knows to be safe to repeat; GET/HEAD/PUT/DELETE always are. */
  readonly idempotent?: boolean;
  /** Skip the auth interceptor (keystone's own token requests, version documents). */
  readonly skipAuth?: boolean;
  /** Per-request timeout; the transport's default applies when absent. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** A request body: JSON (serialized by the transport), bytes, or a stream (image uploads). */
export type HttpBody =
  | { readonly kind: "json"; readonly value: unknown }
  | { readonly kind: "bytes"; readonly value: Uint8Array; readonly contentType?: string }
  | { readonly kind: "stream"; readonly value: ReadableStream<Uint8Array>; readonly contentType?: string };

/** A response whose body has been read completely (streams are for uploads only). */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly url: string;
  readonly method: HttpMethod;
  /** The raw body; `json()` parses it (cached), `text()` decodes it. */
  readonly bytes: Uint8Array;
  json<T = unknown>(): T;
  text(): string;
  /** `x-openstack-request-id` or `x-compute-request-id`, when the service sent one. */
  readonly requestId?: string;
}

/** Sends one request and resolves to its response: the transport, or an interceptor around it. */
export type Handler = (request: HttpRequest) => Promise<HttpResponse>;

/** Middleware in the connect-es shape: `(next) => async (request) => response`. */
export type Interceptor = (next: Handler) => Handler;

/** What the auth interceptor needs from keystone (implemented in auth/). */
export interface AuthProvider {
  /** A valid token, re-authenticating first when the cached one is near expiry. */
  getToken(signal?: AbortSignal): Promise<string>;
  /** Forget `token` (after a 401) so the next getToken() authenticates again. */
  invalidate(token: string): void;
}

/** Query values; arrays repeat the key (`?status=A&status=B`), undefined is dropped. */
export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;
/** A request's query parameters (see {@link QueryValue}). */
export type Query = Readonly<Record<string, QueryValue>>;

/** Options of one call through a {@link ServiceClient}. */
export interface RequestOptions {
  readonly method: HttpMethod;
  /**
   * Relative to the service's versioned endpoint (`/servers/detail`), or an absolute URL (a
   * `next` link). May carry its own query string (`/images?marker=x`); `query` is appended.
   */
  readonly path: string;
  readonly query?: Query;
  readonly json?: unknown;
  readonly body?: Exclude<HttpBody, { kind: "json" }>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly okStatus?: readonly number[];
  readonly idempotent?: boolean;
  /** A microversion for this call; must lie in the negotiated range or the call fails before I/O. */
  readonly microversion?: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** A client bound to one service of one cloud/region, with its discovered version. */
export interface ServiceClient {
  /** Official service type from service-types-authority (e.g. "block-storage"). */
  readonly serviceType: string;
  /** The versioned base URL the paths are relative to (project id already substituted). */
  readonly endpoint: string;
  /** Major API version in use, e.g. "2.1" for nova, "2" for glance, "3" for cinder. */
  readonly version: string;
  /** Negotiated microversion range, when the service has microversions. */
  readonly microversions?: { readonly min: string; readonly max: string };
  /** The microversion sent by default: min(client max, server max). */
  readonly microversion?: string;
  request(options: RequestOptions): Promise<HttpResponse>;
}
