import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { authenticate } from "./auth.js";
import { type ErrorStyle, novaErrorStyle, plainErrorStyle, SimError } from "./errors.js";
import { type ServiceModule, ServiceRouter, type SimEnv, type SimState } from "./service.js";

/**
 * Builds the simulator's single HTTP app: a root middleware (request ids, extra headers, request log),
 * one error renderer, and every enabled service module mounted under its prefix.
 */
export function createApp(sim: SimState, extra?: (app: Hono<SimEnv>) => void): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  const byName = new Map<string, ServiceModule>(sim.modules.map((m) => [m.name, m]));
  const prefixes = sim.modules
    .map((m) => [m.prefix, m.name] as const)
    .sort((a, b) => b[0].length - a[0].length);
  const serviceOfPath = (path: string): string => {
    for (const [prefix, name] of prefixes) if (path === prefix || path.startsWith(`${prefix}/`)) return name;
    return path.startsWith("/_sim") ? "admin" : "unknown";
  };

  app.use("*", async (c, next) => {
    const at = sim.world.clock.now();
    const start = performance.now();
    const requestId = `req-${randomUUID()}`;
    c.set("sim", sim);
    c.set("requestId", requestId);
    c.set("extraHeaders", {});
    await next();
    const res = c.res;
    const service = c.var.service ?? serviceOfPath(c.req.path);
    res.headers.set("x-openstack-request-id", requestId);
    // NOTE: nova also sends its legacy request id header (all microversions).
    if (service === "compute") res.headers.set("x-compute-request-id", requestId);
    for (const [k, v] of Object.entries(c.var.extraHeaders)) res.headers.set(k, v);
    const url = c.req.url;
    const q = url.indexOf("?");
    sim.log.record({
      at,
      service,
      method: c.req.method,
      path: c.req.path,
      query: q >= 0 ? url.slice(q + 1) : "",
      route: c.var.route ?? `${c.req.method} (unmatched)`,
      status: res.status,
      durationMs: performance.now() - start,
      requestId,
      ...(c.var.faults && { faults: c.var.faults }),
    });
  });

  const render = (c: Parameters<Parameters<typeof app.onError>[0]>[1], err: SimError): Response => {
    const service = c.var.service ?? serviceOfPath(c.req.path);
    const style: ErrorStyle = err.style ?? byName.get(service)?.errorStyle ?? plainErrorStyle;
    const { body, contentType } = style(err.status, err.message, err.type);
    const headers = new Headers({ "content-type": contentType, ...err.headers });
    return new Response(c.req.method === "HEAD" ? null : body, { status: err.status, headers });
  };

  app.onError((err, c) => {
    if (err instanceof SimError) return render(c, err);
    // A bug in the simulator: answer as a cloud would (500) and keep the message for the log reader.
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const service = c.var.service ?? serviceOfPath(c.req.path);
    const style = byName.get(service)?.errorStyle ?? novaErrorStyle;
    const { body, contentType } = style(500, message, "HTTPInternalServerError");
    return new Response(body, { status: 500, headers: { "content-type": contentType } });
  });

  app.notFound((c) => {
    const service = serviceOfPath(c.req.path);
    c.set("service", service);
    return render(c, new SimError(404, "The resource could not be found."));
  });

  extra?.(app);
  for (const module of sim.modules) {
    const sub = new Hono<SimEnv>();
    module.register(new ServiceRouter(sub, module, sim, authenticate));
    app.route(module.prefix, sub);
  }
  return app;
}
