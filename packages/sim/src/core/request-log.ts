/** One request seen by the simulator. */
export interface LogEntry {
  /** Milliseconds since the epoch (simulator clock) when the request arrived. */
  readonly at: number;
  /** Service module name (`identity`, `compute`, `network`, ...), `admin` or `unknown`. */
  readonly service: string;
  readonly method: string;
  /** The path as requested, without the query string. */
  readonly path: string;
  readonly query: string;
  /** Route template without the service prefix and version, e.g. `GET /servers/{server_id}`. */
  readonly route: string;
  readonly status: number;
  readonly durationMs: number;
  readonly requestId: string;
  /** The kinds of fault injected into this request (`dropResponse`, `status`, ...), when any. */
  readonly faults?: readonly string[];
}

/**
 * The request log (a bounded ring buffer) and counters by `service METHOD /template`.
 * Recording is O(1) and synchronous in memory: nothing is written to disk or stdout per request.
 */
export class RequestLog {
  readonly #capacity: number;
  #entries: LogEntry[] = [];
  #next = 0;
  #counters = new Map<string, number>();

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  /** Records one request. */
  record(entry: LogEntry): void {
    if (this.#entries.length < this.#capacity) this.#entries.push(entry);
    else this.#entries[this.#next] = entry;
    this.#next = (this.#next + 1) % this.#capacity;
    const key = `${entry.service} ${entry.route}`;
    this.#counters.set(key, (this.#counters.get(key) ?? 0) + 1);
  }

  /** The retained entries, oldest first. */
  entries(): LogEntry[] {
    if (this.#entries.length < this.#capacity) return [...this.#entries];
    return [...this.#entries.slice(this.#next), ...this.#entries.slice(0, this.#next)];
  }

  /** Counters keyed `"compute GET /servers/detail"`. */
  counters(): Record<string, number> {
    return Object.fromEntries([...this.#counters.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** How many requests hit one route of one service, e.g. `count("compute", "GET /servers/detail")`. */
  count(service: string, route: string): number {
    return this.#counters.get(`${service} ${route}`) ?? 0;
  }

  /** Forgets every entry and counter. */
  reset(): void {
    this.#entries = [];
    this.#next = 0;
    this.#counters.clear();
  }
}
