import { randomUUID } from "node:crypto";
import { type DescMessage, equals, type MessageShape } from "@bufbuild/protobuf";
import type { SharedWatch, WatchEvent } from "@oaktree/core";
import { EventType } from "../gen/oaktree/v1/common_pb.js";
import type { ResumePoint } from "./watch-token.js";

/** One change as the hub numbered it, in proto form. */
export interface HubEvent<M> {
  readonly seq: number;
  readonly type: EventType.ADDED | EventType.MODIFIED | EventType.DELETED;
  readonly id: string;
  /** The object now (for DELETED: as last seen). */
  readonly object: M;
  /** The object before this change, if the hub knew it (filters need both sides). */
  readonly previous?: M;
}

/** What a hub reads: core's shared watch of one kind in one (cloud, region, project). */
export interface HubSource<T> {
  subscribe(listener: (events: readonly WatchEvent<T>[]) => void): () => void;
  /** Every object of the latest view. */
  items(): T[];
  /** Resolves once a listing that began after this call has been applied (and its events sent). */
  sync(): Promise<void>;
}

/** How long a hub waits for its first listing before its streams fail. */
const SYNC_TIMEOUT_MS = 120_000;

/** A hub's source on core's SharedWatch. */
export function hubSourceOf<T>(watch: SharedWatch<T>): HubSource<T> {
  return {
    subscribe: (listener) => watch.subscribe(listener),
    items: () => watch.items(),
    async sync() {
      // A waiter for an id no object has, whose judge decides on the first view it is shown:
      // the shared watch judges waiters only on listings that began after the wait did, and
      // after its listeners got that listing's events.
      const result = await watch.waitFor("oaktree:watch-hub-sync", () => "success", {
        timeoutMs: SYNC_TIMEOUT_MS,
      });
      if (result.state === "error") throw result.error;
      if (result.state !== "success") throw new Error(`the first listing did not come (${result.state})`);
    },
  };
}

/** Where a new stream starts: the current objects (a fresh list), or the events it missed. */
export type StreamStart<M> =
  | { readonly kind: "initial"; readonly objects: readonly M[]; readonly seq: number }
  | { readonly kind: "replay"; readonly events: readonly HubEvent<M>[]; readonly seq: number };

/** Tuning of hubs (tests shorten them). */
export interface WatchHubOptions {
  /** Events kept for replay. Default 1000. */
  readonly capacity?: number;
  /** Events a slow stream may have queued before it is ended (to resume). Default 10 000. */
  readonly maxQueued?: number;
  /** A hub without streams keeps its subscription and events this long (ms). Default 60 000. */
  readonly lingerMs?: number;
}

/** One stream's queue of the hub's events. */
export class HubSubscription<M> {
  private queue: HubEvent<M>[] = [];
  private wake?: () => void;
  /** True when the stream fell `maxQueued` events behind: it must end and resume. */
  overflowed = false;

  constructor(
    private readonly maxQueued: number,
    private readonly onClose: (subscription: HubSubscription<M>) => void,
  ) {}

  push(event: HubEvent<M>): void {
    if (this.queue.length >= this.maxQueued) this.overflowed = true;
    else this.queue.push(event);
    this.wake?.();
  }

  /** The events queued since the last call; waits for one (empty when `signal` aborts or on overflow). */
  async next(signal: AbortSignal): Promise<HubEvent<M>[]> {
    if (this.queue.length === 0 && !this.overflowed && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener("abort", done);
          this.wake = undefined;
          resolve();
        };
        this.wake = done;
        signal.addEventListener("abort", done, { once: true });
      });
    }
    const events = this.queue;
    this.queue = [];
    return events;
  }

  close(): void {
    this.onClose(this);
    this.wake?.();
  }
}

/**
 * The server's one subscription to core's shared watch of one kind in one (cloud, region,
 * project), however many streams watch it: it numbers the changes, keeps the last `capacity`
 * of them for streams that resume, and fans them out. Streams start from its current objects
 * (kept in proto form) or replay from a sequence number it still holds.
 */
export class WatchHub<T, D extends DescMessage> {
  /** Names this hub's numbering: tokens of another hub (or process) cannot be replayed here. */
  readonly epoch = randomUUID().slice(0, 8);
  /** Resolves once the hub holds a complete listing (rejects when none came). */
  readonly ready: Promise<void>;
  private readonly state = new Map<string, MessageShape<D>>();
  private readonly ring: HubEvent<MessageShape<D>>[] = [];
  private readonly subscriptions = new Set<HubSubscription<MessageShape<D>>>();
  private readonly capacity: number;
  private readonly maxQueued: number;
  private seq = 0;
  private synced = false;
  private readonly unsubscribe: () => void;

  constructor(
    readonly key: string,
    private readonly schema: D,
    source: HubSource<T>,
    private readonly idOf: (item: T) => string,
    private readonly toProto: (item: T) => MessageShape<D>,
    options: WatchHubOptions = {},
  ) {
    this.capacity = options.capacity ?? 1000;
    this.maxQueued = options.maxQueued ?? 10_000;
    this.unsubscribe = source.subscribe((events) => this.receive(events));
    this.ready = source.sync().then(() => {
      // The view the sync listing left is the truth the first streams start from.
      this.state.clear();
      for (const item of source.items()) this.state.set(this.idOf(item), this.toProto(item));
      this.synced = true;
    });
    // Streams await `ready` themselves; this only keeps a failed start from being unhandled.
    this.ready.catch(() => {});
  }

  /** Streams following the hub now. */
  get streamCount(): number {
    return this.subscriptions.size;
  }

  /** The newest sequence number. */
  get lastSeq(): number {
    return this.seq;
  }

  /**
   * Subscribes a stream, atomically with its start: the events it missed after `from` when
   * the hub still holds them all, else the current objects (a fresh list).
   */
  open(from: ResumePoint | undefined): {
    subscription: HubSubscription<MessageShape<D>>;
    start: StreamStart<MessageShape<D>>;
  } {
    const subscription = new HubSubscription<MessageShape<D>>(this.maxQueued, (closed) =>
      this.subscriptions.delete(closed),
    );
    this.subscriptions.add(subscription);
    const oldest = this.ring[0]?.seq ?? this.seq + 1;
    const replayable = from && from.epoch === this.epoch && from.seq <= this.seq && from.seq >= oldest - 1;
    const start: StreamStart<MessageShape<D>> = replayable
      ? { kind: "replay", events: this.ring.filter((event) => event.seq > from.seq), seq: this.seq }
      : { kind: "initial", objects: [...this.state.values()], seq: this.seq };
    return { subscription, start };
  }

  /** Drops the hub's subscription to core (its streams are gone). */
  close(): void {
    this.unsubscribe();
    for (const subscription of [...this.subscriptions]) subscription.close();
  }

  private receive(events: readonly WatchEvent<T>[]): void {
    for (const event of events) {
      const previous = this.state.get(event.id);
      const object = this.toProto(event.object);
      if (event.type === "DELETED") {
        if (!previous) continue;
        this.state.delete(event.id);
        this.publish({ type: EventType.DELETED, id: event.id, object, previous });
        continue;
      }
      // Core reports a change of anything it lists; what the proto does not show is no change.
      if (previous && equals(this.schema, previous, object)) continue;
      this.state.set(event.id, object);
      const type = previous ? EventType.MODIFIED : EventType.ADDED;
      this.publish({ type, id: event.id, object, ...(previous && { previous }) });
    }
  }

  private publish(change: Omit<HubEvent<MessageShape<D>>, "seq">): void {
    // Before the first complete listing nobody streams: the state is all there is to keep.
    if (!this.synced) return;
    this.seq += 1;
    const event = { ...change, seq: this.seq } as HubEvent<MessageShape<D>>;
    this.ring.push(event);
    if (this.ring.length > this.capacity) this.ring.shift();
    for (const subscription of this.subscriptions) subscription.push(event);
  }
}

/**
 * Every hub of this process, by `cloud/region/project/kind`: created by the first stream,
 * kept `lingerMs` after the last one leaves (so that a reconnecting client can resume), then
 * closed.
 */
export class WatchHubs {
  private readonly entries = new Map<
    string,
    { hub: WatchHub<unknown, DescMessage>; holders: number; idle?: NodeJS.Timeout }
  >();
  private created = 0;

  constructor(readonly options: WatchHubOptions = {}) {}

  /** The hub of `key`, created with `create` when there is none; call {@link release} when done. */
  acquire<T, D extends DescMessage>(key: string, create: () => WatchHub<T, D>): WatchHub<T, D> {
    let entry = this.entries.get(key);
    if (!entry) {
      const hub = create() as unknown as WatchHub<unknown, DescMessage>;
      this.created += 1;
      entry = { hub, holders: 0 };
      this.entries.set(key, entry);
      // A hub that could not start is dropped at once: the next stream tries again.
      hub.ready.catch(() => {
        if (this.entries.get(key)?.hub === hub) this.drop(key);
      });
    }
    clearTimeout(entry.idle);
    entry.idle = undefined;
    entry.holders += 1;
    return entry.hub as unknown as WatchHub<T, D>;
  }

  /** A stream of the hub ended: after the last, the hub lingers, then closes if none came back. */
  release(key: string, hub: WatchHub<unknown, DescMessage>): void {
    const entry = this.entries.get(key);
    if (!entry || entry.hub !== hub) return;
    entry.holders -= 1;
    if (entry.holders > 0) return;
    entry.idle = setTimeout(() => {
      if (this.entries.get(key) === entry && entry.holders === 0) this.drop(key);
    }, this.options.lingerMs ?? 60_000);
    entry.idle.unref();
  }

  /** Hubs created so far: each is one subscription to a core watch (tests, metrics). */
  get subscriptionsMade(): number {
    return this.created;
  }

  /** Hubs open now. */
  get size(): number {
    return this.entries.size;
  }

  /** Closes every hub (server shutdown). */
  close(): void {
    for (const key of [...this.entries.keys()]) this.drop(key);
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    clearTimeout(entry?.idle);
    entry?.hub.close();
    this.entries.delete(key);
  }
}
