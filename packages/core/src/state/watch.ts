import { randomUUID } from "node:crypto";
import { systemClock } from "../http/clock.js";
import type { StateBackend } from "./backend.js";

/** How a wait ended. Waiters return a state instead of throwing (STYLE.md point 8). */
export type WaitState = "success" | "failure" | "timeout" | "aborted";

/** How a wait ended, with the object as last seen. */
export interface WaitResult<T> {
  readonly state: WaitState;
  /** The object as last seen (absent when it never appeared, or is gone). */
  readonly value?: T;
}

/** A judge's verdict on the object a waiter waits for. */
export type Verdict = "success" | "failure" | "pending";

/**
 * Decides a wait from the latest view of one object: `item` is undefined when the latest
 * listing does not contain it; `seen` tells whether any listing since the wait began did.
 */
export type Judge<T> = (item: T | undefined, seen: boolean) => Verdict;

/** How to list one kind of resource for one (cloud, region, project). */
export interface WatchSource<T> {
  /** Every object: the full reconcile. */
  listAll(signal: AbortSignal): Promise<readonly T[]>;
  /**
   * Objects changed at or after `since` (a timestamp in the cloud's clock), deleted ones
   * included (nova `changes-since`). Absent when the API has no incremental listing.
   */
  listChangedSince?(since: string, signal: AbortSignal): Promise<readonly T[]>;
  idOf(item: T): string;
  /** When the cloud last changed the object (nova `updated`): the next poll's `since`. */
  changedAtOf?(item: T): string | undefined;
  /** True for an object an incremental listing reports as deleted (nova status DELETED). */
  isDeleted?(item: T): boolean;
  /** Changes whenever the object does; default: its JSON. */
  revisionOf?(item: T): string;
}

/** One change a shared watch saw. */
export interface WatchEvent<T> {
  readonly type: "ADDED" | "MODIFIED" | "DELETED";
  readonly id: string;
  /** The new object, or the last known one for DELETED. */
  readonly object: T;
}

/** Options of a shared watch. */
export interface WatchOptions {
  /** Milliseconds between polls while anyone is interested. Default 5000 (shade's default). */
  readonly intervalMs?: number;
  /** A full listing at least this often, incremental polls in between. Default 60000. */
  readonly reconcileEveryMs?: number;
  readonly now?: () => number;
  /** Called with errors of a poll (the watch keeps going and retries next interval). */
  readonly onError?: (error: unknown) => void;
}

interface PollMessage<T> {
  readonly events: readonly WatchEvent<T>[];
}

interface Waiter<T> {
  readonly id: string;
  readonly judge: Judge<T>;
  seen: boolean;
  readonly finish: (result: WaitResult<T>) => void;
}

/**
 * One shared poll of one resource kind in one (cloud, region, project), however many
 * listeners and waiters there are: at most one list request per interval. It starts on the
 * first interest and stops when none is left.
 *
 * Scale-out: every replica's watch subscribes to the same pub/sub channel; only the holder
 * of the watch's lease polls the cloud and publishes the events; everyone applies them.
 * In one process (memory backend) the process always holds the lease.
 *
 * Incremental polls ask for changes since the newest change time seen in the cloud's own
 * clock (not ours, so clock skew between oaktree and the cloud cannot lose a change); since
 * the bound is inclusive, the newest objects come back again and are dropped as unchanged.
 */
export class SharedWatch<T> {
  private readonly snapshot = new Map<string, { item: T; revision: string }>();
  private readonly listeners = new Set<(events: readonly WatchEvent<T>[]) => void>();
  private readonly waiters = new Set<Waiter<T>>();
  private readonly intervalMs: number;
  private readonly reconcileEveryMs: number;
  private readonly now: () => number;
  private running?: { stop: AbortController; done: Promise<void> };
  private unsubscribe?: Promise<() => Promise<void>>;
  private since?: string;
  private lastFullAt = Number.NEGATIVE_INFINITY;
  private polls = 0;
  /** True once a poll's result (ours or another replica's) has been applied. */
  private synced = false;

  constructor(
    /** `cloud/region/project/kind`: names the lease, the channel and the shared snapshot. */
    readonly key: string,
    private readonly source: WatchSource<T>,
    private readonly backend: StateBackend,
    options: WatchOptions = {},
    private readonly owner: string = randomUUID(),
    private readonly onIdle: () => void = () => {},
  ) {
    this.intervalMs = options.intervalMs ?? 5000;
    this.reconcileEveryMs = options.reconcileEveryMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.onError = options.onError ?? (() => {});
  }

  private readonly onError: (error: unknown) => void;

  /** Number of polls this replica made (for tests and metrics). */
  get pollCount(): number {
    return this.polls;
  }

  /** The `since` of the next incremental poll (the newest change time seen), if any. */
  get cursor(): string | undefined {
    return this.since;
  }

  /** The latest view of one object, if this watch has seen it. */
  get(id: string): T | undefined {
    return this.snapshot.get(id)?.item;
  }

  /** Every object of the latest view. */
  items(): T[] {
    return [...this.snapshot.values()].map((entry) => entry.item);
  }

  /** Streams change events until the returned function is called. */
  subscribe(listener: (events: readonly WatchEvent<T>[]) => void): () => void {
    this.listeners.add(listener);
    this.ensureRunning();
    return () => {
      if (this.listeners.delete(listener)) this.maybeStop();
    };
  }

  /**
   * Waits until `judge` says success or failure for object `id`, the timeout passes, or
   * `signal` aborts. Served by the shared poll: a thousand waiters cost one list per interval.
   */
  waitFor(
    id: string,
    judge: Judge<T>,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<WaitResult<T>> {
    return new Promise((resolve) => {
      if (options.signal?.aborted) return resolve({ state: "aborted" });
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => waiter.finish({ state: "aborted", ...this.valueOf(id) });
      const waiter: Waiter<T> = {
        id,
        judge,
        seen: false,
        finish: (result) => {
          if (!this.waiters.delete(waiter)) return;
          clearTimeout(timer);
          options.signal?.removeEventListener("abort", onAbort);
          resolve(result);
          this.maybeStop();
        },
      };
      this.waiters.add(waiter);
      timer = setTimeout(() => waiter.finish({ state: "timeout", ...this.valueOf(id) }), options.timeoutMs);
      options.signal?.addEventListener("abort", onAbort, { once: true });
      // Judge at once on what is already known; an object not yet listed stays pending.
      if (this.synced) this.judge(waiter);
      this.ensureRunning();
    });
  }

  /** Stops polling now (e.g. on shutdown); waiters end as aborted. */
  async stop(): Promise<void> {
    for (const waiter of [...this.waiters]) waiter.finish({ state: "aborted", ...this.valueOf(waiter.id) });
    this.listeners.clear();
    await this.halt();
  }

  private valueOf(id: string): { value?: T } {
    const entry = this.snapshot.get(id);
    return entry ? { value: entry.item } : {};
  }

  private judge(waiter: Waiter<T>): void {
    const item = this.snapshot.get(waiter.id)?.item;
    if (item !== undefined) waiter.seen = true;
    const verdict = waiter.judge(item, waiter.seen);
    if (verdict !== "pending") waiter.finish({ state: verdict, ...(item !== undefined && { value: item }) });
  }

  private get interested(): boolean {
    return this.listeners.size > 0 || this.waiters.size > 0;
  }

  private ensureRunning(): void {
    if (this.running) return;
    const stop = new AbortController();
    this.unsubscribe = this.backend.pubsub.subscribe<PollMessage<T>>(this.channel, (message) =>
      this.apply(message.events),
    );
    this.running = { stop, done: this.loop(stop.signal) };
  }

  private maybeStop(): void {
    if (!this.interested) void this.halt();
  }

  private async halt(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    // Captured now: a waiter arriving during the awaits below restarts the watch with a new
    // subscription, which this halt must not cancel.
    const unsubscribe = this.unsubscribe;
    running.stop.abort();
    // A stale view would turn into wrong events on restart: the next start lists in full.
    this.snapshot.clear();
    this.synced = false;
    this.since = undefined;
    this.lastFullAt = Number.NEGATIVE_INFINITY;
    await running.done;
    await (await unsubscribe)?.();
    if (this.running) return;
    await this.backend.leases.release(this.leaseName, this.owner);
    this.onIdle();
  }

  private get channel(): string {
    return `oaktree:watch:${this.key}`;
  }

  private get leaseName(): string {
    return `oaktree:watch-lease:${this.key}`;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    await this.unsubscribe;
    while (!signal.aborted) {
      try {
        if (await this.backend.leases.acquire(this.leaseName, this.owner, this.intervalMs * 3)) {
          await this.poll(signal);
        }
      } catch (error) {
        if (!signal.aborted) this.onError(error);
      }
      // Aborting ends the sleep early; the loop condition then stops the watch.
      await systemClock.sleep(this.intervalMs, signal).catch(() => {});
    }
  }

  private async poll(signal: AbortSignal): Promise<void> {
    const incremental =
      this.source.listChangedSince !== undefined &&
      this.since !== undefined &&
      this.now() - this.lastFullAt < this.reconcileEveryMs;
    const startedAt = this.now();
    const items = incremental
      ? await this.source.listChangedSince!(this.since!, signal)
      : await this.source.listAll(signal);
    if (signal.aborted) return;
    this.polls += 1;
    const events = incremental ? this.changes(items) : this.reconcile(items);
    if (!incremental) this.lastFullAt = startedAt;
    this.advanceSince(items);
    // Published even when empty: every replica's waiters are judged after every poll.
    await this.backend.pubsub.publish<PollMessage<T>>(this.channel, { events });
  }

  private reconcile(items: readonly T[]): WatchEvent<T>[] {
    const events = this.changes(items.filter((item) => !this.source.isDeleted?.(item)));
    const listed = new Set(items.map((item) => this.source.idOf(item)));
    for (const [id, entry] of this.snapshot) {
      if (!listed.has(id)) events.push({ type: "DELETED", id, object: entry.item });
    }
    return events;
  }

  private changes(items: readonly T[]): WatchEvent<T>[] {
    const events: WatchEvent<T>[] = [];
    for (const item of items) {
      const id = this.source.idOf(item);
      const known = this.snapshot.get(id);
      if (this.source.isDeleted?.(item)) {
        if (known) events.push({ type: "DELETED", id, object: item });
        continue;
      }
      if (!known) events.push({ type: "ADDED", id, object: item });
      else if (known.revision !== this.revisionOf(item)) events.push({ type: "MODIFIED", id, object: item });
    }
    return events;
  }

  private advanceSince(items: readonly T[]): void {
    for (const item of items) {
      const changedAt = this.source.changedAtOf?.(item);
      if (changedAt && (this.since === undefined || Date.parse(changedAt) > Date.parse(this.since))) {
        this.since = changedAt;
      }
    }
  }

  private revisionOf(item: T): string {
    return this.source.revisionOf ? this.source.revisionOf(item) : JSON.stringify(item);
  }

  /** Applies a poll's events (from this replica or another) and tells listeners and waiters. */
  private apply(events: readonly WatchEvent<T>[]): void {
    for (const event of events) {
      if (event.type === "DELETED") this.snapshot.delete(event.id);
      else this.snapshot.set(event.id, { item: event.object, revision: this.revisionOf(event.object) });
    }
    this.synced = true;
    if (events.length > 0) for (const listener of this.listeners) listener(events);
    this.judgeAll();
  }

  private judgeAll(): void {
    for (const waiter of [...this.waiters]) this.judge(waiter);
  }
}

/** The watches of one process: one SharedWatch per key, created on demand, dropped when idle. */
export class WatchRegistry {
  private readonly watches = new Map<string, SharedWatch<unknown>>();
  private readonly owner = randomUUID();

  constructor(
    private readonly backend: StateBackend,
    private readonly options: WatchOptions = {},
  ) {}

  /** The watch for `key`, creating it with `source()` when there is none. */
  watch<T>(key: string, source: () => WatchSource<T>, options: WatchOptions = {}): SharedWatch<T> {
    let watch = this.watches.get(key) as SharedWatch<T> | undefined;
    if (!watch) {
      const created: SharedWatch<T> = new SharedWatch(
        key,
        source(),
        this.backend,
        { ...this.options, ...options },
        this.owner,
        () => {
          if (this.watches.get(key) === created) this.watches.delete(key);
        },
      );
      watch = created;
      this.watches.set(key, watch as SharedWatch<unknown>);
    }
    return watch;
  }

  /** Keys of the watches currently running (for metrics and tests). */
  keys(): string[] {
    return [...this.watches.keys()];
  }

  async close(): Promise<void> {
    await Promise.all([...this.watches.values()].map((watch) => watch.stop()));
  }
}
