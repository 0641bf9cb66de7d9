/**
 * The `changes-since` bound of a watch's incremental polls, in the cloud's clock.
 *
 * Nova's `changes-since` is inclusive and the `updated` times it prints have one-second
 * resolution, so asking since the newest `updated` seen re-sends every object changed in that
 * second: a freshly seeded 10k project comes back whole on every poll. The bound here moves
 * past that second without trusting our clock against the cloud's: it keeps a lower bound of
 * the cloud's time when the last listing was read. A listing is read after its request is sent
 * and the previous one was read before its response arrived, so the cloud's time at a read is
 * at least the previous bound plus the local time between those two moments (durations agree
 * across clocks, offsets need not). Anything the listing missed changed after it was read, so
 * at or after that bound: the next poll asks since the bound less a margin (for writers whose
 * clocks trail the API's, and transactions that commit after they stamp `updated`).
 */
export class ChangesSinceCursor {
  /** Lower bound of the cloud's clock at the last listing's read (ms), if known. */
  private bound?: number;
  /** Local time when the last listing's response arrived. */
  private boundAt = 0;

  constructor(
    private readonly now: () => number,
    /** Subtracted from the bound before it is sent. */
    private readonly marginMs: number,
  ) {}

  /** Starts from a cursor another replica (or an earlier run) stored. */
  restore(since: string): void {
    const at = Date.parse(since);
    if (!Number.isNaN(at)) {
      // The stored value already has the margin off; adding it back keeps `since` where it was.
      this.bound = Math.max(this.bound ?? at + this.marginMs, at + this.marginMs);
      this.boundAt = this.now();
    }
  }

  /** The cloud's time at a read starting now is at least this (given the previous bound). */
  boundAtRequest(sentAt: number): number | undefined {
    return this.bound === undefined ? undefined : this.bound + Math.max(0, sentAt - this.boundAt);
  }

  /**
   * Records a listing sent at `sentAt` and answered at `answeredAt` (local clock) whose
   * objects were last changed at `changedAt` (ISO times in the cloud's clock): the newest of
   * them is a lower bound of the read time too.
   */
  advance(sentAt: number, answeredAt: number, changedAt: readonly (string | undefined)[]): void {
    let bound = this.boundAtRequest(sentAt);
    for (const text of changedAt) {
      const at = text ? Date.parse(text) : Number.NaN;
      if (!Number.isNaN(at) && (bound === undefined || at > bound)) bound = at;
    }
    if (bound === undefined) return;
    this.bound = bound;
    this.boundAt = answeredAt;
  }

  /** The `changes-since` value of the next poll (whole seconds, UTC), if any listing has been seen. */
  get since(): string | undefined {
    if (this.bound === undefined) return undefined;
    const seconds = Math.floor((this.bound - this.marginMs) / 1000) * 1000;
    return new Date(seconds).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /** Forgets everything (the next poll lists in full). */
  clear(): void {
    this.bound = undefined;
  }
}
