import { z } from "zod";

/**
 * What one client may cost the listeners (the server config's `limits:` key; docs/server.md).
 * The defaults let a well-behaved client do anything oaktree's API offers (a 64 KiB image
 * chunk, a thousand watches on one connection) and bound what a hostile or broken one holds.
 */
export interface ListenerLimits {
  /** Largest request message, either listener; larger: RESOURCE_EXHAUSTED. */
  readonly maxReceiveMessageBytes: number;
  /** Largest response message (gRPC listener). */
  readonly maxSendMessageBytes: number;
  /** Streams at once on one HTTP/2 connection (gRPC listener); more are refused by HTTP/2. */
  readonly maxConcurrentStreams: number;
  /**
   * A connection with no call in flight for this long is closed: on the gRPC listener also one
   * that never sent anything (slowloris); on the HTTP listener, between requests (keep-alive).
   */
  readonly idleTimeoutMs: number;
  /** HTTP listener: a request's headers must arrive within this (slowloris on headers). */
  readonly headersTimeoutMs: number;
  /** HTTP listener: a unary request (headers and body) must arrive within this. */
  readonly requestTimeoutMs: number;
}

/** The defaults of {@link ListenerLimits}. */
export const DEFAULT_LIMITS: ListenerLimits = {
  maxReceiveMessageBytes: 64 * 1024 * 1024,
  maxSendMessageBytes: 64 * 1024 * 1024,
  maxConcurrentStreams: 4096,
  idleTimeoutMs: 5 * 60_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 5 * 60_000,
};

const positiveInt = z.number().int().positive();

/** The `limits:` key of the server config file (snake_case, every key optional). */
export const limitsFileSchema = z.strictObject({
  max_receive_message_bytes: positiveInt.optional(),
  max_send_message_bytes: positiveInt.optional(),
  max_concurrent_streams: positiveInt.optional(),
  idle_timeout_ms: positiveInt.optional(),
  headers_timeout_ms: positiveInt.optional(),
  request_timeout_ms: positiveInt.optional(),
});

/** The file's `limits:` with the defaults applied. */
export function resolveLimits(file: z.infer<typeof limitsFileSchema> = {}): ListenerLimits {
  return {
    maxReceiveMessageBytes: file.max_receive_message_bytes ?? DEFAULT_LIMITS.maxReceiveMessageBytes,
    maxSendMessageBytes: file.max_send_message_bytes ?? DEFAULT_LIMITS.maxSendMessageBytes,
    maxConcurrentStreams: file.max_concurrent_streams ?? DEFAULT_LIMITS.maxConcurrentStreams,
    idleTimeoutMs: file.idle_timeout_ms ?? DEFAULT_LIMITS.idleTimeoutMs,
    headersTimeoutMs: file.headers_timeout_ms ?? DEFAULT_LIMITS.headersTimeoutMs,
    requestTimeoutMs: file.request_timeout_ms ?? DEFAULT_LIMITS.requestTimeoutMs,
  };
}
