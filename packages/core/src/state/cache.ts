import type { KeyValueStore } from "./backend.js";

/**
 * A read-through cache of cloud answers with a TTL per resource kind (clouds.yaml
 * `cache.expiration.<kind>`), shared through the backend's key-value store. Concurrent
 * misses for one key in this process share one load. Writes through oaktree call
 * `invalidate` (or `put`) at once, so nobody reads their own write stale.
 */
export class ResourceCache {
  private readonly loading = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: KeyValueStore,
    /** Prefix naming the scope, e.g. `oaktree:cache:mycloud/RegionOne/<project id>/`. */
    private readonly prefix: string,
    /** TTL in milliseconds per kind; 0 disables caching of that kind. */
    private readonly ttlMs: (kind: string) => number,
  ) {}

  /** The cached value of `kind`/`key`, or `load()`'s result (then cached). */
  async getOrLoad<T>(kind: string, key: string, load: () => Promise<T>): Promise<T> {
    const ttl = this.ttlMs(kind);
    if (ttl <= 0) return load();
    const name = this.name(kind, key);
    const cached = await this.store.get<{ value: T }>(name);
    if (cached) return cached.value;
    const pending = this.loading.get(name) as Promise<T> | undefined;
    if (pending) return pending;
    const promise = (async () => {
      try {
        const value = await load();
        await this.store.set(name, { value }, ttl);
        return value;
      } finally {
        this.loading.delete(name);
      }
    })();
    this.loading.set(name, promise);
    return promise;
  }

  /** Replaces the cached value (after a write that returned the new object). */
  async put<T>(kind: string, key: string, value: T): Promise<void> {
    const ttl = this.ttlMs(kind);
    if (ttl > 0) await this.store.set(this.name(kind, key), { value }, ttl);
  }

  /** Drops one entry, or every entry of `kind` when `key` is omitted (lists included). */
  async invalidate(kind: string, key?: string): Promise<void> {
    if (key === undefined) await this.store.deletePrefix(`${this.prefix}${kind}/`);
    else await this.store.delete(this.name(kind, key));
  }

  private name(kind: string, key: string): string {
    return `${this.prefix}${kind}/${key}`;
  }
}
