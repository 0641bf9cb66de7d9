/**
 * The simulator's clock. Everything time-dependent (token expiry, BUILD delays, `changes-since`)
 * reads it, so tests can move time forward instead of sleeping.
 */
export class SimClock {
  #offsetMs = 0;

  /** Milliseconds since the epoch, real time plus any advance. */
  now(): number {
    return Date.now() + this.#offsetMs;
  }

  /** Moves the clock forward by `ms` (never backward). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`advance: ms must be a non-negative number, got ${ms}`);
    this.#offsetMs += ms;
  }

  /** ISO 8601 with seconds precision and `Z`, as nova and neutron print timestamps. */
  isoSeconds(ms: number = this.now()): string {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /** ISO 8601 with microseconds and `Z`, as keystone prints `expires_at`. */
  isoMicros(ms: number = this.now()): string {
    return new Date(ms).toISOString().replace(/Z$/, "000Z");
  }
}
