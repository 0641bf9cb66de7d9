import { fromResponse } from "../http/errors.js";
import type { HttpMethod, HttpResponse, Query, RequestOptions, ServiceClient } from "../http/types.js";

/** One expected call and the canned answer to it. */
export interface ScriptedCall {
  readonly method: HttpMethod;
  /** The path exactly as the binding passes it (relative to the endpoint, or absolute). */
  readonly path: string;
  /** When given, the query must equal it (undefined values ignored). */
  readonly query?: Query;
  /** When given, the JSON body must deep-equal it. */
  readonly json?: unknown;
  readonly microversion?: string;
  /**
   * Default 200. An error status (400 or more) outside the call's okStatus is thrown as the
   * typed OpenStackError the real stack would raise (NotFoundError, ForbiddenError, ...).
   */
  readonly status?: number;
  /** Response body: an object is sent as JSON, a string as text. */
  readonly response?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A ServiceClient for binding and business-logic tests that expects an exact ordered list of
 * calls (like openstacksdk's `assert_calls`) and fails on any unexpected one. Call
 * `assertDone()` at the end of a test to check that every scripted call was made.
 */
export interface ScriptedClient extends ServiceClient {
  readonly calls: RequestOptions[];
  assertDone(): void;
}

/** A fake ServiceClient that expects exactly `script`, in order, and fails on any other call; end a test with `assertDone()`. */
export function scriptedClient(
  script: readonly ScriptedCall[],
  init: { serviceType?: string; endpoint?: string; version?: string; microversion?: string } = {},
): ScriptedClient {
  const pending = [...script];
  const calls: RequestOptions[] = [];
  const endpoint = init.endpoint ?? "https://cloud.example/v2.1";
  return {
    serviceType: init.serviceType ?? "compute",
    endpoint,
    version: init.version ?? "2.1",
    ...(init.microversion !== undefined && { microversion: init.microversion }),
    calls,
    async request(options) {
      calls.push(options);
      const expected = pending.shift();
      const actual = describe(options);
      if (!expected) throw new Error(`unexpected call ${actual}`);
      const want = describe(expected);
      if (expected.method !== options.method || expected.path !== options.path) {
        throw new Error(`expected ${want}, got ${actual}`);
      }
      if (expected.query !== undefined && !deepEqual(defined(expected.query), defined(options.query ?? {}))) {
        throw new Error(
          `${want}: query ${JSON.stringify(options.query)} != ${JSON.stringify(expected.query)}`,
        );
      }
      if (expected.json !== undefined && !deepEqual(expected.json, options.json)) {
        throw new Error(`${want}: body ${JSON.stringify(options.json)} != ${JSON.stringify(expected.json)}`);
      }
      if (expected.microversion !== undefined && expected.microversion !== options.microversion) {
        throw new Error(`${want}: microversion ${options.microversion} != ${expected.microversion}`);
      }
      const status = expected.status ?? 200;
      const okStatus = options.okStatus;
      const ok = okStatus ? okStatus.includes(status) : status >= 200 && status < 300;
      const response = cannedResponse(
        options.method,
        new URL(options.path, endpoint + "/").href,
        status,
        expected,
      );
      if (!ok && status >= 400) throw fromResponse(response, init.serviceType ?? "compute");
      if (!ok) throw new Error(`${want}: scripted status ${status} is not in okStatus`);
      return response;
    },
    assertDone() {
      if (pending.length > 0) throw new Error(`calls not made: ${pending.map(describe).join(", ")}`);
    },
  };
}

function describe(call: { method: string; path: string }): string {
  return `${call.method} ${call.path}`;
}

function defined(query: Query): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined));
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

function cannedResponse(method: HttpMethod, url: string, status: number, call: ScriptedCall): HttpResponse {
  const text =
    call.response === undefined
      ? ""
      : typeof call.response === "string"
        ? call.response
        : JSON.stringify(call.response);
  const bytes = new TextEncoder().encode(text);
  const headers = new Headers(call.headers);
  return {
    status,
    headers,
    url,
    method,
    bytes,
    json: <T>() => (text ? JSON.parse(text) : undefined) as T,
    text: () => text,
  };
}
