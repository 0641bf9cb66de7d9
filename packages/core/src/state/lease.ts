import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { systemClock } from "../http/clock.js";
import type { LeaseManager } from "./backend.js";

/** Options of {@link waitForLease}. */
export interface WaitForLeaseOptions {
  /** How long the lease lives unless released (ms). */
  readonly ttlMs: number;
  /** How often to try again while someone else holds it (ms). */
  readonly intervalMs: number;
  /** Give up at this time (ms since the epoch). */
  readonly deadline: number;
  /** The error to throw at the deadline (the caller knows what was waited for). */
  readonly onTimeout: () => Error;
  readonly signal?: AbortSignal;
}

/**
 * Takes the lease `name` for `owner`, trying again every `intervalMs` while another owner
 * (another task or replica) holds it. Resolves to the function that releases it; throws
 * `onTimeout()` at the deadline and the signal's reason when aborted.
 *
 * @example const release = await waitForLease(ctx.backend.leases, name, owner, { ttlMs: 60_000, intervalMs: 100, deadline, onTimeout: () => new OaktreeError("still locked") });
 */
export async function waitForLease(
  leases: LeaseManager,
  name: string,
  owner: string,
  options: WaitForLeaseOptions,
): Promise<() => Promise<void>> {
  while (!(await leases.acquire(name, owner, options.ttlMs))) {
    options.signal?.throwIfAborted();
    if (Date.now() > options.deadline) throw options.onTimeout();
    await systemClock.sleep(options.intervalMs, options.signal);
  }
  return () => leases.release(name, owner);
}

/**
 * A lease owner id naming this process: `hostname:pid:random`, so that an operator reading
 * a lease in Redis sees which replica (pod) holds it.
 */
export function replicaOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}
