import { OaktreeError } from "../errors.js";

/**
 * How long the cleanup of a failed operation may run after the operation's own timeout:
 * deleting what it made and waiting until the cloud has let it go (a server's ports, a
 * volume). What is not confirmed gone by then is reported as possibly left behind.
 */
export const CLEANUP_GRACE_MS = 30_000;

/** An undo: given a signal that aborts when the rollback's time is up. */
export type Undo = (signal: AbortSignal) => Promise<void>;

/**
 * What a multi-step operation has created so far, so that a failure can undo it: a failed
 * server boot must leave no floating IP, port, volume or network behind. Steps register an
 * undo as soon as the cloud has accepted the creation (before waiting on it), and the
 * operation either commits (keeps everything) or rolls back (undoes in reverse order).
 */
export class Rollback {
  private readonly undos: { readonly what: string; readonly undo: Undo }[] = [];
  private done = false;

  /** Registers `undo` for the resource described by `what` (e.g. `floating IP 203.0.113.7`). */
  add(what: string, undo: Undo): void {
    if (this.done) throw new Error("rollback already finished");
    this.undos.push({ what, undo });
  }

  /** Keeps everything created: the operation succeeded. */
  commit(): void {
    this.done = true;
    this.undos.length = 0;
  }

  /**
   * Undoes everything in reverse order, going on past failures; returns what could not be
   * undone (for the error the caller raises, so that nothing leaks silently). With
   * `timeoutMs`, returns within it: an undo still running then (and every one after it) is
   * reported as possibly left behind, and its signal aborts.
   */
  async run(options: { readonly timeoutMs?: number } = {}): Promise<{ what: string; error: unknown }[]> {
    this.done = true;
    const deadline = Date.now() + (options.timeoutMs ?? Number.POSITIVE_INFINITY);
    const stop = new AbortController();
    const failures: { what: string; error: unknown }[] = [];
    for (const { what, undo } of this.undos.reverse()) {
      const left = deadline - Date.now();
      if (left <= 0) {
        failures.push({ what, error: new OaktreeError(`cleanup time ran out before deleting ${what}`) });
        continue;
      }
      let timer: NodeJS.Timeout | undefined;
      const outOfTime = new Promise<never>((_, reject) => {
        if (Number.isFinite(left)) {
          timer = setTimeout(() => {
            stop.abort();
            reject(new OaktreeError(`cleanup time ran out while deleting ${what}: it may still exist`));
          }, left);
        }
      });
      try {
        await Promise.race([undo(stop.signal), outOfTime]);
      } catch (error) {
        failures.push({ what, error });
      } finally {
        clearTimeout(timer);
      }
    }
    this.undos.length = 0;
    return failures;
  }
}
