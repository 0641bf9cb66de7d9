export type * from "./backend.js";
export { ResourceCache } from "./cache.js";
export { replicaOwnerId } from "./lease.js";
export { createMemoryBackend } from "./memory-backend.js";
export { StateUnavailableError } from "./redis/errors.js";
export {
  createFailoverBackend,
  type FailoverBackend,
  type FailoverBackendOptions,
  isExclusiveLease,
  type StateMode,
} from "./redis/failover-backend.js";
export {
  createRedisBackend,
  type RedisBackend,
  type RedisBackendOptions,
  type RedisLinkState,
} from "./redis/redis-backend.js";
export {
  type Judge,
  SharedWatch,
  type Verdict,
  type WaitResult,
  type WaitState,
  type WatchEvent,
  type WatchOptions,
  WatchRegistry,
  type WatchSource,
} from "./watch.js";
