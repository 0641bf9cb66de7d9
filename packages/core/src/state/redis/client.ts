declare const ioredisConnection: unique symbol;

/**
 * An ioredis connection as core's public declarations name it: opaque. ioredis's own
 * declarations import `redis-errors`, which ships no types, so a program type-checked with
 * skipLibCheck off fails inside them; core's .d.ts files therefore never import ioredis
 * (test/packaging checks the installed declarations with skipLibCheck off). One comes from
 * createRedisBackend (its `client`); the modules that use it cast it back to ioredis's type.
 */
export interface RedisClient {
  readonly [ioredisConnection]: true;
}
