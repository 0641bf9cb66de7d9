/**
 * A fault rule: what to do to requests that match it. Rules are checked in the order they were added;
 * every matching rule applies its latency, and the first one that decides what happens to the request
 * (a status, a reset, a lost or late answer, ...) wins. Rules that change what a handler does
 * (`failBuild`, `stuckBuild`, `fipDelayMs`) are consumed by the handler, first matching rule first.
 *
 * Selection: `service` and `route`; then `probability` (each matching request is hit with this
 * probability) and `times` (the rule ends after this many hits) and `forMs` (the rule ends this many
 * milliseconds after it was added, wall clock).
 *
 * @example
 * // Three 503s on the server list, then normal answers:
 * sim.admin.addFault({ service: "compute", route: "GET /servers/detail", statuses: [503, 503, 503] });
 * // Rate limit everything in the network service half of the time:
 * sim.admin.addFault({ service: "network", errorRate: 0.5, status: 429, retryAfterSeconds: 2 });
 * // One server create in ten is applied but its answer is lost (the client sees a reset):
 * sim.admin.addFault({ service: "compute", route: "POST /servers", dropResponse: true, probability: 0.1 });
 * // neutron down for 5 seconds:
 * sim.admin.addFault({ service: "network", down: true, forMs: 5000 });
 */
export interface FaultRule {
  /** Service module name (`compute`, `network`, `identity`, ...); any when absent. */
  readonly service?: string;
  /** Route template such as `GET /servers/{server_id}`, or `GET *` / `*`; any when absent. */
  readonly route?: string;
  /** Each matching request is hit with this probability in [0, 1] (default 1). */
  readonly probability?: number;
  /** The rule expires after this many hits. */
  readonly times?: number;
  /** The rule expires this many milliseconds after it was added (wall clock). */
  readonly forMs?: number;
  /** Delay added before the handler runs, in milliseconds (nothing is applied until then). */
  readonly latencyMs?: number;
  /** Status to answer with (with `errorRate`, or always when neither `errorRate` nor `statuses`). */
  readonly status?: number;
  /** Probability in [0, 1] of answering with `status` (default 500). */
  readonly errorRate?: number;
  /** A fixed sequence of statuses, one per matching request; `0` lets that request through. */
  readonly statuses?: readonly number[];
  /** Sent as `Retry-After` (seconds) with 429/503/413 answers. */
  readonly retryAfterSeconds?: number;
  /** Destroys the TCP connection instead of answering (nothing is applied). */
  readonly resetConnection?: boolean;
  /**
   * The service is down: connections are closed on arrival without an answer (nothing is applied).
   * With `forMs`, "down for N ms". (All services share one port, so a per-service outage is a reset;
   * `admin.outage(ms)` closes the listener itself: connection refused for every service.)
   */
  readonly down?: boolean;
  /** The handler runs (the request is applied), then the connection is reset: the answer is lost. */
  readonly dropResponse?: boolean;
  /** The handler runs, then the answer is held this many milliseconds (past a client's timeout). */
  readonly responseDelayMs?: number;
  /** The answer's body is trickled at this many bytes per second (headers go out at once). */
  readonly slowBodyBytesPerSecond?: number;
  /** The request's token expires now (this request and every later one with it get keystone's 401). */
  readonly expireToken?: boolean;
  /** The request's token is revoked now (401 from now on, as after `openstack token revoke`). */
  readonly revokeToken?: boolean;
  /** Create requests answer the service's real quota error (nova 403, neutron 409, cinder 413, glance 413). */
  readonly quotaExceeded?: boolean;
  /** Servers created while this rule matches `POST /servers` go to ERROR with this fault message. */
  readonly failBuild?: string;
  /** Servers created while this rule matches `POST /servers` stay in BUILD (until deleted). */
  readonly stuckBuild?: boolean;
  /**
   * A floating IP association made by a matching request (`POST /floatingips`, `PUT
   * /floatingips/{id}`) shows in neutron's lists and shows (and nova's addresses) only after this
   * many milliseconds; the write's own answer shows it at once, as neutron's does.
   */
  readonly fipDelayMs?: number;
  /** Error message for injected statuses. */
  readonly message?: string;
}

/** The kinds of fault the simulator counts (see {@link FaultTable.injected}). */
export type FaultKind =
  | "latency"
  | "status"
  | "reset"
  | "down"
  | "dropResponse"
  | "responseDelay"
  | "slowBody"
  | "expireToken"
  | "revokeToken"
  | "quotaExceeded"
  | "failBuild"
  | "stuckBuild"
  | "fipDelay";

/** Fault kinds a handler consumes (they change what the handler does rather than its answer). */
export type HandlerFaultKind = "failBuild" | "stuckBuild" | "fipDelay";

/** What the fault layer decided for one request (the kinds that hit it are in `kinds`). */
export interface FaultDecision {
  readonly latencyMs: number;
  readonly kinds: readonly FaultKind[];
  readonly status?: number;
  readonly retryAfterSeconds?: number;
  readonly message?: string;
  readonly resetConnection?: boolean;
  readonly dropResponse?: boolean;
  readonly responseDelayMs?: number;
  readonly slowBodyBytesPerSecond?: number;
  readonly expireToken?: boolean;
  readonly revokeToken?: boolean;
  readonly quotaExceeded?: boolean;
}

type Outcome = Omit<FaultDecision, "latencyMs" | "kinds">;

interface LiveRule {
  readonly id: number;
  readonly rule: FaultRule;
  /** Wall-clock expiry (from `forMs`). */
  readonly until: number | undefined;
  hits: number;
}

const FAULT_KEYS = new Set([
  "service",
  "route",
  "probability",
  "times",
  "forMs",
  "latencyMs",
  "status",
  "errorRate",
  "statuses",
  "retryAfterSeconds",
  "resetConnection",
  "down",
  "dropResponse",
  "responseDelayMs",
  "slowBodyBytesPerSecond",
  "expireToken",
  "revokeToken",
  "quotaExceeded",
  "failBuild",
  "stuckBuild",
  "fipDelayMs",
  "message",
]);

const BOOLEAN_KEYS = [
  "resetConnection",
  "down",
  "dropResponse",
  "expireToken",
  "revokeToken",
  "quotaExceeded",
  "stuckBuild",
] as const;

/** Checks a rule given over HTTP or in-process; throws a `TypeError` naming the bad field. */
export function validateFaultRule(input: unknown): FaultRule {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new TypeError("fault rule: expected an object");
  }
  const r = input as Record<string, unknown>;
  for (const key of Object.keys(r))
    if (!FAULT_KEYS.has(key)) throw new TypeError(`fault rule: unknown field "${key}"`);
  const str = (k: string) => {
    if (r[k] !== undefined && typeof r[k] !== "string")
      throw new TypeError(`fault rule: "${k}" must be a string`);
  };
  const num = (k: string, min: number, max = Number.POSITIVE_INFINITY) => {
    const v = r[k];
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max)) {
      throw new TypeError(`fault rule: "${k}" must be a number in [${min}, ${max}]`);
    }
  };
  str("service");
  str("route");
  str("message");
  str("failBuild");
  num("probability", 0, 1);
  num("times", 1);
  num("forMs", 1, 86_400_000);
  num("latencyMs", 0, 600_000);
  num("responseDelayMs", 0, 600_000);
  num("slowBodyBytesPerSecond", 1);
  num("fipDelayMs", 0, 600_000);
  num("status", 100, 599);
  num("errorRate", 0, 1);
  num("retryAfterSeconds", 0);
  for (const k of BOOLEAN_KEYS) {
    if (r[k] !== undefined && typeof r[k] !== "boolean") {
      throw new TypeError(`fault rule: "${k}" must be a boolean`);
    }
  }
  if (r.statuses !== undefined) {
    if (
      !Array.isArray(r.statuses) ||
      r.statuses.some((s) => typeof s !== "number" || (s !== 0 && (s < 100 || s > 599)))
    ) {
      throw new TypeError(
        `fault rule: "statuses" must be an array of HTTP statuses (0 passes a request through)`,
      );
    }
  }
  return r as FaultRule;
}

/** The kind a handler consumes for a rule, if it is such a rule. */
function handlerKind(rule: FaultRule): HandlerFaultKind | undefined {
  if (rule.failBuild !== undefined) return "failBuild";
  if (rule.stuckBuild) return "stuckBuild";
  if (rule.fipDelayMs !== undefined) return "fipDelay";
  return undefined;
}

/** The active fault rules, and how many faults of each kind they injected. */
export class FaultTable {
  #rules: LiveRule[] = [];
  #nextId = 1;
  readonly #injected = new Map<FaultKind, number>();
  readonly #random: () => number;

  /** `random` draws the probabilities (tests pass a seeded one). */
  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  /** Adds a rule; returns its id (for {@link remove}). */
  add(rule: FaultRule): number {
    const id = this.#nextId++;
    const valid = validateFaultRule(rule);
    const until = valid.forMs === undefined ? undefined : Date.now() + valid.forMs;
    this.#rules.push({ id, rule: valid, until, hits: 0 });
    return id;
  }

  /** Removes one rule. */
  remove(id: number): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((r) => r.id !== id);
    return this.#rules.length !== before;
  }

  /** Removes every rule (the injected counts stay; see {@link resetInjected}). */
  clear(): void {
    this.#rules = [];
  }

  /** The rules with their ids and hit counts. */
  list(): { id: number; hits: number; rule: FaultRule }[] {
    this.#expire();
    return this.#rules.map((r) => ({ id: r.id, hits: r.hits, rule: r.rule }));
  }

  /** How many faults of each kind were injected since the start (or {@link resetInjected}). */
  injected(): Partial<Record<FaultKind, number>> {
    return Object.fromEntries([...this.#injected.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Zeroes the injected counts. */
  resetInjected(): void {
    this.#injected.clear();
  }

  /** True when no rule is installed (the fast path skips everything else). */
  get empty(): boolean {
    return this.#rules.length === 0;
  }

  /** Decides what happens to one request to `service` on `route` (`GET /servers/detail`). */
  decide(service: string, route: string): FaultDecision | undefined {
    if (this.#rules.length === 0) return undefined;
    this.#expire();
    let latencyMs = 0;
    const kinds: FaultKind[] = [];
    let decided: Outcome | undefined;
    for (const live of [...this.#rules]) {
      const { rule } = live;
      if (handlerKind(rule) !== undefined || !this.#hits(live, service, route)) continue;
      if (rule.latencyMs) {
        latencyMs += rule.latencyMs;
        kinds.push("latency");
      }
      if (decided) continue;
      const outcome = this.#outcome(live);
      if (outcome) {
        decided = outcome.outcome;
        kinds.push(outcome.kind);
      }
    }
    if (!decided && latencyMs === 0) return undefined;
    for (const kind of kinds) this.#count(kind);
    return { latencyMs, kinds, ...decided };
  }

  /**
   * The first `failBuild`/`stuckBuild`/`fipDelay` rule that hits this request, consumed and counted
   * (the handler applies it), or undefined.
   */
  take(kind: HandlerFaultKind, service: string, route: string): FaultRule | undefined {
    if (this.#rules.length === 0) return undefined;
    this.#expire();
    for (const live of [...this.#rules]) {
      if (handlerKind(live.rule) !== kind || !this.#hits(live, service, route)) continue;
      this.#count(kind);
      return live.rule;
    }
    return undefined;
  }

  /** If a `failBuild` rule hits this server create, consumes one hit and returns its message. */
  takeBuildFailure(service: string, route: string): string | undefined {
    return this.take("failBuild", service, route)?.failBuild;
  }

  /** Whether the rule matches and hits (probability), counting the hit and expiring by `times`. */
  #hits(live: LiveRule, service: string, route: string): boolean {
    const { rule } = live;
    if (!matches(rule, service, route)) return false;
    if (rule.probability !== undefined && this.#random() >= rule.probability) return false;
    live.hits += 1;
    if (rule.times !== undefined && live.hits >= rule.times) this.remove(live.id);
    return true;
  }

  /** What one hit of a deciding rule does, or undefined when it only adds latency / passes. */
  #outcome(live: LiveRule): { outcome: Outcome; kind: FaultKind } | undefined {
    const { rule } = live;
    const retry = rule.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: rule.retryAfterSeconds };
    const message = rule.message === undefined ? {} : { message: rule.message };
    if (rule.down) return { outcome: { resetConnection: true }, kind: "down" };
    if (rule.resetConnection) return { outcome: { resetConnection: true }, kind: "reset" };
    if (rule.dropResponse) return { outcome: { dropResponse: true }, kind: "dropResponse" };
    if (rule.responseDelayMs !== undefined) {
      return { outcome: { responseDelayMs: rule.responseDelayMs }, kind: "responseDelay" };
    }
    if (rule.slowBodyBytesPerSecond !== undefined) {
      return { outcome: { slowBodyBytesPerSecond: rule.slowBodyBytesPerSecond }, kind: "slowBody" };
    }
    if (rule.expireToken) return { outcome: { expireToken: true }, kind: "expireToken" };
    if (rule.revokeToken) return { outcome: { revokeToken: true }, kind: "revokeToken" };
    if (rule.quotaExceeded) return { outcome: { quotaExceeded: true, ...message }, kind: "quotaExceeded" };
    if (rule.statuses !== undefined) {
      const status = rule.statuses[live.hits - 1];
      if (live.hits >= rule.statuses.length) this.remove(live.id);
      if (status === undefined || status === 0) return undefined;
      return { outcome: { status, ...retry, ...message }, kind: "status" };
    }
    if (rule.errorRate !== undefined) {
      if (this.#random() >= rule.errorRate) return undefined;
      return { outcome: { status: rule.status ?? 500, ...retry, ...message }, kind: "status" };
    }
    if (rule.status !== undefined)
      return { outcome: { status: rule.status, ...retry, ...message }, kind: "status" };
    return undefined;
  }

  #count(kind: FaultKind): void {
    this.#injected.set(kind, (this.#injected.get(kind) ?? 0) + 1);
  }

  /** Drops rules whose `forMs` has passed. */
  #expire(): void {
    if (!this.#rules.some((r) => r.until !== undefined)) return;
    const now = Date.now();
    this.#rules = this.#rules.filter((r) => r.until === undefined || r.until > now);
  }
}

function matches(rule: FaultRule, service: string, route: string): boolean {
  if (rule.service !== undefined && rule.service !== service) return false;
  const want = rule.route;
  if (want === undefined || want === "*") return true;
  if (want.endsWith("*")) return route.startsWith(want.slice(0, -1));
  return want === route;
}
