/**
 * The shared-state primitives oaktree's caches, watches and rate limits are built on. The
 * in-memory backend serves one process; a Redis backend (state/redis/, docs/decisions/0027) implements the
 * same interfaces so that several replicas share one view of each cloud:
 *
 * | primitive   | memory                 | Redis                                   |
 * |-------------|------------------------|-----------------------------------------|
 * | KeyValue    | Map with expiry        | GET / SET PX / DEL                      |
 * | SharedMap   | Map of Maps            | HGETALL / HSET / HDEL (one hash per key) |
 * | Leases      | Map of owner + expiry  | SET NX PX, renewed with a Lua CAS       |
 * | PubSub      | synchronous dispatch   | Streams: XADD MAXLEN ~ / one XREAD      |
 * | Counters    | Map                    | INCRBY + PEXPIRE (one Lua script)       |
 *
 * Values are JSON-serializable: nothing here may hold a function or a class instance.
 */
export interface StateBackend {
  readonly kv: KeyValueStore;
  readonly maps: SharedMapStore;
  readonly leases: LeaseManager;
  readonly pubsub: PubSub;
  readonly counters: Counters;
  /**
   * Changes whenever what the backend holds may have diverged from what this process saw (a
   * failover to local memory, or back to Redis): a shared watch then lists its cloud in full
   * before publishing again. Absent: never changes (the memory backend).
   */
  readonly generation?: number;
  close(): Promise<void>;
}

/** Values with optional expiry: cache entries. */
export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  /** Stores `value` for `ttlMs` milliseconds (forever when undefined). */
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Deletes every key that starts with `prefix` (cache invalidation of a whole list). */
  deletePrefix(prefix: string): Promise<void>;
}

/** A map of field -> value under one key: a watch's snapshot, one field per object. */
export interface SharedMapStore {
  getAll<T>(key: string): Promise<Map<string, T>>;
  setFields<T>(key: string, entries: ReadonlyMap<string, T>): Promise<void>;
  deleteFields(key: string, fields: readonly string[]): Promise<void>;
  deleteKey(key: string): Promise<void>;
}

/** Mutual exclusion with expiry: whoever holds a lease does the work (e.g. polls a cloud). */
export interface LeaseManager {
  /** Takes or renews the lease `name` for `owner`; true when `owner` holds it afterwards. */
  acquire(name: string, owner: string, ttlMs: number): Promise<boolean>;
  release(name: string, owner: string): Promise<void>;
}

/** Fire-and-forget messages between replicas (a watch's changes). */
export interface PubSub {
  publish<T>(channel: string, message: T): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe<T>(channel: string, listener: (message: T) => void): Promise<() => Promise<void>>;
}

/** Shared counters with expiry (rate-limit windows, statistics). */
export interface Counters {
  /** Adds `by` to `key` and returns the new value; the key expires `ttlMs` after creation. */
  increment(key: string, by?: number, ttlMs?: number): Promise<number>;
}
