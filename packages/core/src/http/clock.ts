/**
 * Time, injectable: retry backoff and the rate limiter sleep through a Clock so that tests
 * run on virtual time and never wait (or flake) on the wall clock.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock (Date.now and setTimeout). */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  },
};

/**
 * A virtual clock for tests: `sleep` records the delay, lets pending tasks run, advances `now`
 * and resolves without waiting. Concurrent sleeps add up (virtual time is not shared), so use
 * it where one task sleeps at a time (a retry loop, one limiter key).
 */
export interface FakeClock extends Clock {
  /** Every delay passed to sleep(), in order. */
  readonly sleeps: number[];
  /** Moves time forward without sleeping. */
  advance(ms: number): void;
}

/** Creates a {@link FakeClock} starting at `start` ms. */
export function createFakeClock(start = 1_700_000_000_000): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      // Let whatever is due now run first (as during a real sleep), then jump ahead.
      await new Promise<void>((resolve) => setImmediate(resolve));
      now += Math.max(0, ms);
      if (signal?.aborted) throw signal.reason;
    },
  };
}
