/**
 * The Lua scripts of the Redis backend: each read-compare-write runs atomically in Redis, so
 * that two replicas can never both believe they hold a lease or both create a counter.
 */

/** Takes the lease when free (SET NX PX) or renews it when ARGV[1] holds it. KEYS[1] lease; ARGV owner, ttl ms. */
export const ACQUIRE_LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

/** Deletes the lease only if ARGV[1] still holds it (never another owner's). */
export const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/** INCRBY, with PEXPIRE ARGV[2] only when this call created the counter (ARGV[2] '' = no expiry). */
export const INCREMENT = `
local existed = redis.call('EXISTS', KEYS[1])
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if existed == 0 and ARGV[2] ~= '' then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return value`;

/** XADD with an approximate MAXLEN, and the stream's expiry pushed back (idle channels vanish). */
export const PUBLISH = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'm', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return id`;
