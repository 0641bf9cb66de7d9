import { randomUUID } from "node:crypto";
import { detachFromCall } from "../http/request-context.js";
import type { StateBackend } from "./backend.js";
import { replicaOwnerId } from "./lease.js";
import { ChangesSinceCursor } from "./watch-cursor.js";
import type { Judge, WaitResult, WatchEvent, WatchOptions, WatchSource } from "./watch-types.js";

export type {
  Judge,
  Verdict,
  WaitResult,
  WaitState,
  WatchEvent,
  WatchOptions,
  WatchSource,
} from "./watch-types.js";

/** What the poller publishes after each listing; `seq` orders them across replicas. */
interface PollMessage<T> {
  readonly seq: number;
  readonly stamp: PollStamp;
  readonly events: readonly WatchEvent<T>[];
  readonly error?: { readonly name: string; readonly message: string };
}

/** What the poller stores beside the shared snapshot, so that late joiners can start from it. */
interface SharedCursor {
  readonly seq: number;
  readonly stamp: PollStamp;
  readonly since?: string;
  readonly reconciledAt: number;
}

/**
 * When a poll began, so that waiters that began later are not judged on it: the poller's
 * clock, and, exact within one watch object, the number of its polls started so far.
 */
interface PollStamp {
  readonly at: number;
  readonly watch: string;
  readonly tick: number;
}

interface Waiter<T> {
  readonly id: string;
  readonly judge: Judge<T>;
  seen: boolean;
  /** Judged only on views polled since (a view from before could predate what it waits for). */
  readonly startedAt: number;
  /** This watch's poll count when the waiter began. */
  readonly startedTick: number;
  /** Local time of this waiter's next early poll (few waiters only). */
  nextPollAt: number;
  backoffMs: number;
  /** Failed polls in a row that covered this waiter. */
  errors: number;
  readonly finish: (result: WaitResult<T>) => void;
}

/**
 * One shared poll of one resource kind in one (cloud, region, project), however many
 * listeners and waiters there are: at most one list request per interval. It starts on the
 * first interest and, once it holds a listing, keeps it fresh `keepWarmMs` after the last.
 *
 * A few waiters and no subscriber: each waited object is read by id (one GET each, the
 * first soon after the wait begins), never a listing of the whole project. From
 * `listAtWaiters` objects on, one listing per interval serves everyone.
 *
 * Scale-out: only the holder of the watch's lease lists the cloud; it writes the snapshot
 * and cursor to the backend, then publishes the changes; every replica applies them. A
 * replica that starts later (or missed messages) loads the shared snapshot instead.
 */
export class SharedWatch<T> {
  private readonly snapshot = new Map<string, { item: T; revision: string }>();
  private readonly listeners = new Set<(events: readonly WatchEvent<T>[]) => void>();
  private readonly waiters = new Set<Waiter<T>>();
  private readonly intervalMs: number;
  private readonly reconcileEveryMs: number;
  private readonly firstPollMs: number;
  private readonly listAtWaiters: number;
  private readonly keepWarmMs: number;
  private readonly failAfterErrors: number;
  private readonly now: () => number;
  private readonly onError: (error: unknown) => void;
  private readonly cursorOf: ChangesSinceCursor;
  private running?: { stop: AbortController; done: Promise<void> };
  private unsubscribe?: Promise<() => Promise<void>>;
  private wake?: () => void;
  private lastListAt = Number.NEGATIVE_INFINITY;
  /** When the last listing's answer arrived. */
  private lastListEndAt = Number.NEGATIVE_INFINITY;
  private lastFullAt = Number.NEGATIVE_INFINITY;
  private idleSince = Number.POSITIVE_INFINITY;
  private seq = 0;
  private polls = 0;
  /** Listings this object started (never reset): orders its own polls against its waiters. */
  private ticks = 0;
  private readonly id = randomUUID();
  private holdsLease = false;
  /** The next listing must be full: the backend failed over (what it holds may be stale or lost). */
  private needsFull = false;
  private generation: number | undefined;
  /** The watch (`PollStamp.watch`) whose numbering `seq` follows: the holder we last heard. */
  private holder: string | undefined;
  /** True once a full listing (ours, another replica's or the shared snapshot) is applied. */
  private synced = false;
  private loadingShared?: Promise<void>;
  /** The newest message seen while the view was loading (the load must reach it). */
  private wantSeq = 0;

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
    this.firstPollMs = Math.min(options.firstPollMs ?? 1000, this.intervalMs);
    this.listAtWaiters = options.listAtWaiters ?? 10;
    this.keepWarmMs = options.keepWarmMs ?? 60_000;
    this.failAfterErrors = Math.max(1, options.failAfterErrors ?? 3);
    this.now = options.now ?? Date.now;
    this.onError = options.onError ?? (() => {});
    this.cursorOf = new ChangesSinceCursor(this.now, options.changesSinceMarginMs ?? 2000);
    this.generation = backend.generation;
  }

  /** Number of polls this replica made that the cloud answered (for tests and metrics). */
  get pollCount(): number {
    return this.polls;
  }

  /** The `since` of the next incremental poll, if any. */
  get cursor(): string | undefined {
    return this.cursorOf.since;
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
    this.interestChanged();
    return () => {
      if (this.listeners.delete(listener)) this.interestChanged();
    };
  }

  /**
   * Waits until `judge` says success or failure for object `id`, the timeout passes, the
   * signal aborts, or `failAfterErrors` polls in a row fail (state `error`, with the error).
   * Served by the shared poll: a thousand waiters cost one list per interval.
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
        startedAt: this.now(),
        startedTick: this.ticks,
        nextPollAt: this.now() + this.firstPollMs,
        backoffMs: this.firstPollMs,
        errors: 0,
        finish: (result) => {
          if (!this.waiters.delete(waiter)) return;
          clearTimeout(timer);
          options.signal?.removeEventListener("abort", onAbort);
          resolve(result);
          this.interestChanged();
        },
      };
      this.waiters.add(waiter);
      timer = setTimeout(() => waiter.finish({ state: "timeout", ...this.valueOf(id) }), options.timeoutMs);
      options.signal?.addEventListener("abort", onAbort, { once: true });
      // Not judged on the view already held: it may predate the change waited for (an action
      // just sent); the next poll, soon for a few waiters, decides.
      this.interestChanged();
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

  /** Distinct objects waited for, when few enough to read one by one (else undefined). */
  private fewWaitedIds(): Set<string> | undefined {
    const ids = new Set<string>();
    for (const waiter of this.waiters) {
      ids.add(waiter.id);
      if (ids.size >= this.listAtWaiters) return undefined;
    }
    return ids;
  }

  /** True while waiters are served by reading their objects one by one. */
  private get readsById(): boolean {
    return (
      this.source.get !== undefined && !this.synced && this.listeners.size === 0 && !!this.fewWaitedIds()
    );
  }

  /** A listing that incremental polls keep fresh for little: worth keeping while idle. */
  private get warmable(): boolean {
    return this.synced && this.source.listChangedSince !== undefined;
  }

  private interestChanged(): void {
    if (this.interested) {
      this.idleSince = Number.POSITIVE_INFINITY;
      this.ensureRunning();
    } else if (this.running) {
      this.idleSince = Math.min(this.idleSince, this.now());
      // Nothing to keep warm without a listing that incremental polls keep fresh: stop now.
      if (!this.warmable) void this.halt();
    }
    this.wake?.();
  }

  private ensureRunning(): void {
    if (this.running) return;
    const stop = new AbortController();
    this.unsubscribe = this.backend.pubsub.subscribe<PollMessage<T>>(this.channel, (message) =>
      this.receive(message),
    );
    // The loop outlives the call that started it and serves every caller: it must not carry
    // that call's request id or (deployer mode) its caller's token.
    this.running = { stop, done: detachFromCall(() => this.loop(stop.signal)) };
  }

  private async halt(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    // Captured now: a waiter arriving during the awaits below restarts the watch with a new
    // subscription, which this halt must not cancel.
    const unsubscribe = this.unsubscribe;
    running.stop.abort();
    // A stale view would turn into wrong events on restart: the next start loads the shared one.
    this.snapshot.clear();
    this.synced = false;
    this.cursorOf.clear();
    this.lastListAt = Number.NEGATIVE_INFINITY;
    this.lastListEndAt = Number.NEGATIVE_INFINITY;
    this.lastFullAt = Number.NEGATIVE_INFINITY;
    this.idleSince = Number.POSITIVE_INFINITY;
    this.seq = 0;
    this.holder = undefined;
    this.wantSeq = 0;
    await running.done;
    await (await unsubscribe)?.();
    if (this.running) return;
    if (this.holdsLease) await this.backend.leases.release(this.leaseName, this.owner);
    this.holdsLease = false;
    this.onIdle();
  }

  private get channel(): string {
    return `oaktree:watch:${this.key}`;
  }

  private get leaseName(): string {
    return `oaktree:watch-lease:${this.key}`;
  }

  private get snapshotKey(): string {
    return `oaktree:watch-snapshot:${this.key}`;
  }

  private get cursorKey(): string {
    return `oaktree:watch-cursor:${this.key}`;
  }

  /** When the next poll is due (local ms), or Infinity when none is wanted. */
  private dueAt(): number {
    const few = this.fewWaitedIds();
    // Never back to back: a cloud slow to answer gets half an interval of rest, which is also
    // what lets the changes-since bound move (see ChangesSinceCursor).
    let due = this.readsById
      ? Number.POSITIVE_INFINITY
      : Math.max(this.lastListAt + this.intervalMs, this.lastListEndAt + this.intervalMs / 2);
    // Few waiters: each gets its early polls (1 s, 2 s, 4 s...); many share the interval.
    if (few) for (const waiter of this.waiters) due = Math.min(due, waiter.nextPollAt);
    if (!this.interested) due = Math.min(due, this.idleSince + this.keepWarmMs);
    return due;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    await this.unsubscribe;
    await this.loadShared();
    while (!signal.aborted) {
      if (!this.interested && this.now() >= this.idleSince + this.keepWarmMs) {
        void this.halt();
        return;
      }
      const delay = this.dueAt() - this.now();
      if (delay > 0) {
        await this.sleep(delay, signal);
        continue;
      }
      const startedAt = this.now();
      try {
        if (this.readsById) await this.pollById(signal);
        else await this.pollList(signal);
      } catch (error) {
        if (signal.aborted) continue;
        // E.g. the backend failed: count it against the waiters, who would otherwise wait blind.
        this.onError(error);
        this.failed(
          [...this.waiters].filter((waiter) => waiter.nextPollAt <= startedAt),
          toError(error),
          startedAt,
        );
      }
    }
  }

  /** Sleeps `ms` (at most a day), or until woken by new interest or the signal. */
  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.min(ms, 86_400_000));
      signal.addEventListener("abort", done, { once: true });
      this.wake = done;
    });
  }

  /** Reads the few waited objects that are due, by id. No lease: each replica reads its own. */
  private async pollById(signal: AbortSignal): Promise<void> {
    const startedAt = this.now();
    const due = [...this.waiters].filter((waiter) => waiter.nextPollAt <= startedAt);
    const ids = [...new Set(due.map((waiter) => waiter.id))];
    if (this.holdsLease) {
      this.holdsLease = false;
      await this.backend.leases.release(this.leaseName, this.owner);
    }
    let items: (T | undefined)[];
    try {
      items = await Promise.all(ids.map((id) => this.source.get!(id, signal)));
    } catch (error) {
      if (signal.aborted) return;
      this.onError(error);
      this.failed(due, toError(error), startedAt);
      return;
    }
    if (signal.aborted || this.synced) return;
    this.polls += 1;
    ids.forEach((id, i) => {
      const item = items[i];
      if (item === undefined || this.source.isDeleted?.(item)) this.snapshot.delete(id);
      else this.snapshot.set(id, { item, revision: this.revisionOf(item) });
    });
    for (const waiter of due) {
      this.backOff(waiter, startedAt);
      waiter.errors = 0;
      this.judge(waiter);
    }
  }

  /** One listing by the lease holder: applied here, stored for late joiners, published. */
  private async pollList(signal: AbortSignal): Promise<void> {
    const startedAt = this.now();
    const stamp: PollStamp = { at: startedAt, watch: this.id, tick: ++this.ticks };
    this.lastListAt = startedAt;
    // 1.5 intervals, renewed every interval; others try every half interval: a dead holder's
    // watch is taken over within two intervals.
    this.holdsLease = await this.backend.leases.acquire(this.leaseName, this.owner, this.intervalMs * 1.5);
    const generation = this.backend.generation;
    if (generation !== this.generation) this.needsFull = true;
    this.generation = generation;
    if (!this.holdsLease) {
      this.lastListAt = startedAt - this.intervalMs / 2;
      // Another replica lists; our few waiters still move on to their next early poll.
      for (const waiter of this.waiters) if (waiter.nextPollAt <= startedAt) this.backOff(waiter, startedAt);
      return;
    }
    const since = this.cursorOf.since;
    const incremental =
      !this.needsFull &&
      this.synced &&
      this.source.listChangedSince !== undefined &&
      since !== undefined &&
      this.now() - this.lastFullAt < this.reconcileEveryMs;
    let items: readonly T[];
    try {
      items = incremental
        ? await this.source.listChangedSince!(since!, signal)
        : await this.source.listAll(signal);
    } catch (error) {
      if (signal.aborted) return;
      this.onError(error);
      const seq = this.seq + 1;
      this.seq = seq;
      const failure = toError(error);
      this.failed([...this.waiters], failure, startedAt);
      await this.backend.pubsub.publish<PollMessage<T>>(this.channel, {
        seq,
        stamp,
        events: [],
        error: { name: failure.name, message: failure.message },
      });
      return;
    }
    if (signal.aborted) return;
    this.lastListEndAt = this.now();
    this.polls += 1;
    const events = incremental ? this.changes(items) : this.reconcile(items);
    if (!incremental) {
      this.lastFullAt = startedAt;
      this.needsFull = false;
    }
    this.cursorOf.advance(
      startedAt,
      this.lastListEndAt,
      items.map((item) => this.source.changedAtOf?.(item)),
    );
    const seq = this.seq + 1;
    await this.store(events, !incremental, seq, stamp);
    this.apply(events, seq, stamp);
    await this.backend.pubsub.publish<PollMessage<T>>(this.channel, { seq, stamp, events });
  }

  /** Writes the snapshot and cursor a late joiner starts from (cursor last: it vouches for the map). */
  private async store(
    events: readonly WatchEvent<T>[],
    full: boolean,
    seq: number,
    stamp: PollStamp,
  ): Promise<void> {
    const { kv, maps } = this.backend;
    if (full) {
      await kv.delete(this.cursorKey);
      await maps.deleteKey(this.snapshotKey);
      const all = new Map([...this.snapshot].map(([id, entry]) => [id, entry.item]));
      for (const event of events) {
        if (event.type === "DELETED") all.delete(event.id);
        else all.set(event.id, event.object);
      }
      await maps.setFields(this.snapshotKey, all);
    } else {
      const changed = events.filter((event) => event.type !== "DELETED");
      const gone = events.filter((event) => event.type === "DELETED").map((event) => event.id);
      if (changed.length > 0) {
        await maps.setFields(this.snapshotKey, new Map(changed.map((event) => [event.id, event.object])));
      }
      if (gone.length > 0) await maps.deleteFields(this.snapshotKey, gone);
    }
    const since = this.cursorOf.since;
    const cursor: SharedCursor = { seq, stamp, reconciledAt: this.lastFullAt, ...(since && { since }) };
    await kv.set(this.cursorKey, cursor, Math.max(this.reconcileEveryMs, this.intervalMs * 3));
  }

  /**
   * Starts from the snapshot the lease holder stored, if it is recent: a replica that joins
   * late learns of objects that no longer change (only changes are published).
   */
  private loadShared(): Promise<void> {
    this.loadingShared ??= (async () => {
      // No stored view at all (lost with Redis's data): wait for the next message, no busy loop.
      let found = false;
      try {
        const cursor = await this.backend.kv.get<SharedCursor>(this.cursorKey);
        found = cursor !== undefined;
        // Another holder's numbering is not comparable with ours: take its view.
        if (!cursor || (cursor.stamp.watch === this.holder && cursor.seq <= this.seq)) return;
        const stored = await this.backend.maps.getAll<T>(this.snapshotKey);
        if (!this.running) return;
        if (cursor.since) this.cursorOf.restore(cursor.since);
        this.lastFullAt = cursor.reconciledAt;
        // Possibly old (nobody may be polling): a base for incremental polls, and waiters
        // that began after that poll are judged on the next one.
        this.apply(this.reconcile([...stored.values()]), cursor.seq, cursor.stamp);
      } catch (error) {
        this.onError(error);
      } finally {
        this.loadingShared = undefined;
        if (this.running && found && this.wantSeq > this.seq) void this.loadShared();
      }
    })();
    return this.loadingShared;
  }

  /** A message from the lease holder (possibly this replica: its own are already applied). */
  private receive(message: PollMessage<T>): void {
    // Our own messages are applied already (also when numbered before any view was held).
    if (message.stamp.watch === this.id) return;
    const sameHolder = message.stamp.watch === this.holder;
    if (sameHolder && message.seq <= this.seq) return;
    if (message.error) {
      if (sameHolder) this.seq = message.seq;
      const error = new Error(message.error.message);
      error.name = message.error.name;
      this.failed([...this.waiters], error, this.now());
      return;
    }
    // Without a full view (or after a lost message), changes alone would leave objects
    // unknown or stale: load the stored view instead, which includes this message.
    if (!this.synced || !sameHolder || message.seq !== this.seq + 1) {
      // Another holder's numbers say nothing about ours: the load takes its view whatever it is.
      this.wantSeq = sameHolder ? Math.max(this.wantSeq, message.seq) : 0;
      void this.loadShared();
    } else this.apply(message.events, message.seq, message.stamp);
  }

  /** Ends the waiters that have seen `failAfterErrors` failed polls in a row. */
  private failed(waiters: readonly Waiter<T>[], error: Error, at: number): void {
    for (const waiter of waiters) {
      waiter.errors += 1;
      this.backOff(waiter, at);
      if (waiter.errors >= this.failAfterErrors) {
        waiter.finish({ state: "error", error, ...this.valueOf(waiter.id) });
      }
    }
  }

  /**
   * Whether a poll began after the waiter did: exact for this object's own polls; by clock for
   * another replica's or an earlier run's, where the same millisecond is too close to tell.
   */
  private polledSince(waiter: Waiter<T>, stamp: PollStamp): boolean {
    return stamp.watch === this.id ? stamp.tick > waiter.startedTick : stamp.at > waiter.startedAt;
  }

  /** The next early poll of a waiter comes twice as late as the last, up to the interval. */
  private backOff(waiter: Waiter<T>, at: number): void {
    waiter.backoffMs = Math.min(waiter.backoffMs * 2, this.intervalMs);
    waiter.nextPollAt = at + waiter.backoffMs;
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

  private revisionOf(item: T): string {
    return this.source.revisionOf ? this.source.revisionOf(item) : JSON.stringify(item);
  }

  /** Applies a full view's or a listing's events and tells listeners and waiters. */
  private apply(events: readonly WatchEvent<T>[], seq: number, stamp: PollStamp): void {
    for (const event of events) {
      if (event.type === "DELETED") this.snapshot.delete(event.id);
      else this.snapshot.set(event.id, { item: event.object, revision: this.revisionOf(event.object) });
    }
    // A new holder (a takeover, a rejoin after a failover) numbers from its own count.
    this.seq = stamp.watch === this.holder ? Math.max(this.seq, seq) : seq;
    this.holder = stamp.watch;
    this.synced = true;
    if (events.length > 0) for (const listener of this.listeners) listener(events);
    for (const waiter of [...this.waiters]) {
      if (!this.polledSince(waiter, stamp)) continue;
      waiter.errors = 0;
      if (waiter.nextPollAt <= stamp.at) this.backOff(waiter, stamp.at);
      this.judge(waiter);
    }
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The watches of one process: one SharedWatch per key, created on demand, dropped when idle. */
export class WatchRegistry {
  private readonly watches = new Map<string, SharedWatch<unknown>>();
  /** Owner of this registry's watch leases: names the replica to whoever reads them in Redis. */
  readonly owner = replicaOwnerId();

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
