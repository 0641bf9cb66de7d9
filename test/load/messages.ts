/**
 * What the load run's client processes and the run say to each other over IPC (JSON). Times
 * are wall-clock milliseconds ({@link wallClockMs}): comparable across the processes.
 */

/** Argument of watcher-child.ts. */
export interface WatcherArgs {
  readonly port: number;
  readonly streams: number;
  /** HTTP/2 connections the streams are spread over. */
  readonly connections: number;
}

/** Argument of creator-child.ts. */
export interface CreatorArgs {
  readonly port: number;
  readonly creators: number;
  /** Names start `load-<prefix>-`, unique across creator processes. */
  readonly prefix: string;
  /** Wall-clock time after which no create starts. */
  readonly endAt: number;
  readonly holdMs: number;
  /**
   * Each create starts after a random pause of up to this long: a create sent right after the
   * poll that showed the previous server gone would otherwise always wait a whole interval.
   */
  readonly jitterMs: number;
  readonly image: string;
  readonly flavor: string;
}

/** Run -> watcher: how far are the streams? (`target`: the sequence every stream must reach). */
export interface StatusRequest {
  readonly type: "status";
  readonly target: number;
}

/** Run -> watcher: stop the streams and send the result. */
export interface FinishRequest {
  readonly type: "finish";
  readonly target: number;
}

/** Watcher -> run: every stream has its initial list and bookmark. */
export interface WatcherReady {
  readonly type: "ready";
}

export interface WatcherStatus {
  readonly type: "status";
  /** The highest sequence any stream of this process received. */
  readonly maxSeq: number;
  /** Streams that ended (error or end). */
  readonly ended: number;
  /** Streams neither ended nor at `target`. */
  readonly behind: number;
}

/** One stream's account. */
export interface StreamResult {
  readonly events: number;
  readonly lastSeq: number;
  readonly outOfOrder: boolean;
  readonly ended?: string;
}

export interface WatcherResult {
  readonly type: "result";
  readonly streams: readonly StreamResult[];
  /** Per server id: when each stream that saw it received its (non-initial) ADDED. */
  readonly added: Readonly<Record<string, readonly number[]>>;
  /** Streams neither ended nor at the target when finishing. */
  readonly behind: number;
  /** CPU seconds this process used (user + system), until finishing. */
  readonly cpuSeconds: number;
}

/** One create as its client saw it. */
export interface CreateTimes {
  readonly id: string;
  /** The request was sent. */
  readonly sentAt: number;
  /** The stream said "the cloud accepted server <id>" (the POST /servers answered). */
  readonly acceptedAt: number;
  /** The first step carrying the server (oaktree's create saw it in a poll). */
  readonly seenAt?: number;
  /** The last step (ACTIVE). */
  readonly doneAt?: number;
}

export interface CreatorResult {
  readonly type: "result";
  readonly created: number;
  readonly failures: number;
  /** First few failure messages. */
  readonly errors: readonly string[];
  readonly creates: readonly CreateTimes[];
  /** CPU seconds this process used (user + system). */
  readonly cpuSeconds: number;
}

/** Creator -> run: progress every few seconds. */
export interface CreatorProgress {
  readonly type: "progress";
  readonly created: number;
  readonly failures: number;
}

/** CPU seconds (user + system) this process has used. */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** True when `message` is an object whose `type` is `type`. */
export function isMessage<T extends { type: string }>(message: unknown, type: T["type"]): message is T {
  return typeof message === "object" && message !== null && (message as { type?: unknown }).type === type;
}
