/**
 * The contracts of shared watches (state/watch.ts): what a waiter gets, what a source must
 * offer, and the tunables (docs/decisions/0007 and 0013).
 */

/**
 * How a wait ended. Waiters return a state instead of throwing (STYLE.md point 8); `error`
 * means the cloud could not be read for `failAfterErrors` polls in a row.
 */
export type WaitState = "success" | "failure" | "timeout" | "aborted" | "error";

/** How a wait ended, with the object as last seen. */
export interface WaitResult<T> {
  readonly state: WaitState;
  /** The object as last seen (absent when it never appeared, or is gone). */
  readonly value?: T;
  /** With state `error`: the last poll's error (the cloud's answer). */
  readonly error?: Error;
}

/** A judge's verdict on the object a waiter waits for. */
export type Verdict = "success" | "failure" | "pending";

/**
 * Decides a wait from the latest view of one object: `item` is undefined when the latest
 * listing does not contain it; `seen` tells whether any listing since the wait began did.
 */
export type Judge<T> = (item: T | undefined, seen: boolean) => Verdict;

/** How to list one kind of resource for one (cloud, region, project). */
export interface WatchSource<T> {
  /** Every object: the full reconcile. */
  listAll(signal: AbortSignal): Promise<readonly T[]>;
  /**
   * Objects changed at or after `since` (a timestamp in the cloud's clock), deleted ones
   * included (nova `changes-since`). Absent when the API has no incremental listing.
   */
  listChangedSince?(since: string, signal: AbortSignal): Promise<readonly T[]>;
  /**
   * One object by id (undefined when the cloud has none): what a few waiters are served by
   * until one listing is cheaper. Absent: waiters are always served by listings.
   */
  get?(id: string, signal: AbortSignal): Promise<T | undefined>;
  idOf(item: T): string;
  /** When the cloud last changed the object (nova `updated`): bounds the next `since`. */
  changedAtOf?(item: T): string | undefined;
  /** True for an object an incremental listing reports as deleted (nova status DELETED). */
  isDeleted?(item: T): boolean;
  /** Changes whenever the object does; default: its JSON. */
  revisionOf?(item: T): string;
}

/** One change a shared watch saw. */
export interface WatchEvent<T> {
  readonly type: "ADDED" | "MODIFIED" | "DELETED";
  readonly id: string;
  /** The new object, or the last known one for DELETED. */
  readonly object: T;
}

/** Options of a shared watch (defaults suit a personal cloud; see docs/decisions/0013). */
export interface WatchOptions {
  /** Milliseconds between listings while anyone is interested. Default 5000 (shade's default). */
  readonly intervalMs?: number;
  /** A full listing at least this often, incremental polls in between. Default 60000. */
  readonly reconcileEveryMs?: number;
  /**
   * A new waiter's first poll comes this soon (ms), the next ones twice as late each time up
   * to `intervalMs`, while fewer than `listAtWaiters` objects are waited for. Default 1000.
   */
  readonly firstPollMs?: number;
  /**
   * From this many distinct objects waited for (or any subscriber), one listing serves them
   * all; below it, each is read by id (when the source can). Default 10.
   */
  readonly listAtWaiters?: number;
  /** A watch with a listing keeps it fresh this long after the last interest ends (ms). Default 60000. */
  readonly keepWarmMs?: number;
  /** Waiters end with state `error` after this many failed polls in a row. Default 3. */
  readonly failAfterErrors?: number;
  /** Taken off the `changes-since` bound for cloud-side clock skew (ms). Default 2000. */
  readonly changesSinceMarginMs?: number;
  readonly now?: () => number;
  /** Called with errors of a poll (the watch keeps going and retries next interval). */
  readonly onError?: (error: unknown) => void;
}
