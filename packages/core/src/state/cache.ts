import type { KeyValueStore } from "./backend.js";

/** What the store holds per key: the value and when it was read from the cloud. */
interface Entry<T> {
  readonly value: T;
  /** Milliseconds since the epoch when the load that produced `value` finished. */
  readonly loadedAt: number;
}

/** Options of {@link ResourceCache}'s reads. */
export interface CacheReadOptions {
  /** Aborts this caller's wait; a load shared with other callers goes on for them. */
  readonly signal?: AbortSignal;
}

/**
 * What became of one cache read: `hit` (served from a stored value) or `miss` (waited for a
 * load, its own or a concurrent caller's); `load` counts the loads themselves (calls of the
 * cloud), so misses minus loads are the reads that shared a load.
 */
export type CacheResult = "hit" | "miss" | "load";

/** A read's or load's count by resource kind, e.g. for metrics; called synchronously, so keep it cheap. */
export type CacheObserver = (kind: string, result: CacheResult) => void;

/** Reads and loads of one resource kind since the cache was made. */
export type CacheCounts = Record<CacheResult, number>;

/**
 * A read-through cache of cloud answers with a TTL per resource kind, shared through the
 * backend's key-value store. Its guarantees:
 * - a value is reused for at most its kind's TTL (0: never stored);
 * - concurrent reads of one key in this process share one load, whatever the TTL;
 * - {@link find} re-reads once when the object is not in a stored value, so an object
 *   created since (by anyone) is found;
 * - {@link invalidate} (called by writes through oaktree) drops the stored values of a kind
 *   and detaches the loads in flight, so nobody reads their own write stale.
 *
 * Loads run without a caller's signal (they are shared): a caller's signal only ends its wait.
 */
export class ResourceCache {
  private readonly loading = new Map<string, Promise<Entry<unknown>>>();
  /** Bumped by invalidate: a load that started before does not store its (stale) answer. */
  private readonly generations = new Map<string, number>();
  private readonly countsByKind = new Map<string, CacheCounts>();

  constructor(
    private readonly store: KeyValueStore,
    /** Prefix naming the scope, e.g. `oaktree:cache:mycloud/RegionOne/<project id>/`. */
    private readonly prefix: string | (() => Promise<string>),
    /** TTL in milliseconds per kind; 0 disables storing values of that kind. */
    private readonly ttlMs: (kind: string) => number,
    /** Told of every hit, miss and load. */
    private readonly observer?: CacheObserver,
  ) {}

  /** Hits, misses and loads per resource kind so far (a copy). */
  counts(): Map<string, CacheCounts> {
    return new Map([...this.countsByKind].map(([kind, counts]) => [kind, { ...counts }]));
  }

  /** The cached value of `kind`/`key`, or `load()`'s result (then cached). */
  async getOrLoad<T>(
    kind: string,
    key: string,
    load: () => Promise<T>,
    options: CacheReadOptions = {},
  ): Promise<T> {
    return (await this.read(kind, key, load, options)).value;
  }

  /**
   * `pick(value)` on the cached value of `kind`/`key`; when it picks nothing from a value read
   * earlier, the value is read again (once, shared with concurrent callers) and picked from.
   * Undefined only when the fresh value has nothing either.
   */
  async find<T, R>(
    kind: string,
    key: string,
    load: () => Promise<T>,
    pick: (value: T) => R | undefined,
    options: CacheReadOptions = {},
  ): Promise<R | undefined> {
    const first = await this.read(kind, key, load, options);
    const hit = pick(first.value);
    if (hit !== undefined || !first.stored) return hit;
    // Someone may have loaded a newer value since our read: use it rather than load again.
    const name = await this.name(kind, key);
    const current = await this.store.get<Entry<T>>(name);
    const newer = current !== undefined && current.loadedAt > first.loadedAt;
    this.count(kind, newer ? "hit" : "miss");
    const fresh = newer ? current : await abortable(this.loadShared(kind, name, load), options.signal);
    return pick(fresh.value);
  }

  /**
   * `run()`, unless a run of `key` is in flight in this process: then its result. Nothing is
   * kept once it settles (in-flight work shared per cache, e.g. one network build at a time).
   */
  shared<T>(key: string, run: () => Promise<T>): Promise<T> {
    const name = `shared:${key}`;
    const pending = this.loading.get(name) as Promise<T> | undefined;
    if (pending) return pending;
    const promise: Promise<T> = run().finally(() => {
      if (this.loading.get(name) === promise) this.loading.delete(name);
    });
    this.loading.set(name, promise as Promise<Entry<unknown>>);
    return promise;
  }

  /** Replaces the cached value (after a write that returned the new object). */
  async put<T>(kind: string, key: string, value: T): Promise<void> {
    const ttl = this.ttlMs(kind);
    if (ttl > 0) await this.store.set(await this.name(kind, key), { value, loadedAt: Date.now() }, ttl);
  }

  /** Drops one entry, or every entry of `kind` when `key` is omitted (lists included). */
  async invalidate(kind: string, key?: string): Promise<void> {
    this.generations.set(kind, (this.generations.get(kind) ?? 0) + 1);
    const prefix = `${await this.scopePrefix()}${kind}/`;
    const target = key === undefined ? prefix : `${prefix}${key}`;
    for (const name of [...this.loading.keys()]) {
      if (key === undefined ? name.startsWith(prefix) : name === target) this.loading.delete(name);
    }
    if (key === undefined) await this.store.deletePrefix(prefix);
    else await this.store.delete(target);
  }

  private async read<T>(
    kind: string,
    key: string,
    load: () => Promise<T>,
    options: CacheReadOptions,
  ): Promise<Entry<T> & { readonly stored: boolean }> {
    const name = await this.name(kind, key);
    if (this.ttlMs(kind) > 0) {
      const cached = await this.store.get<Entry<T>>(name);
      if (cached) {
        this.count(kind, "hit");
        return { ...cached, stored: true };
      }
    }
    this.count(kind, "miss");
    return { ...(await abortable(this.loadShared(kind, name, load), options.signal)), stored: false };
  }

  /** One load per name at a time; its answer is stored unless invalidated meanwhile. */
  private loadShared<T>(kind: string, name: string, load: () => Promise<T>): Promise<Entry<T>> {
    const pending = this.loading.get(name) as Promise<Entry<T>> | undefined;
    if (pending) return pending;
    const generation = this.generations.get(kind) ?? 0;
    const run = async (): Promise<Entry<T>> => {
      this.count(kind, "load");
      const entry: Entry<T> = { value: await load(), loadedAt: Date.now() };
      const ttl = this.ttlMs(kind);
      if (ttl > 0 && (this.generations.get(kind) ?? 0) === generation) await this.store.set(name, entry, ttl);
      return entry;
    };
    const promise: Promise<Entry<T>> = run().finally(() => {
      if (this.loading.get(name) === promise) this.loading.delete(name);
    });
    this.loading.set(name, promise);
    return promise;
  }

  /** One more `result` for `kind`: a counter bump, nothing allocated after a kind's first count. */
  private count(kind: string, result: CacheResult): void {
    let counts = this.countsByKind.get(kind);
    if (!counts) {
      counts = { hit: 0, miss: 0, load: 0 };
      this.countsByKind.set(kind, counts);
    }
    counts[result]++;
    this.observer?.(kind, result);
  }

  private async scopePrefix(): Promise<string> {
    return typeof this.prefix === "string" ? this.prefix : this.prefix();
  }

  private async name(kind: string, key: string): Promise<string> {
    return `${await this.scopePrefix()}${kind}/${key}`;
  }
}

/** `promise`, or the signal's reason as soon as it aborts (the promise itself goes on). */
function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
