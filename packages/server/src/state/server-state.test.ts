/** The server's shared state: health, metrics and the shared rate limiter, on a real Redis. */
import { redisSkipReason, startRedis, type TestRedis } from "@oaktree/core/testing/redis.js";
import { pino } from "pino";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openServerState, type StateHealth } from "./server-state.js";

const skip = redisSkipReason();
if (skip) console.warn(`skipping the server state tests: ${skip}`);

let redis: TestRedis;
beforeAll(async () => {
  if (!skip) redis = await startRedis();
}, 20_000);
afterAll(async () => {
  await redis?.stop();
});

const logger = pino({ level: "silent" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("openServerState", () => {
  it("memory: no backend, no limiter, health 'local'", async () => {
    const state = await openServerState({ backend: "memory" }, { logger, registry: new Registry() });
    expect(state.backend).toBeUndefined();
    expect(state.rateLimiter).toBeUndefined();
    expect(state.health()).toEqual({ backend: "memory", mode: "local", failovers: 0 });
    await state.close();
  });

  it.skipIf(skip !== undefined)(
    "redis: health and metrics follow the link (degraded, then shared), and two servers share one rate",
    async () => {
      const registries = [new Registry(), new Registry()];
      const states = await Promise.all(
        registries.map((registry) =>
          openServerState({ backend: "redis", url: redis.url }, { logger, registry }),
        ),
      );
      try {
        const [a, b] = states as [
          Awaited<ReturnType<typeof openServerState>>,
          Awaited<ReturnType<typeof openServerState>>,
        ];
        expect(a.health()).toEqual({ backend: "redis", mode: "shared", failovers: 0 });
        const metric = async () =>
          (await registries[0]!.metrics()).split("\n").filter((l) => l.startsWith("oaktree_state"));
        expect(await metric()).toEqual([
          'oaktree_state_backend_up{backend="redis"} 1',
          'oaktree_state_failovers_total{backend="redis"} 0',
        ]);
        // One bucket for both: 10/s with no burst, 6 requests over two servers take about 0.5 s.
        const started = Date.now();
        const limit = { requestsPerSecond: 10, burst: 1 };
        await Promise.all(
          Array.from({ length: 6 }, async (_, i) =>
            (await (i % 2 ? a : b).rateLimiter!.acquire("sim/compute", limit))(),
          ),
        );
        expect(Date.now() - started).toBeGreaterThanOrEqual(450);

        const changes: StateHealth[] = [];
        a.onChange((health) => changes.push(health));
        await redis.kill();
        for (let i = 0; i < 100 && a.health().mode !== "degraded"; i += 1) await sleep(20);
        expect(a.health()).toEqual({ backend: "redis", mode: "degraded", failovers: 1 });
        expect(await metric()).toEqual([
          'oaktree_state_backend_up{backend="redis"} 0',
          'oaktree_state_failovers_total{backend="redis"} 1',
        ]);
        await redis.restart();
        for (let i = 0; i < 400 && a.health().mode !== "shared"; i += 1) await sleep(20);
        expect(changes.map((health) => health.mode)).toEqual(["degraded", "shared"]);
        expect((await metric())[0]).toBe('oaktree_state_backend_up{backend="redis"} 1');
      } finally {
        await Promise.all(states.map((state) => state.close()));
      }
    },
    20_000,
  );
});
