import type { Redis } from "ioredis";
import type { LeaseManager, PubSub, StateBackend } from "../backend.js";
import { createMemoryBackend } from "../memory-backend.js";
import { isConnectionError, StateUnavailableError } from "./errors.js";
import type { RedisBackend } from "./redis-backend.js";

/** "shared": state lives in Redis; "degraded": Redis is unreachable, this replica serves from memory. */
export type StateMode = "shared" | "degraded";

/**
 * Leases that are never granted from local memory: an exclusive lease taken by two replicas
 * at once could create something twice. A client token's lease (one createServer per token)
 * and get-me-a-network's (one network per project) are; a watch's lease is not (two pollers
 * cost the cloud a request, nothing more), nor a floating-IP claim (neutron's If-Match
 * revision check refuses the second claimer). See docs/decisions/0027-redis-shared-state.md.
 */
export function isExclusiveLease(name: string): boolean {
  return name.startsWith("oaktree:client-token:") || name.startsWith("oaktree:get-me-a-network:");
}

/** Options of {@link createFailoverBackend}. */
export interface FailoverBackendOptions {
  /** Which leases fail closed (StateUnavailableError) while degraded. Default {@link isExclusiveLease}. */
  readonly exclusiveLease?: (name: string) => boolean;
  /** How often a degraded replica asks Redis whether it answers again (ms, default 1000). */
  readonly probeEveryMs?: number;
}

/** A {@link StateBackend} that falls back to memory while Redis is unreachable. */
export interface FailoverBackend extends StateBackend {
  readonly mode: StateMode;
  /** Times this replica went from shared to degraded (starting degraded counts once). */
  readonly failovers: number;
  /** The Redis backend underneath (operators and tests: lease holders). */
  readonly shared: RedisBackend;
  /** Calls `listener` on each change of {@link mode}; returns the function that stops it. */
  onModeChange(listener: (mode: StateMode) => void): () => void;
}

/**
 * Shared state on Redis that keeps a replica serving when Redis is away:
 *
 * | event                              | then                                                       |
 * |------------------------------------|------------------------------------------------------------|
 * | a command fails for the link, or the link drops | mode `degraded`: every operation on a memory backend of this replica |
 * | degraded, exclusive lease asked    | StateUnavailableError (fail closed: no duplicate creates)  |
 * | degraded, watch lease asked        | granted from memory: this replica polls for itself         |
 * | the link is ready again, or answers a PING (probed every second while degraded) | mode `shared`, a fresh memory backend for next time; leases re-taken in Redis on their next renewal |
 *
 * Every change of mode bumps {@link StateBackend.generation}: a shared watch then lists its
 * cloud in full before publishing again, since what Redis holds may be stale or lost.
 * Subscriptions are made on both sides, so a listener hears this replica's messages while
 * degraded and everyone's (including what it missed, from the streams) once shared again.
 */
export function createFailoverBackend(
  shared: RedisBackend,
  options: FailoverBackendOptions = {},
): FailoverBackend {
  const exclusive = options.exclusiveLease ?? isExclusiveLease;
  const localPubSub = createMemoryBackend().pubsub;
  let local = createMemoryBackend();
  let mode: StateMode = shared.link === "up" ? "shared" : "degraded";
  let failovers = mode === "degraded" ? 1 : 0;
  let generation = 0;
  const listeners = new Set<(mode: StateMode) => void>();
  let probe: NodeJS.Timeout | undefined;

  const setMode = (next: StateMode) => {
    if (next === mode) return;
    mode = next;
    generation += 1;
    if (next === "degraded") {
      failovers += 1;
      startProbe();
    } else {
      clearInterval(probe);
      probe = undefined;
      // What this replica wrote while alone is not carried over: Redis is the truth again.
      local = createMemoryBackend();
    }
    for (const listener of [...listeners]) listener(next);
  };
  /**
   * A command can fail without the link dropping (a timeout while Redis or this process was
   * stalled): then no "ready" event will come, so a degraded replica asks Redis itself.
   */
  const startProbe = () => {
    if (probe) return;
    probe = setInterval(() => {
      if (shared.link !== "up") return;
      (shared.client as unknown as Redis).ping().then(
        () => setMode("shared"),
        () => {},
      );
    }, options.probeEveryMs ?? 1000);
    probe.unref();
  };
  if (mode === "degraded") startProbe();
  const stopLinkWatch = shared.onLinkChange((link) => setMode(link === "up" ? "shared" : "degraded"));

  /** Runs on Redis while shared; on a link failure degrades and runs `onLocal` instead. */
  const route = async <T>(onShared: () => Promise<T>, onLocal: () => Promise<T>): Promise<T> => {
    if (mode === "shared") {
      try {
        return await onShared();
      } catch (error) {
        if (!isConnectionError(error)) throw error;
        setMode("degraded");
      }
    }
    return onLocal();
  };

  const leases: LeaseManager = {
    acquire: (name, owner, ttlMs) =>
      route(
        () => shared.leases.acquire(name, owner, ttlMs),
        async () => {
          if (exclusive(name)) {
            throw new StateUnavailableError(
              `shared state (Redis) unavailable: the lease ${name} is not granted while degraded; retry later (with the same client token, if any)`,
            );
          }
          return local.leases.acquire(name, owner, ttlMs);
        },
      ),
    release: (name, owner) =>
      route(
        () => shared.leases.release(name, owner),
        () => local.leases.release(name, owner),
      ),
  };

  const pubsub: PubSub = {
    publish: (channel, message) =>
      route(
        () => shared.pubsub.publish(channel, message),
        () => localPubSub.publish(channel, message),
      ),
    async subscribe(channel, listener) {
      const [fromRedis, fromHere] = await Promise.all([
        shared.pubsub.subscribe(channel, listener),
        localPubSub.subscribe(channel, listener),
      ]);
      return async () => {
        await Promise.all([fromRedis(), fromHere()]);
      };
    },
  };

  return {
    kv: {
      get: (key) =>
        route(
          () => shared.kv.get(key),
          () => local.kv.get(key),
        ),
      set: (key, value, ttlMs) =>
        route(
          () => shared.kv.set(key, value, ttlMs),
          () => local.kv.set(key, value, ttlMs),
        ),
      delete: (key) =>
        route(
          () => shared.kv.delete(key),
          () => local.kv.delete(key),
        ),
      deletePrefix: (prefix) =>
        route(
          () => shared.kv.deletePrefix(prefix),
          () => local.kv.deletePrefix(prefix),
        ),
    },
    maps: {
      getAll: (key) =>
        route(
          () => shared.maps.getAll(key),
          () => local.maps.getAll(key),
        ),
      setFields: (key, entries) =>
        route(
          () => shared.maps.setFields(key, entries),
          () => local.maps.setFields(key, entries),
        ),
      deleteFields: (key, fields) =>
        route(
          () => shared.maps.deleteFields(key, fields),
          () => local.maps.deleteFields(key, fields),
        ),
      deleteKey: (key) =>
        route(
          () => shared.maps.deleteKey(key),
          () => local.maps.deleteKey(key),
        ),
    },
    leases,
    pubsub,
    counters: {
      increment: (key, by, ttlMs) =>
        route(
          () => shared.counters.increment(key, by, ttlMs),
          () => local.counters.increment(key, by, ttlMs),
        ),
    },
    get generation() {
      return generation;
    },
    get mode() {
      return mode;
    },
    get failovers() {
      return failovers;
    },
    shared,
    onModeChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      clearInterval(probe);
      stopLinkWatch();
      listeners.clear();
      await shared.close();
    },
  };
}
