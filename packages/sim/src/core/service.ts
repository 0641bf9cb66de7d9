import type { HttpBindings } from "@hono/node-server";
import type { Context, Hono } from "hono";
import type { Profile } from "../profiles.js";
import type { ErrorStyle } from "./errors.js";
import { withFaults } from "./fault-effects.js";
import type { FaultKind, FaultTable } from "./faults.js";
import type { TokenRecord } from "./records.js";
import type { RequestLog } from "./request-log.js";
import type { World } from "./world.js";

/** Shared state of one running simulator, reachable from every handler as `c.var.sim`. */
export interface SimState {
  readonly world: World;
  readonly profile: Profile;
  readonly log: RequestLog;
  readonly faults: FaultTable;
  readonly modules: readonly ServiceModule[];
  /** `http://127.0.0.1:PORT` once listening. */
  baseUrl: string;
}

/** Hono environment of the simulator's app. */
export interface SimEnv {
  Bindings: HttpBindings;
  Variables: {
    sim: SimState;
    requestId: string;
    /** Owning service module name, set by the route wrapper (for logs, faults and error style). */
    service: string;
    /** `GET /servers/{server_id}`, set by the route wrapper. */
    route: string;
    /** The validated token of an authenticated route. */
    token: TokenRecord;
    /** Headers every response of this request carries (microversion headers, ...), errors included. */
    extraHeaders: Record<string, string>;
    /** The negotiated microversion (`2.47`), when the group negotiates one. */
    microversion: string;
    /** The kinds of fault injected into this request (for the request log). */
    faults: FaultKind[];
  };
}

/** A handler context. */
export type SimContext = Context<SimEnv>;

/** A route handler. */
export type SimHandler = (c: SimContext) => Response | Promise<Response>;

/** One catalog entry a module publishes (keystone adds ids, regions and interfaces). */
export interface CatalogService {
  readonly type: string;
  readonly name: string;
  /** Full public URL of the endpoint. */
  readonly url: string;
}

/**
 * One OpenStack service of the simulator. To add one, write a module implementing this interface in
 * `services/<name>/index.ts` and add it to the list in `services/index.ts` (nothing else changes).
 */
export interface ServiceModule {
  /** Short name used in logs, counters and fault rules: `identity`, `compute`, `image`, ... */
  readonly name: string;
  /** Path prefix on the simulator's single port, like devstack: `/compute`, `/image`, ... */
  readonly prefix: string;
  /** How this service renders errors. */
  readonly errorStyle: ErrorStyle;
  /** Whether the profile has this service at all. */
  enabled(profile: Profile): boolean;
  /** Catalog entries for a token scoped to `projectId` (empty string when unscoped). */
  catalog(sim: SimState, projectId: string): CatalogService[];
  /** Adds the routes. */
  register(router: ServiceRouter): void;
  /** Fills the initial state of a fresh cloud (after identity's seed, in module order). */
  seed?(world: World): void;
}

/** One registered route, as the route wrapper names it (for fidelity tests, docs and tooling). */
export interface RegisteredRoute {
  /** Owning module (`compute`). */
  readonly service: string;
  /** `GET /servers/{server_id}`: method and template, bases and prefix removed. */
  readonly route: string;
  /** The bases it is served under within the module prefix (`/v2.1`, `/v2.1/{project_id}`). */
  readonly bases: readonly string[];
  /** The path under the module prefix with the first base (`/v2.1/servers/{server_id}`, `/` for a root). */
  readonly path: string;
  /** Whether it requires a token. */
  readonly auth: boolean;
}

const ROUTES = new WeakMap<SimState, RegisteredRoute[]>();

/**
 * Every route the enabled modules registered on this simulator, in registration order; a route served
 * by two groups (nova's `/v2.1` and legacy `/v2`) appears once per group.
 */
export function registeredRoutes(sim: SimState): readonly RegisteredRoute[] {
  return ROUTES.get(sim) ?? [];
}

/** Options of a route group. */
export interface GroupOptions {
  /** Path bases within the module prefix that each route is served under, e.g. `["/v2.1"]`. */
  readonly bases: readonly string[];
  /** Requires a valid token (default true). */
  readonly auth?: boolean;
  /** Runs after auth and before the handler (microversion negotiation, project checks). */
  readonly before?: (c: SimContext) => void;
}

/** Options of one route. */
export interface RouteOptions {
  /** Overrides the group's `auth`. */
  readonly auth?: boolean;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

/**
 * Registers routes of one module under one or more path bases, wrapping each handler so that it:
 * records its route template (for counters and fault rules), settles due state transitions,
 * applies fault rules, validates the token, and runs the group's `before` hook.
 */
export class RouteGroup {
  readonly #router: ServiceRouter;
  readonly #opts: GroupOptions;

  constructor(router: ServiceRouter, opts: GroupOptions) {
    this.#router = router;
    this.#opts = opts;
  }

  get(template: string, handler: SimHandler, opts?: RouteOptions): this {
    return this.on("GET", template, handler, opts);
  }
  post(template: string, handler: SimHandler, opts?: RouteOptions): this {
    return this.on("POST", template, handler, opts);
  }
  put(template: string, handler: SimHandler, opts?: RouteOptions): this {
    return this.on("PUT", template, handler, opts);
  }
  patch(template: string, handler: SimHandler, opts?: RouteOptions): this {
    return this.on("PATCH", template, handler, opts);
  }
  delete(template: string, handler: SimHandler, opts?: RouteOptions): this {
    return this.on("DELETE", template, handler, opts);
  }
  head(template: string, handler: SimHandler, opts?: RouteOptions): this {
    return this.on("HEAD", template, handler, opts);
  }

  /**
   * Adds a route. `template` uses hono's `:param` syntax relative to the bases (`/servers/:server_id`);
   * it is recorded as `GET /servers/{server_id}`.
   */
  on(method: Method, template: string, handler: SimHandler, opts: RouteOptions = {}): this {
    const auth = opts.auth ?? this.#opts.auth ?? true;
    const route = `${method} ${template.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}") || "/"}`;
    const wrapped = this.#router.wrap(route, auth, this.#opts.before, handler);
    const sim = this.#router.sim;
    let list = ROUTES.get(sim);
    if (!list) {
      list = [];
      ROUTES.set(sim, list);
    }
    const named = (p: string) => p.replace(/:([A-Za-z0-9_]+)(\{(?:[^{}]|\{[^}]*\})*\})?/g, "{$1}");
    const bases = this.#opts.bases.map(named);
    list.push({
      service: this.#router.module.name,
      route,
      bases,
      path: `${bases[0] ?? ""}${named(template)}` || "/",
      auth,
    });
    for (const base of this.#opts.bases) {
      const path = `${base}${template}` || "/";
      this.#router.app.on(method, path, wrapped);
      // NOTE: every OpenStack API tolerates a trailing slash on collection URLs (routes, webob).
      if (path !== "/" && !path.endsWith("/")) this.#router.app.on(method, `${path}/`, wrapped);
      // The module root with a trailing slash (`/image/`): an empty-matching parameter, as hono's
      // mounted sub-apps only match the bare prefix for "/".
      if (path === "/") this.#router.app.on(method, "/:root{$}", wrapped);
    }
    return this;
  }
}

/** Authenticates a request: the token of `X-Auth-Token`, or a 401 in keystonemiddleware's shape. */
export type Authenticate = (c: SimContext) => TokenRecord;

/** The routes of one service module, mounted under its prefix. */
export class ServiceRouter {
  readonly app: Hono<SimEnv>;
  readonly module: ServiceModule;
  readonly sim: SimState;
  readonly #authenticate: Authenticate;

  constructor(app: Hono<SimEnv>, module: ServiceModule, sim: SimState, authenticate: Authenticate) {
    this.app = app;
    this.module = module;
    this.sim = sim;
    this.#authenticate = authenticate;
  }

  /** A group of routes sharing bases, auth and a `before` hook. */
  group(opts: GroupOptions): RouteGroup {
    return new RouteGroup(this, opts);
  }

  /** Wraps a handler (see {@link RouteGroup}). */
  wrap(
    route: string,
    auth: boolean,
    before: ((c: SimContext) => void) | undefined,
    handler: SimHandler,
  ): (c: SimContext) => Promise<Response> {
    const service = this.module.name;
    const sim = this.sim;
    const authenticate = this.#authenticate;
    return async (c) => {
      c.set("service", service);
      c.set("route", route);
      sim.world.settle();
      const run = (ctx: SimContext) => {
        if (auth) ctx.set("token", authenticate(ctx));
        before?.(ctx);
        return handler(ctx);
      };
      const decision = sim.faults.empty ? undefined : sim.faults.decide(service, route);
      return decision ? withFaults(c, decision, service, route, run) : run(c);
    };
  }
}
