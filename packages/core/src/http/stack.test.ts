import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Clock, createFakeClock } from "./clock.js";
import {
  ConnectionError,
  NotFoundError,
  OverLimitError,
  ServiceUnavailableError,
  TimeoutError,
  UnauthorizedError,
} from "./errors.js";
import { createHttpStack, type HttpStackOptions } from "./stack.js";
import { sendJson, startTestServer, type TestServer } from "./test-server.js";
import { createTransport, type Transport } from "./transport.js";
import type { AuthProvider, HttpMethod, HttpRequest } from "./types.js";

let server: TestServer;
let transport: Transport;

// A fresh server per test: a request a test gave up on (the timeout tests) can still reach
// the server after that test ended, and on a shared server it would be counted, and
// answered, by the next test.
beforeAll(() => {
  transport = createTransport();
});
afterAll(async () => {
  await transport.close();
});
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

function stack(options: HttpStackOptions = {}) {
  return createHttpStack({ transport: transport.handle, retry: { clock: createFakeClock() }, ...options });
}

function call(method: HttpMethod, path: string, extra: Partial<HttpRequest> = {}): HttpRequest {
  return { method, url: `${server.url}${path}`, headers: new Headers(), serviceType: "compute", ...extra };
}

/** An AuthProvider that hands out token-1, token-2, ... and records invalidations. */
function countingAuth() {
  let n = 0;
  let current: string | undefined;
  const invalidated: string[] = [];
  const provider: AuthProvider = {
    async getToken() {
      current ??= `token-${++n}`;
      return current;
    },
    invalidate(token) {
      invalidated.push(token);
      if (current === token) current = undefined;
    },
  };
  return { provider, invalidated, issued: () => n };
}

describe("auth", () => {
  it("sends X-Auth-Token, re-authenticates once on a 401 and retries once", async () => {
    server.route((req, res) =>
      req.headers["x-auth-token"] === "token-2"
        ? sendJson(res, 200, { ok: true })
        : sendJson(res, 401, {
            error: {
              code: 401,
              title: "Unauthorized",
              message: "The request you have made requires authentication.",
            },
          }),
    );
    const auth = countingAuth();
    const response = await stack({ auth: auth.provider })(call("GET", "/servers"));
    expect(response.status).toBe(200);
    expect(server.requests.map((r) => r.headers["x-auth-token"])).toEqual(["token-1", "token-2"]);
    expect(auth.invalidated).toEqual(["token-1"]);
  });

  it("surfaces a second 401 as UnauthorizedError without a third attempt", async () => {
    server.route((_req, res) =>
      sendJson(res, 401, {
        error: {
          code: 401,
          title: "Unauthorized",
          message: "The request you have made requires authentication.",
        },
      }),
    );
    const auth = countingAuth();
    const error = await stack({ auth: auth.provider })(call("POST", "/servers", { idempotent: true })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as UnauthorizedError).detail).toBe("The request you have made requires authentication.");
    expect(server.requests).toHaveLength(2);
    expect(auth.invalidated).toEqual(["token-1"]);
    expect(auth.issued()).toBe(2);
  });

  it("leaves skipAuth requests alone", async () => {
    server.route((_req, res) => sendJson(res, 200, {}));
    const auth = countingAuth();
    await stack({ auth: auth.provider })(call("GET", "/", { skipAuth: true }));
    expect(server.requests[0]?.headers["x-auth-token"]).toBeUndefined();
    expect(auth.issued()).toBe(0);
  });
});

describe("retry", () => {
  it("retries a GET on 503 with backoff, then succeeds", async () => {
    let n = 0;
    server.route((_req, res) =>
      ++n < 3 ? sendJson(res, 503, { message: "busy" }) : sendJson(res, 200, { ok: 1 }),
    );
    const clock = createFakeClock();
    const response = await stack({ retry: { clock, random: () => 0.5, baseDelayMs: 100 } })(
      call("GET", "/s"),
    );
    expect(response.json()).toEqual({ ok: 1 });
    expect(server.requests).toHaveLength(3);
    // Full jitter with random 0.5: half of 100, then half of 200.
    expect(clock.sleeps).toEqual([50, 100]);
  });

  it("honours Retry-After in seconds and as an HTTP date on 429", async () => {
    const clock = createFakeClock(Date.parse("2026-11-25T12:00:00Z"));
    let n = 0;
    server.route((_req, res) => {
      n++;
      if (n === 1) return sendJson(res, 429, { message: "slow down" }, { "retry-after": "7" });
      if (n === 2) {
        return sendJson(
          res,
          429,
          { message: "slow down" },
          { "retry-after": "Wed, 25 Nov 2026 12:00:10 GMT" },
        );
      }
      return sendJson(res, 200, {});
    });
    await stack({ retry: { clock }, now: clock.now })(call("GET", "/limited"));
    expect(server.requests).toHaveLength(3);
    // 7 s, then the date 10 s after the start minus the 7 s already slept.
    expect(clock.sleeps).toEqual([7000, 3000]);
  });

  it("surfaces a 429 at once when Retry-After exceeds maxRetryAfterMs", async () => {
    server.route((_req, res) =>
      sendJson(res, 429, { message: "Rate limit exceeded" }, { "retry-after": "600" }),
    );
    const clock = createFakeClock();
    const error = await stack({ retry: { clock, maxRetryAfterMs: 60_000 } })(call("GET", "/x")).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OverLimitError);
    expect((error as OverLimitError).retryAfterMs).toBe(600_000);
    expect(clock.sleeps).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it("does not retry a 413 without Retry-After (a quota refusal)", async () => {
    server.route((_req, res) =>
      sendJson(res, 413, {
        overLimit: {
          code: 413,
          message: "VolumeSizeExceedsAvailableQuota: Requested volume exceeds allowed gigabytes quota.",
        },
      }),
    );
    await expect(stack()(call("PUT", "/volumes/x"))).rejects.toBeInstanceOf(OverLimitError);
    expect(server.requests).toHaveLength(1);
  });

  it("gives up after maxAttempts and surfaces the last error", async () => {
    server.route((_req, res) => sendJson(res, 502, "<html><body>Bad Gateway</body></html>"));
    const error = await stack({ retry: { clock: createFakeClock(), maxAttempts: 3 } })(
      call("GET", "/x"),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(server.requests).toHaveLength(3);
  });

  it("does not retry a POST unless it is marked idempotent", async () => {
    server.route((_req, res) => sendJson(res, 503, {}));
    await expect(stack()(call("POST", "/servers"))).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(server.requests).toHaveLength(1);
    server.requests.length = 0;
    await expect(
      stack({ retry: { clock: createFakeClock(), maxAttempts: 2 } })(
        call("POST", "/action", { idempotent: true }),
      ),
    ).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(server.requests).toHaveLength(2);
  });

  it("does not retry client errors", async () => {
    server.route((_req, res) =>
      sendJson(res, 404, { itemNotFound: { code: 404, message: "Instance x could not be found." } }),
    );
    await expect(stack()(call("GET", "/servers/x"))).rejects.toBeInstanceOf(NotFoundError);
    expect(server.requests).toHaveLength(1);
  });

  it("retries a GET after a connection reset", async () => {
    let n = 0;
    server.route((_req, res, raw) => {
      if (++n === 1) raw.socket.destroy();
      else sendJson(res, 200, { ok: true });
    });
    const response = await stack()(call("GET", "/flaky"));
    expect(response.json()).toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
  });

  it("surfaces a connection reset on a POST at once", async () => {
    server.route((_req, _res, raw) => raw.socket.destroy());
    await expect(stack()(call("POST", "/servers"))).rejects.toBeInstanceOf(ConnectionError);
    expect(server.requests).toHaveLength(1);
  });

  it("stops waiting when the caller aborts during the backoff", async () => {
    server.route((_req, res) => sendJson(res, 503, {}));
    const controller = new AbortController();
    let sleeping: () => void = () => {};
    const asleep = new Promise<void>((resolve) => {
      sleeping = resolve;
    });
    // A clock whose sleep only ends by abort: the test cannot pass by waiting it out.
    const clock: Clock = {
      now: () => 0,
      sleep: (_ms, signal) =>
        new Promise<void>((_resolve, reject) => {
          sleeping();
          signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
        }),
    };
    const pending = stack({ retry: { clock } })(call("GET", "/x", { signal: controller.signal }));
    await asleep;
    controller.abort(new Error("user cancelled"));
    await expect(pending).rejects.toThrow("user cancelled");
    expect(server.requests).toHaveLength(1);
  });
});

describe("timeout", () => {
  it("raises TimeoutError when the service does not answer in time", async () => {
    server.route(() => {
      // never answers
    });
    const error = await stack({ retry: false })(call("GET", "/slow", { timeoutMs: 50 })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(50);
    expect((error as TimeoutError).message).toContain("timed out after 50 ms");
  });

  it("uses the stack's default timeout when the request has none", async () => {
    server.route(() => {});
    await expect(stack({ retry: false, timeoutMs: 30 })(call("GET", "/slow"))).rejects.toBeInstanceOf(
      TimeoutError,
    );
  });
});

describe("request id", () => {
  it("sends one client request id for all attempts and stamps both ids on errors", async () => {
    server.route((_req, res) =>
      sendJson(res, 503, { message: "down" }, { "x-openstack-request-id": "req-service" }),
    );
    const error = (await stack({
      retry: { clock: createFakeClock(), maxAttempts: 2 },
      requestId: () => "req-client",
    })(call("GET", "/x")).catch((e: unknown) => e)) as ServiceUnavailableError;
    expect(server.requests.map((r) => r.headers["x-openstack-request-id"])).toEqual([
      "req-client",
      "req-client",
    ]);
    expect(error.requestId).toBe("req-service");
    expect(error.clientRequestId).toBe("req-client");
    expect(error.message).toContain("request req-service");
  });

  it("stamps the client id on connection errors, which have no service id", async () => {
    server.route((_req, _res, raw) => raw.socket.destroy());
    const error = (await stack({ retry: false, requestId: () => "req-abc" })(call("GET", "/x")).catch(
      (e: unknown) => e,
    )) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.clientRequestId).toBe("req-abc");
    expect(error.message).toContain("request req-abc");
  });
});

describe("rate limit", () => {
  it("never lets more than maxConcurrency requests in flight at the server", async () => {
    server.route((_req, res) => setTimeout(() => sendJson(res, 200, {}), 20));
    const limited = stack({ rateLimits: { compute: { maxConcurrency: 3 } } });
    await Promise.all(Array.from({ length: 12 }, (_, i) => limited(call("GET", `/c/${i}`))));
    expect(server.requests).toHaveLength(12);
    expect(server.concurrency.max).toBe(3);
  });

  it("lets unlimited services through in parallel", async () => {
    server.route((_req, res) => setTimeout(() => sendJson(res, 200, {}), 20));
    const limited = stack({ rateLimits: { compute: { maxConcurrency: 1 } } });
    await Promise.all(
      Array.from({ length: 4 }, () => limited(call("GET", "/n", { serviceType: "network" }))),
    );
    expect(server.concurrency.max).toBeGreaterThan(1);
  });

  it("slows the whole service down after a 429 with Retry-After", async () => {
    const clock = createFakeClock();
    let n = 0;
    server.route((_req, res) =>
      ++n === 1 ? sendJson(res, 429, {}, { "retry-after": "2" }) : sendJson(res, 200, {}),
    );
    const { createMemoryRateLimiter } = await import("./rate-limit-memory.js");
    const limiter = createMemoryRateLimiter({ clock });
    const limited = stack({
      rateLimiter: limiter,
      rateLimits: { "*": { requestsPerSecond: 100 } },
      retry: { clock: { now: clock.now, sleep: async () => {} } },
      now: clock.now,
    });
    const start = clock.now();
    await limited(call("GET", "/a"));
    // The retry did not sleep (its clock is a no-op): the limiter held it for the 2 s penalty.
    expect(clock.now() - start).toBeGreaterThanOrEqual(2000);
    expect(server.requests).toHaveLength(2);
  });
});
