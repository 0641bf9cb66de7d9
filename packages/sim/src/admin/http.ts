import type { Hono } from "hono";
import { SimError } from "../core/errors.js";
import type { SimEnv } from "../core/service.js";
import type { QuotaService } from "../core/world.js";
import type { SimAdmin } from "./admin.js";

async function body(req: Request): Promise<Record<string, unknown>> {
  const text = await req.text();
  if (text.trim() === "") return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new SimError(400, "expected a JSON object");
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TypeError) throw new SimError(400, e.message);
    throw e;
  }
}

/**
 * The admin HTTP API under `/_sim/` (no token: it listens on loopback only). Each route calls the
 * `SimAdmin` method of the same name.
 */
export function registerAdminRoutes(app: Hono<SimEnv>, admin: SimAdmin): void {
  const tag = (route: string) => (c: { set: (k: "service" | "route", v: string) => void }) => {
    c.set("service", "admin");
    c.set("route", route);
  };
  app.get("/_sim/log", (c) => {
    tag("GET /log")(c);
    const limit = Number(c.req.query("limit") ?? "1000");
    return c.json({ log: admin.log().slice(-Math.max(0, limit)) });
  });
  app.get("/_sim/counters", (c) => {
    tag("GET /counters")(c);
    return c.json({ counters: admin.counters() });
  });
  app.post("/_sim/reset", (c) => {
    tag("POST /reset")(c);
    admin.reset();
    return c.body(null, 204);
  });
  app.get("/_sim/faults", (c) => {
    tag("GET /faults")(c);
    return c.json({ faults: admin.faults() });
  });
  app.post("/_sim/faults", async (c) => {
    tag("POST /faults")(c);
    const rule = await body(c.req.raw);
    const id = wrap(() => admin.addFault(rule));
    return c.json({ id }, 201);
  });
  app.get("/_sim/faults/injected", (c) => {
    tag("GET /faults/injected")(c);
    return c.json({ injected: admin.faultsInjected() });
  });
  app.delete("/_sim/faults/injected", (c) => {
    tag("DELETE /faults/injected")(c);
    admin.resetFaultsInjected();
    return c.body(null, 204);
  });
  app.post("/_sim/expire-tokens", async (c) => {
    tag("POST /expire-tokens")(c);
    const b = await body(c.req.raw);
    return c.json({ expiring: wrap(() => admin.expireTokens(b.inMs === undefined ? 0 : Number(b.inMs))) });
  });
  app.post("/_sim/outage", async (c) => {
    tag("POST /outage")(c);
    const b = await body(c.req.raw);
    const ms = Number(b.ms);
    if (!Number.isFinite(ms) || ms <= 0 || ms > 600_000)
      throw new SimError(400, `outage: "ms" must be a number in (0, 600000]`);
    // Answer first: closing the listener also closes this connection.
    setTimeout(() => void admin.outage(ms).catch(() => undefined), 50);
    return c.json({ downForMs: ms }, 202);
  });
  app.delete("/_sim/faults", (c) => {
    tag("DELETE /faults")(c);
    admin.clearFaults();
    return c.body(null, 204);
  });
  app.delete("/_sim/faults/:id", (c) => {
    tag("DELETE /faults/{id}")(c);
    if (!admin.removeFault(Number(c.req.param("id")))) throw new SimError(404, "no such fault rule");
    return c.body(null, 204);
  });
  app.post("/_sim/finish-builds", (c) => {
    tag("POST /finish-builds")(c);
    return c.json({ finished: admin.finishBuilds() });
  });
  app.post("/_sim/revoke-tokens", (c) => {
    tag("POST /revoke-tokens")(c);
    return c.json({ revoked: admin.revokeTokens() });
  });
  app.post("/_sim/build-delay", async (c) => {
    tag("POST /build-delay")(c);
    const b = await body(c.req.raw);
    wrap(() => admin.setBuildDelay(Number(b.ms)));
    return c.body(null, 204);
  });
  app.post("/_sim/clock", async (c) => {
    tag("POST /clock")(c);
    const b = await body(c.req.raw);
    wrap(() => admin.advanceClock(Number(b.advanceMs)));
    return c.json({ now: new Date(admin.state.world.clock.now()).toISOString() });
  });
  app.post("/_sim/quotas", async (c) => {
    tag("POST /quotas")(c);
    const b = await body(c.req.raw);
    wrap(() =>
      admin.setQuota(
        b.service as QuotaService,
        String(b.project),
        (b.limits ?? {}) as Record<string, number>,
      ),
    );
    return c.body(null, 204);
  });
  app.post("/_sim/fail", async (c) => {
    tag("POST /fail")(c);
    const b = await body(c.req.raw);
    const target: { image?: string; flavor?: string } = {};
    if (typeof b.image === "string") target.image = b.image;
    if (typeof b.flavor === "string") target.flavor = b.flavor;
    wrap(() => admin.markFailing(target, b.failing !== false));
    return c.body(null, 204);
  });
  app.post("/_sim/seed", async (c) => {
    tag("POST /seed")(c);
    const b = await body(c.req.raw);
    return c.json(
      wrap(() => admin.seed(b)),
      201,
    );
  });
}
