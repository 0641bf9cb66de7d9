import type { Logger } from "pino";
import type { CloudConfig, RateLimitSettings, TlsSettings } from "../config/types.js";
import { auth } from "./interceptors/auth.js";
import { errorMapping } from "./interceptors/error-mapping.js";
import { logging } from "./interceptors/logging.js";
import { type HttpObserver, observe } from "./interceptors/observe.js";
import { rateLimit } from "./interceptors/rate-limit.js";
import { requestId } from "./interceptors/request-id.js";
import { type RetryOptions, retry } from "./interceptors/retry.js";
import { timeout } from "./interceptors/timeout.js";
import type { RateLimiter } from "./rate-limit.js";
import { createMemoryRateLimiter } from "./rate-limit-memory.js";
import { createTransport } from "./transport.js";
import type { AuthProvider, Handler, HttpRequest, HttpResponse, Interceptor } from "./types.js";

/** Options of {@link createHttpStack}. Everything is optional; absent concerns are left out. */
export interface HttpStackOptions {
  /** Adds X-Auth-Token and re-authenticates once on a 401. Absent: no auth (keystone's own calls). */
  readonly auth?: AuthProvider;
  /** Admission control; only used when `rateLimits` has an entry for the service (or "*"). */
  readonly rateLimiter?: RateLimiter;
  /** CloudConfig.rateLimits. */
  readonly rateLimits?: Readonly<Record<string, RateLimitSettings>>;
  /** The cloud's name, for rate-limit keys. Default "default". */
  readonly cloud?: string;
  /** Retry settings; `false` never retries. */
  readonly retry?: RetryOptions | false;
  /** pino logger; requests are logged at debug (and bodies at trace), redacted. */
  readonly logger?: Logger;
  /** Default per-attempt timeout (clouds.yaml `api_timeout`); a request's `timeoutMs` wins. */
  readonly timeoutMs?: number;
  /** TLS for the transport this stack creates (ignored when `transport` is given). */
  readonly tls?: TlsSettings;
  /** The innermost handler. Default: a new {@link createTransport} with `tls`, closed by close(). */
  readonly transport?: Handler;
  /** Client request id generator; `false` sends none. */
  readonly requestId?: (() => string) | false;
  /** Injectable clock for error Retry-After dates (tests). */
  readonly now?: () => number;
  /** Told of every request once it finished (after retries): the server's metrics. */
  readonly observer?: HttpObserver;
}

/** A Handler that owns resources (the transport's sockets) until closed. */
export interface HttpStack extends Handler {
  /** Closes the transport this stack created (a transport passed in is left open). */
  close(): Promise<void>;
}

/**
 * Builds the request pipeline. The order, outermost first, is the whole design of http/
 * (docs/decisions/0004-http-interceptor-chain.md says why):
 *
 *   observer -> request id -> logging -> retry -> timeout -> rate limit -> auth -> error mapping -> transport
 *
 * - request id first so the log line and every retry carry the same client id;
 * - logging outside retry: one line per call with its total duration (retries log via onRetry);
 * - retry outside everything else, so each attempt gets its own timeout, waits for the rate
 *   limiter again and gets a valid token;
 * - the rate limiter around auth and error mapping: it sees a 429/413's Retry-After as a
 *   typed error and slows every caller of that service, and an attempt's slot is held until
 *   the body has been read;
 * - error mapping just above the transport, so everything above sees typed errors only.
 *
 * @example
 * const transport = createTransport({ tls: config.tls });
 * const keystone = createHttpStack({ transport: transport.handle });      // for auth/ itself
 * const stack = createHttpStack({ transport: transport.handle, auth: provider, logger });
 */
export function createHttpStack(options: HttpStackOptions = {}): HttpStack {
  const owned = options.transport ? undefined : createTransport(options.tls ? { tls: options.tls } : {});
  const transport = options.transport ?? owned!.handle;
  const { logger } = options;
  const userRetry = options.retry === false ? undefined : options.retry;
  const retryOptions =
    options.retry === false
      ? undefined
      : {
          ...options.retry,
          onRetry: (event: Parameters<NonNullable<RetryOptions["onRetry"]>>[0]) => {
            logger?.debug(
              {
                method: event.request.method,
                service: event.request.serviceType,
                attempt: event.attempt,
                delayMs: event.delayMs,
                errorClass: event.errorClass,
              },
              `retrying after ${event.errorClass} error: ${event.error instanceof Error ? event.error.message : String(event.error)}`,
            );
            userRetry?.onRetry?.(event);
          },
        };

  // Outermost first. Each entry is one concern; `undefined` means "not configured".
  const chain: (Interceptor | undefined)[] = [
    options.observer ? observe(options.observer, options.cloud ?? "default") : undefined,
    options.requestId === false ? undefined : requestId(options.requestId),
    logger ? logging(logger) : undefined,
    retryOptions ? retry(retryOptions) : undefined,
    timeout(options.timeoutMs),
    options.rateLimits
      ? rateLimit({
          limiter: options.rateLimiter ?? createMemoryRateLimiter(),
          cloud: options.cloud ?? "default",
          limits: options.rateLimits,
        })
      : undefined,
    options.auth ? auth(options.auth) : undefined,
    errorMapping(options.now),
  ];

  const handler = compose(chain, transport);
  const stack = ((request: HttpRequest): Promise<HttpResponse> => handler(request)) as HttpStack;
  stack.close = async () => {
    await owned?.close();
  };
  return stack;
}

/** Wraps `inner` in `interceptors`, the first one outermost. */
export function compose(interceptors: readonly (Interceptor | undefined)[], inner: Handler): Handler {
  return interceptors.reduceRight<Handler>(
    (next, interceptor) => (interceptor ? interceptor(next) : next),
    inner,
  );
}

/** What {@link createHttpStackFromConfig} takes besides the cloud's config. */
export interface HttpStackFromConfigOptions
  extends Omit<HttpStackOptions, "tls" | "timeoutMs" | "rateLimits" | "cloud"> {}

/**
 * A stack for one cloud from its resolved config: TLS, `api_timeout`, rate limits keyed by
 * the cloud's name. Pass `transport` to share one connection pool between stacks (auth/'s
 * unauthenticated stack and the authenticated one).
 */
export function createHttpStackFromConfig(
  config: CloudConfig,
  options: HttpStackFromConfigOptions = {},
): HttpStack {
  return createHttpStack({
    ...options,
    tls: config.tls,
    ...(config.apiTimeoutMs !== undefined && { timeoutMs: config.apiTimeoutMs }),
    rateLimits: config.rateLimits,
    cloud: config.name,
  });
}
