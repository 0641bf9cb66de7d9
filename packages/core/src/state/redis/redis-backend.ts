import { Redis } from "ioredis";
import type { Counters, KeyValueStore, LeaseManager, SharedMapStore, StateBackend } from "../backend.js";
import type { RedisClient } from "./client.js";
import { asStateError } from "./errors.js";
import { ACQUIRE_LEASE, INCREMENT, RELEASE_LEASE } from "./scripts.js";
import { createStreamPubSub } from "./stream-pubsub.js";

/** Options of {@link createRedisBackend}. */
export interface RedisBackendOptions {
  /** `redis://[:password@]HOST:PORT[/DB]` (or `rediss://` for TLS). */
  readonly url: string;
  /**
   * Prefix of every key (default `oaktree:`). Core names its keys `oaktree:<kind>:...`; that
   * namespace is replaced by this prefix, so two deployments can share one Redis.
   */
  readonly keyPrefix?: string;
  /**
   * Bound of every command (ms, default 5000): a command never waits forever on a dead link.
   * Not much shorter: a process whose event loop is busy for a while sees its timers fire
   * before the replies already received, and would fail over for nothing.
   */
  readonly commandTimeoutMs?: number;
  /** Longest pause between reconnection attempts (ms, default 2000). */
  readonly maxReconnectDelayMs?: number;
  /** Entries kept per pub/sub stream (default 1000). */
  readonly streamMaxLength?: number;
  /** Told of connection errors and state changes (never throws into the caller). */
  readonly onError?: (error: unknown) => void;
}

/** Whether the backend's connection can serve commands now. */
export type RedisLinkState = "up" | "down";

/** A {@link StateBackend} on Redis, with its connection state. */
export interface RedisBackend extends StateBackend {
  /** "up" once the connection is ready; "down" while ioredis reconnects. */
  readonly link: RedisLinkState;
  /** Calls `listener` on each change of {@link link}; returns the function that stops it. */
  onLinkChange(listener: (state: RedisLinkState) => void): () => void;
  /** The owner holding lease `name` now, if any (operators and tests: who polls a watch). */
  leaseHolder(name: string): Promise<string | undefined>;
  /** The physical Redis key of a core key (the prefix applied). */
  keyOf(key: string): string;
  /** The command connection (fail-fast, bounded), for other Redis users such as the rate limiter. */
  readonly client: RedisClient;
}

/** How long a stream lives without a publish, and a shared map without a write (ms). */
const STREAM_TTL_MS = 3_600_000;
const MAP_TTL_MS = 86_400_000;
const CORE_NAMESPACE = "oaktree:";

/**
 * The Redis implementation of the state interfaces, on ioredis: kv = GET/SET PX/DEL (prefix
 * deletion by SCAN + UNLINK), maps = hashes, leases = SET NX PX semantics with a Lua
 * compare-and-renew and compare-and-delete, counters = INCRBY + PEXPIRE on creation in one
 * script, pub/sub = Redis Streams (stream-pubsub.ts). Values are JSON.
 *
 * Failure behaviour: no offline queue and a timeout on every command, so that a call fails
 * fast with a {@link StateUnavailableError} while the link is down; ioredis reconnects with
 * capped exponential backoff meanwhile. The failover backend (failover-backend.ts) turns
 * those failures into degraded, memory-served operation.
 *
 * Resolves once the first connection attempt has ended, successfully or not: a replica
 * whose Redis is down at start still starts (degraded, through the failover backend).
 */
export async function createRedisBackend(options: RedisBackendOptions): Promise<RedisBackend> {
  const prefix = options.keyPrefix ?? CORE_NAMESPACE;
  const keyOf = (key: string) =>
    prefix + (key.startsWith(CORE_NAMESPACE) ? key.slice(CORE_NAMESPACE.length) : key);
  const onError = options.onError ?? (() => {});
  const commandTimeout = options.commandTimeoutMs ?? 5000;
  const maxDelay = options.maxReconnectDelayMs ?? 2000;
  const connectionOptions = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: commandTimeout,
    retryStrategy: (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 10), maxDelay),
  };
  const redis = new Redis(options.url, { ...connectionOptions, commandTimeout });
  // The blocking XREAD waits up to blockMs by design: its bound is that plus the usual one.
  const blockMs = 5000;
  const reader = new Redis(options.url, { ...connectionOptions, commandTimeout: blockMs + commandTimeout });
  for (const connection of [redis, reader]) connection.on("error", onError);

  let link: RedisLinkState = "down";
  const linkListeners = new Set<(state: RedisLinkState) => void>();
  const setLink = (state: RedisLinkState) => {
    if (state === link) return;
    link = state;
    for (const listener of [...linkListeners]) listener(state);
  };
  redis.on("ready", () => setLink("up"));
  redis.on("close", () => setLink("down"));

  const run = async <T>(what: string, command: () => Promise<T>): Promise<T> => {
    try {
      return await command();
    } catch (error) {
      throw asStateError(error, what);
    }
  };

  const kv: KeyValueStore = {
    get: <T>(key: string) =>
      run(`GET ${key}`, async () => {
        const text = await redis.get(keyOf(key));
        return text === null ? undefined : (JSON.parse(text) as T);
      }),
    set: (key, value, ttlMs) =>
      run(`SET ${key}`, async () => {
        const text = JSON.stringify(value);
        if (ttlMs === undefined) await redis.set(keyOf(key), text);
        else if (ttlMs <= 0) await redis.del(keyOf(key));
        else await redis.set(keyOf(key), text, "PX", Math.ceil(ttlMs));
      }),
    delete: (key) =>
      run(`DEL ${key}`, async () => {
        await redis.del(keyOf(key));
      }),
    deletePrefix: (keyPrefix) =>
      run(`delete ${keyPrefix}*`, async () => {
        const pattern = `${escapeGlob(keyOf(keyPrefix))}*`;
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
          if (keys.length > 0) await redis.unlink(...keys);
          cursor = next;
        } while (cursor !== "0");
      }),
  };

  const maps: SharedMapStore = {
    getAll: <T>(key: string) =>
      run(`HGETALL ${key}`, async () => {
        const hash = await redis.hgetall(keyOf(key));
        return new Map(Object.entries(hash).map(([field, text]) => [field, JSON.parse(text) as T]));
      }),
    setFields: (key, entries) =>
      run(`HSET ${key}`, async () => {
        if (entries.size === 0) return;
        const fields: string[] = [];
        for (const [field, value] of entries) fields.push(field, JSON.stringify(value));
        await redis
          .multi()
          .hset(keyOf(key), ...fields)
          .pexpire(keyOf(key), MAP_TTL_MS)
          .exec();
      }),
    deleteFields: (key, fields) =>
      run(`HDEL ${key}`, async () => {
        if (fields.length > 0) await redis.hdel(keyOf(key), ...fields);
      }),
    deleteKey: (key) =>
      run(`DEL ${key}`, async () => {
        await redis.del(keyOf(key));
      }),
  };

  const leases: LeaseManager = {
    acquire: (name, owner, ttlMs) =>
      run(`lease ${name}`, async () => {
        const taken = await redis.eval(ACQUIRE_LEASE, 1, keyOf(name), owner, Math.max(1, Math.ceil(ttlMs)));
        return taken === 1;
      }),
    release: (name, owner) =>
      run(`release ${name}`, async () => {
        await redis.eval(RELEASE_LEASE, 1, keyOf(name), owner);
      }),
  };

  const counters: Counters = {
    increment: (key, by = 1, ttlMs) =>
      run(`INCRBY ${key}`, async () => {
        const ttl = ttlMs === undefined ? "" : String(Math.max(1, Math.ceil(ttlMs)));
        return Number(await redis.eval(INCREMENT, 1, keyOf(key), by, ttl));
      }),
  };

  const pubsub = createStreamPubSub({
    redis,
    reader,
    keyOf,
    maxLength: options.streamMaxLength ?? 1000,
    streamTtlMs: STREAM_TTL_MS,
    blockMs,
    onError,
  });

  // A failed first attempt is not fatal: ioredis goes on reconnecting.
  await Promise.all([redis.connect().catch(onError), reader.connect().catch(onError)]);

  return {
    kv,
    maps,
    leases,
    pubsub,
    counters,
    get link() {
      return link;
    },
    onLinkChange(listener) {
      linkListeners.add(listener);
      return () => linkListeners.delete(listener);
    },
    leaseHolder: (name) => run(`GET ${name}`, async () => (await redis.get(keyOf(name))) ?? undefined),
    keyOf,
    client: redis as unknown as RedisClient,
    async close() {
      pubsub.close();
      linkListeners.clear();
      reader.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}
