import type {
  Counters,
  KeyValueStore,
  LeaseManager,
  PubSub,
  SharedMapStore,
  StateBackend,
} from "./backend.js";

/** Milliseconds since the epoch; injectable so tests control expiry. */
export type Now = () => number;

/** The default backend: everything in this process's memory. */
export function createMemoryBackend(now: Now = Date.now): StateBackend {
  return {
    kv: memoryKeyValue(now),
    maps: memoryMaps(),
    leases: memoryLeases(now),
    pubsub: memoryPubSub(),
    counters: memoryCounters(now),
    close: async () => {},
  };
}

function memoryKeyValue(now: Now): KeyValueStore {
  const entries = new Map<string, { value: unknown; expiresAt: number }>();
  return {
    async get<T>(key: string) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value as T;
    },
    async set(key, value, ttlMs) {
      entries.set(key, { value, expiresAt: ttlMs === undefined ? Number.POSITIVE_INFINITY : now() + ttlMs });
    },
    async delete(key) {
      entries.delete(key);
    },
    async deletePrefix(prefix) {
      for (const key of entries.keys()) if (key.startsWith(prefix)) entries.delete(key);
    },
  };
}

function memoryMaps(): SharedMapStore {
  const maps = new Map<string, Map<string, unknown>>();
  const mapOf = (key: string) => {
    const map = maps.get(key) ?? new Map<string, unknown>();
    maps.set(key, map);
    return map;
  };
  return {
    async getAll<T>(key: string) {
      return new Map(maps.get(key) ?? []) as Map<string, T>;
    },
    async setFields(key, fields) {
      const map = mapOf(key);
      for (const [field, value] of fields) map.set(field, value);
    },
    async deleteFields(key, fields) {
      const map = maps.get(key);
      for (const field of fields) map?.delete(field);
    },
    async deleteKey(key) {
      maps.delete(key);
    },
  };
}

function memoryLeases(now: Now): LeaseManager {
  const leases = new Map<string, { owner: string; expiresAt: number }>();
  return {
    async acquire(name, owner, ttlMs) {
      const lease = leases.get(name);
      if (lease && lease.owner !== owner && lease.expiresAt > now()) return false;
      leases.set(name, { owner, expiresAt: now() + ttlMs });
      return true;
    },
    async release(name, owner) {
      if (leases.get(name)?.owner === owner) leases.delete(name);
    },
  };
}

function memoryPubSub(): PubSub {
  const channels = new Map<string, Set<(message: unknown) => void>>();
  return {
    async publish(channel, message) {
      // Listeners get a copy, as they would from Redis: nobody shares a mutable object.
      for (const listener of channels.get(channel) ?? []) listener(structuredClone(message));
    },
    async subscribe<T>(channel: string, listener: (message: T) => void) {
      const set = channels.get(channel) ?? new Set<(message: unknown) => void>();
      channels.set(channel, set);
      const entry = listener as (message: unknown) => void;
      set.add(entry);
      return async () => {
        set.delete(entry);
        if (set.size === 0) channels.delete(channel);
      };
    },
  };
}

function memoryCounters(now: Now): Counters {
  const counters = new Map<string, { value: number; expiresAt: number }>();
  return {
    async increment(key, by = 1, ttlMs) {
      let counter = counters.get(key);
      if (!counter || counter.expiresAt <= now()) {
        counter = { value: 0, expiresAt: ttlMs === undefined ? Number.POSITIVE_INFINITY : now() + ttlMs };
        counters.set(key, counter);
      }
      counter.value += by;
      return counter.value;
    },
  };
}
