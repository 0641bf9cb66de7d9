/**
 * Test helpers: real upstream payloads (verbatim copies in packages/core/testdata/upstream, with
 * the upstream paths; see testdata/ATTRIBUTION.md), and a fake Handler answering from a route table.
 */
import { readFileSync } from "node:fs";
import type { AuthSettings, CloudConfig } from "../../config/types.js";
import type { Handler, HttpRequest, HttpResponse } from "../../http/types.js";

// Verbatim copies under packages/core/testdata/upstream (a fresh clone has no ../shared).
const FIXTURES = new URL("../../../testdata/upstream/", import.meta.url);

/** Parses a JSON fixture, `path` relative to the fixtures folder (`nova/api_samples/versions/...`). */
export function fixture<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(new URL(path, FIXTURES), "utf8")) as T;
}

/** A canned answer: a status and a JSON (object) or text (string) body. */
export interface CannedResponse {
  readonly status?: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A fake transport: `routes["GET http://x/"]` answers; anything else is a connection error. */
export interface FakeHandler extends Handler {
  /** Every request seen, in order. */
  readonly requests: HttpRequest[];
}

/**
 * A Handler answering from `routes`, keyed by `METHOD url` (exact URL). A function route gets
 * the request. Unknown URLs throw like a refused connection.
 */
export function fakeHandler(
  routes: Readonly<Record<string, CannedResponse | ((request: HttpRequest) => CannedResponse)>>,
): FakeHandler {
  const requests: HttpRequest[] = [];
  const handler = async (request: HttpRequest): Promise<HttpResponse> => {
    requests.push(request);
    const route = routes[`${request.method} ${request.url}`];
    if (!route) throw new Error(`connect ECONNREFUSED (no route for ${request.method} ${request.url})`);
    const canned = typeof route === "function" ? route(request) : route;
    return cannedResponse(request, canned);
  };
  return Object.assign(handler, { requests });
}

/** Builds an HttpResponse the way the http stack does (body read, json()/text()). */
export function cannedResponse(request: HttpRequest, canned: CannedResponse): HttpResponse {
  const text =
    canned.body === undefined
      ? ""
      : typeof canned.body === "string"
        ? canned.body
        : JSON.stringify(canned.body);
  const bytes = new TextEncoder().encode(text);
  return {
    status: canned.status ?? 200,
    headers: new Headers(canned.headers),
    url: request.url,
    method: request.method,
    bytes,
    json: <T>() => JSON.parse(text) as T,
    text: () => text,
  };
}

/** A minimal resolved CloudConfig for tests (what config/ would produce for a clouds.yaml entry). */
export function cloudConfig(
  auth: Partial<AuthSettings> & { authUrl: string },
  extra: Partial<Omit<CloudConfig, "auth">> = {},
): CloudConfig {
  return {
    name: "test",
    source: { file: "/tmp/clouds.yaml", fromEnv: false },
    authType: "password",
    auth,
    regions: [],
    interface: "public",
    apiVersions: {},
    endpointOverrides: {},
    tls: { verify: true },
    cache: { expirationTime: 0, expiration: {} },
    rateLimits: {},
    extra: {},
    ...extra,
  };
}
