/**
 * What a multi-step operation has created so far, so that a failure can undo it: a failed
 * server boot must leave no floating IP, port, volume or network behind. Steps register an
 * undo as soon as the cloud has accepted the creation (before waiting on it), and the
 * operation either commits (keeps everything) or rolls back (undoes in reverse order).
 */
export class Rollback {
  private readonly undos: { readonly what: string; readonly undo: () => Promise<void> }[] = [];
  private done = false;

  /** Registers `undo` for the resource described by `what` (e.g. `floating IP 203.0.113.7`). */
  add(what: string, undo: () => Promise<void>): void {
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
   * undone (for the error the caller raises, so that nothing leaks silently).
   */
  async run(): Promise<{ what: string; error: unknown }[]> {
    this.done = true;
    const failures: { what: string; error: unknown }[] = [];
    for (const { what, undo } of this.undos.reverse()) {
      try {
        await undo();
      } catch (error) {
        failures.push({ what, error });
      }
    }
    this.undos.length = 0;
    return failures;
  }
}
