import { type Simulator, startSimulator } from "@oaktree/sim";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFakeClock } from "./clock.js";
import { OverLimitError, ServiceUnavailableError } from "./errors.js";
import { createMemoryRateLimiter } from "./rate-limit-memory.js";
import { createHttpStack } from "./stack.js";
import { createTransport, type Transport } from "./transport.js";
import type { AuthProvider } from "./types.js";

// The interceptor chain against the independent OpenStack simulator (packages/sim): its
// fault rules produce the 429s and 503s, its request log counts what reached the "cloud".

let sim: Simulator;
let transport: Transport;
let auth: AuthProvider;
let tokensIssued = 0;

beforeAll(async () => {
  sim = await startSimulator();
  transport = createTransport();
  const keystone = createHttpStack({ transport: transport.handle, retry: false });
  let cached: string | undefined;
  auth = {
    async getToken(signal) {
      if (cached) return cached;
      const response = await keystone({
        method: "POST",
        url: `${sim.url}/identity/v3/auth/tokens`,
        headers: new Headers(),
        serviceType: "identity",
        skipAuth: true,
        okStatus: [201],
        ...(signal && { signal }),
        body: {
          kind: "json",
          value: {
            auth: {
              identity: {
                methods: ["password"],
                password: { user: { name: "demo", password: "secret", domain: { name: "Default" } } },
              },
              scope: { project: { name: "demo", domain: { name: "Default" } } },
            },
          },
        },
      });
      tokensIssued++;
      cached = response.headers.get("x-subject-token") ?? undefined;
      if (!cached) throw new Error("simulator sent no X-Subject-Token");
      return cached;
    },
    invalidate(token) {
      if (cached === token) cached = undefined;
    },
  };
});
afterAll(async () => {
  await transport.close();
  await sim?.stop();
});
beforeEach(() => {
  sim.admin.clearFaults();
  sim.admin.reset();
});

// NOTE: only the simulator's identity service is registered so far, so the authenticated
// route under test is keystone's GET /v3/auth/catalog; faults target that route alone so
// that token requests stay unaffected.
const CATALOG = { service: "identity", route: "GET /auth/catalog" } as const;
const catalog = () => ({
  method: "GET" as const,
  url: `${sim.url}/identity/v3/auth/catalog`,
  headers: new Headers(),
  serviceType: "identity",
});

describe("stack against the simulator", () => {
  it("lists networks with a keystone token", async () => {
    const response = await createHttpStack({ transport: transport.handle, auth })(catalog());
    expect(response.status).toBe(200);
    expect(Array.isArray(response.json<{ catalog: unknown[] }>().catalog)).toBe(true);
  });

  it("retries a burst of 503s and then succeeds", async () => {
    sim.admin.addFault({ ...CATALOG, statuses: [503, 503] });
    const clock = createFakeClock();
    const stack = createHttpStack({ transport: transport.handle, auth, retry: { clock, random: () => 1 } });
    const response = await stack(catalog());
    expect(response.status).toBe(200);
    expect(sim.admin.count(CATALOG.service, CATALOG.route)).toBe(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it("gives up on a 503 burst longer than maxAttempts", async () => {
    sim.admin.addFault({ ...CATALOG, statuses: [503, 503, 503, 503, 503] });
    const stack = createHttpStack({
      transport: transport.handle,
      auth,
      retry: { clock: createFakeClock(), maxAttempts: 3 },
    });
    await expect(stack(catalog())).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(sim.admin.count(CATALOG.service, CATALOG.route)).toBe(3);
  });

  it("honours the simulator's 429 Retry-After and slows the whole service down", async () => {
    sim.admin.addFault({ ...CATALOG, status: 429, retryAfterSeconds: 2, times: 1 });
    const clock = createFakeClock();
    const limiter = createMemoryRateLimiter({ clock });
    const stack = createHttpStack({
      transport: transport.handle,
      auth,
      retry: { clock },
      rateLimiter: limiter,
      rateLimits: { identity: { requestsPerSecond: 50 } },
      now: clock.now,
    });
    const start = clock.now();
    const response = await stack(catalog());
    expect(response.status).toBe(200);
    expect(clock.sleeps[0]).toBe(2000);
    expect(clock.now() - start).toBeGreaterThanOrEqual(2000);
  });

  it("surfaces a 429 on a POST that is not idempotent at once", async () => {
    sim.admin.addFault({
      service: "identity",
      route: "POST /auth/tokens",
      status: 429,
      retryAfterSeconds: 1,
      times: 1,
    });
    const stack = createHttpStack({ transport: transport.handle, retry: { clock: createFakeClock() } });
    const error = await stack({
      method: "POST",
      url: `${sim.url}/identity/v3/auth/tokens`,
      headers: new Headers(),
      serviceType: "identity",
      skipAuth: true,
      body: { kind: "json", value: { auth: { identity: { methods: ["password"] } } } },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OverLimitError);
    expect((error as OverLimitError).retryAfterMs).toBe(1000);
    expect(sim.admin.count("identity", "POST /auth/tokens")).toBe(1);
  });

  it("re-authenticates once when the cloud rejects a revoked token", async () => {
    const stack = createHttpStack({ transport: transport.handle, auth });
    const token = await auth.getToken();
    const before = tokensIssued;
    // Revoke it the way a cloud would (DELETE /v3/auth/tokens), behind our provider's back.
    await createHttpStack({ transport: transport.handle, retry: false })({
      method: "DELETE",
      url: `${sim.url}/identity/v3/auth/tokens`,
      headers: new Headers({ "x-auth-token": token, "x-subject-token": token }),
      okStatus: [204],
    });
    const response = await stack(catalog());
    expect(response.status).toBe(200);
    expect(tokensIssued).toBe(before + 1);
  });

  it("holds the configured concurrency at the simulator", async () => {
    sim.admin.addFault({ ...CATALOG, latencyMs: 30 });
    const stack = createHttpStack({
      transport: transport.handle,
      auth,
      rateLimits: { identity: { maxConcurrency: 2 } },
    });
    await auth.getToken();
    await Promise.all(Array.from({ length: 8 }, () => stack(catalog())));
    const entries = sim.admin.log().filter((e) => e.route === CATALOG.route);
    expect(entries).toHaveLength(8);
    // Most requests the simulator was handling at once, from its log. Its arrival times are whole
    // milliseconds of its own clock and its durations come from another timer, so 10 ms of skew
    // are forgiven: a third request really in flight would overlap by about the 30 ms latency.
    const overlapping = entries.map(
      (a) => entries.filter((b) => b.at < a.at + a.durationMs - 10 && a.at < b.at + b.durationMs - 10).length,
    );
    expect(Math.max(...overlapping)).toBeLessThanOrEqual(2);
    expect(Math.max(...overlapping)).toBe(2);
  });
});
