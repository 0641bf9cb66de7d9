import { Code, ConnectError } from "@connectrpc/connect";
import type { CreateServerProgress, CreateServerResult } from "@oaktree/core";
import { createProgressToProto, createResultToProto } from "../convert/server.js";
import type { CreateServerResponse } from "../gen/oaktree/v1/server_pb.js";
import { isServerShutdown } from "../shutdown.js";

/** Runs one create; `onProgress` gets core's steps, `signal` is the operation's own. */
export type RunCreate = (
  onProgress: (event: CreateServerProgress) => void,
  signal: AbortSignal,
) => Promise<CreateServerResult>;

/**
 * One server create running in this process, which any number of streams follow: its steps so
 * far (replayed to a stream that attaches late), then its result or error. Its lifetime is its
 * own (its timeout, its signal), not a stream's: see {@link CreateOperations}.
 */
export class CreateOperation {
  private readonly steps: CreateServerResponse[] = [];
  private readonly startedAt = Date.now();
  private readonly abort = new AbortController();
  private outcome?: { readonly result: CreateServerResponse } | { readonly error: unknown };
  private wake = new Set<() => void>();
  /** Streams following it (a create without a client token is cancelled when its one stream leaves). */
  private followers = 0;
  readonly done: Promise<void>;

  constructor(run: RunCreate) {
    this.done = run((event) => this.step(event), this.abort.signal).then(
      (result) => this.finish({ result: createResultToProto(result, Date.now() - this.startedAt) }),
      (error: unknown) => this.finish({ error }),
    );
  }

  /** Stops the create (core rolls back what it made). */
  cancel(reason?: unknown): void {
    this.abort.abort(reason);
  }

  /**
   * The create's responses for one stream: every step so far, then each new one, then the
   * final STAGE_DONE (or the create's error, thrown). Ends early, without touching the
   * create, when `signal` aborts; `onLeave` runs when the stream stops following.
   */
  async *follow(signal: AbortSignal, onLeave?: () => void): AsyncGenerator<CreateServerResponse> {
    this.followers += 1;
    try {
      let next = 0;
      for (;;) {
        while (next < this.steps.length) yield this.steps[next++] as CreateServerResponse;
        const outcome = this.outcome;
        if (outcome) {
          if ("error" in outcome) throw outcome.error;
          yield outcome.result;
          return;
        }
        await this.changed(signal);
        if (signal.aborted) throw stopped(signal);
      }
    } finally {
      this.followers -= 1;
      onLeave?.();
    }
  }

  /** Streams following the create right now. */
  get followerCount(): number {
    return this.followers;
  }

  private step(event: CreateServerProgress): void {
    const response = createProgressToProto(event, Date.now() - this.startedAt);
    if (!response || this.outcome) return;
    // The shared watch reports BUILD on every poll: a step is shown once per stage and status.
    const last = this.steps.at(-1)?.progress;
    const progress = response.progress;
    if (last && progress && last.stage === progress.stage && last.cloudStatus === progress.cloudStatus)
      return;
    this.steps.push(response);
    this.notify();
  }

  private finish(outcome: NonNullable<CreateOperation["outcome"]>): void {
    this.outcome = outcome;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = new Set();
    for (const resolve of wake) resolve();
  }

  /** Resolves at the next step or outcome, or when `signal` aborts. */
  private changed(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        signal.removeEventListener("abort", done);
        this.wake.delete(done);
        resolve();
      };
      this.wake.add(done);
      signal.addEventListener("abort", done, { once: true });
    });
  }
}

/** Why a stream stopped following: the server's shutdown says how to go on; else the call's reason. */
function stopped(signal: AbortSignal): unknown {
  if (!isServerShutdown(signal)) return signal.reason;
  return new ConnectError(
    "the server is shutting down: reissue the request (with a client_token, the reissue finishes the same boot)",
    Code.Unavailable,
  );
}

/**
 * The creates with a client token running in this process, by (cloud, region, project,
 * token). A stream attaches to the running create of its token (or starts it), so that a
 * dropped stream does not roll back a boot its reissue should finish, and two concurrent
 * streams with one token share one boot. A create leaves the table when it ends: a reissue
 * after that (or in another process) goes through core's client-token logic, which finds the
 * server by its metadata.
 */
export class CreateOperations {
  private readonly running = new Map<string, CreateOperation>();

  /** The running create of `key`, or a new one started with `run`. */
  attach(key: string, run: RunCreate): CreateOperation {
    const existing = this.running.get(key);
    if (existing) return existing;
    const operation = new CreateOperation(run);
    this.running.set(key, operation);
    void operation.done.finally(() => {
      if (this.running.get(key) === operation) this.running.delete(key);
    });
    return operation;
  }

  /** How many creates are running (tests, metrics). */
  get size(): number {
    return this.running.size;
  }
}
