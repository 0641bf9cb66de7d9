/**
 * A fault rule: what to do to requests that match it. Rules are checked in the order they were added;
 * every matching rule applies its latency, and the first one that decides a status (or a reset) wins.
 *
 * @example
 * // Three 503s on the server list, then normal answers:
 * sim.admin.addFault({ service: "compute", route: "GET /servers/detail", statuses: [503, 503, 503] });
 * // Rate limit everything in the network service half of the time:
 * sim.admin.addFault({ service: "network", errorRate: 0.5, status: 429, retryAfterSeconds: 2 });
 */
export interface FaultRule {
  /** Service module name (`compute`, `network`, `identity`, ...); any when absent. */
  readonly service?: string;
  /** Route template such as `GET /servers/{server_id}`, or `GET *` / `*`; any when absent. */
  readonly route?: string;
  /** Delay added before answering, in milliseconds. */
  readonly latencyMs?: number;
  /** Status to answer with (with `errorRate`, or always when neither `errorRate` nor `statuses`). */
  readonly status?: number;
  /** Probability in [0, 1] of answering with `status` (default 500). */
  readonly errorRate?: number;
  /** A fixed sequence of statuses, one per matching request; `0` lets that request through. */
  readonly statuses?: readonly number[];
  /** Sent as `Retry-After` (seconds) with 429/503/413 answers. */
  readonly retryAfterSeconds?: number;
  /** Destroys the TCP connection instead of answering. */
  readonly resetConnection?: boolean;
  /** Servers created while this rule matches `POST /servers` go to ERROR with this fault message. */
  readonly failBuild?: string;
  /** The rule expires after this many matching requests. */
  readonly times?: number;
  /** Error message for injected statuses. */
  readonly message?: string;
}

/** What the fault layer decided for one request. */
export interface FaultDecision {
  readonly latencyMs: number;
  readonly status?: number;
  readonly retryAfterSeconds?: number;
  readonly resetConnection?: boolean;
  readonly message?: string;
}

interface LiveRule {
  readonly id: number;
  readonly rule: FaultRule;
  hits: number;
}

const FAULT_KEYS = new Set([
  "service",
  "route",
  "latencyMs",
  "status",
  "errorRate",
  "statuses",
  "retryAfterSeconds",
  "resetConnection",
  "failBuild",
  "times",
  "message",
]);

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
  num("latencyMs", 0, 600_000);
  num("status", 100, 599);
  num("errorRate", 0, 1);
  num("retryAfterSeconds", 0);
  num("times", 1);
  if (r.resetConnection !== undefined && typeof r.resetConnection !== "boolean") {
    throw new TypeError(`fault rule: "resetConnection" must be a boolean`);
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

/** The active fault rules. */
export class FaultTable {
  #rules: LiveRule[] = [];
  #nextId = 1;

  /** Adds a rule; returns its id (for {@link remove}). */
  add(rule: FaultRule): number {
    const id = this.#nextId++;
    this.#rules.push({ id, rule: validateFaultRule(rule), hits: 0 });
    return id;
  }

  /** Removes one rule. */
  remove(id: number): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((r) => r.id !== id);
    return this.#rules.length !== before;
  }

  /** Removes every rule. */
  clear(): void {
    this.#rules = [];
  }

  /** The rules with their ids and hit counts. */
  list(): { id: number; hits: number; rule: FaultRule }[] {
    return this.#rules.map((r) => ({ id: r.id, hits: r.hits, rule: r.rule }));
  }

  /** True when no rule is installed (the fast path skips everything else). */
  get empty(): boolean {
    return this.#rules.length === 0;
  }

  /** Decides latency/status/reset for one request to `service` on `route` (`GET /servers/detail`). */
  decide(service: string, route: string): FaultDecision | undefined {
    if (this.#rules.length === 0) return undefined;
    let latencyMs = 0;
    let decided: Omit<FaultDecision, "latencyMs"> | undefined;
    for (const live of [...this.#rules]) {
      const { rule } = live;
      if (rule.failBuild !== undefined) continue;
      if (!matches(rule, service, route)) continue;
      live.hits += 1;
      if (rule.times !== undefined && live.hits >= rule.times) this.remove(live.id);
      latencyMs += rule.latencyMs ?? 0;
      if (decided) continue;
      const retry = rule.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: rule.retryAfterSeconds };
      const message = rule.message === undefined ? {} : { message: rule.message };
      if (rule.resetConnection) {
        decided = { resetConnection: true };
      } else if (rule.statuses !== undefined) {
        const status = rule.statuses[live.hits - 1];
        if (live.hits >= rule.statuses.length) this.remove(live.id);
        if (status !== undefined && status !== 0) decided = { status, ...retry, ...message };
      } else if (rule.errorRate !== undefined) {
        if (Math.random() < rule.errorRate) decided = { status: rule.status ?? 500, ...retry, ...message };
      } else if (rule.status !== undefined) {
        decided = { status: rule.status, ...retry, ...message };
      }
    }
    if (!decided && latencyMs === 0) return undefined;
    return { latencyMs, ...decided };
  }

  /** If a `failBuild` rule matches this server create, consumes one hit and returns its message. */
  takeBuildFailure(service: string, route: string): string | undefined {
    for (const live of this.#rules) {
      if (live.rule.failBuild === undefined || !matches(live.rule, service, route)) continue;
      live.hits += 1;
      if (live.rule.times !== undefined && live.hits >= live.rule.times) this.remove(live.id);
      return live.rule.failBuild;
    }
    return undefined;
  }
}

function matches(rule: FaultRule, service: string, route: string): boolean {
  if (rule.service !== undefined && rule.service !== service) return false;
  const want = rule.route;
  if (want === undefined || want === "*") return true;
  if (want.endsWith(" *")) return route.startsWith(want.slice(0, -1));
  if (want.endsWith("*")) return route.startsWith(want.slice(0, -1));
  return want === route;
}
