import type { Redis } from "ioredis";
import type { PubSub } from "../backend.js";
import { asStateError } from "./errors.js";
import { PUBLISH } from "./scripts.js";

/** Options of {@link createStreamPubSub}. */
export interface StreamPubSubOptions {
  /** Commands (XADD, XREVRANGE, CLIENT UNBLOCK). */
  readonly redis: Redis;
  /** A connection of its own for the blocking XREAD (no command timeout shorter than the block). */
  readonly reader: Redis;
  /** Key of a channel's stream. */
  readonly keyOf: (channel: string) => string;
  /** Entries kept per stream (approximate MAXLEN): how much a replica cut off can catch up on. */
  readonly maxLength: number;
  /** A stream nobody publishes to vanishes after this long (ms). */
  readonly streamTtlMs: number;
  /** How long one XREAD blocks (ms); new subscriptions wake it at once. */
  readonly blockMs: number;
  readonly onError: (error: unknown) => void;
}

interface Channel {
  readonly stream: string;
  /** The id of the last entry delivered; XREAD resumes after it, also after a reconnect. */
  lastId: string | undefined;
  readonly listeners: Set<(message: unknown) => void>;
}

/** PubSub on a Redis stream per channel, with its closer. */
export interface StreamPubSub extends PubSub {
  close(): void;
}

/**
 * PubSub on Redis Streams: `publish` is an XADD (bounded by MAXLEN ~); ONE blocking XREAD on
 * its own connection reads every subscribed channel of this process, each from the last id it
 * delivered. A replica cut off from Redis therefore reads what it missed when the link
 * returns (as far back as the streams keep), which PUBLISH/SUBSCRIBE would drop.
 */
export function createStreamPubSub(options: StreamPubSubOptions): StreamPubSub {
  const { redis, reader } = options;
  const channels = new Map<string, Channel>();
  let closed = false;
  let readerId: number | undefined;
  let wakeIdle: (() => void) | undefined;

  reader.on("ready", () => {
    readerId = undefined;
    reader.client("ID").then(
      (id) => {
        readerId = Number(id);
      },
      () => {},
    );
  });

  /** The id to start a new channel after: its newest entry now (nothing older is delivered). */
  const newestId = async (stream: string): Promise<string> => {
    const newest = (await redis.xrevrange(stream, "+", "-", "COUNT", 1)) as [string, string[]][];
    return newest[0]?.[0] ?? "0-0";
  };

  /** Interrupts the blocking XREAD so that it starts reading a new channel now. */
  const wakeReader = () => {
    wakeIdle?.();
    if (readerId !== undefined) redis.client("UNBLOCK", readerId).catch(() => {});
  };

  const deliver = (channel: Channel, fields: string[]) => {
    const index = fields.indexOf("m");
    if (index < 0) return;
    let message: unknown;
    try {
      message = JSON.parse(fields[index + 1]!);
    } catch (error) {
      options.onError(error);
      return;
    }
    for (const listener of [...channel.listeners]) {
      // Each listener its own copy, as from the memory backend.
      listener(channel.listeners.size > 1 ? structuredClone(message) : message);
    }
  };

  const loop = async () => {
    let failures = 0;
    while (!closed) {
      const open = [...channels.values()];
      if (open.length === 0) {
        await new Promise<void>((resolve) => {
          wakeIdle = resolve;
        });
        wakeIdle = undefined;
        continue;
      }
      try {
        for (const channel of open) channel.lastId ??= await newestId(channel.stream);
        const reply = (await reader.xread(
          "COUNT",
          1000,
          "BLOCK",
          options.blockMs,
          "STREAMS",
          ...open.map((channel) => channel.stream),
          ...open.map((channel) => channel.lastId!),
        )) as [string, [string, string[]][]][] | null;
        failures = 0;
        for (const [stream, entries] of reply ?? []) {
          const channel = open.find((candidate) => candidate.stream === stream);
          if (!channel) continue;
          for (const [id, fields] of entries) {
            channel.lastId = id;
            if (channels.get(streamChannel(stream)) === channel) deliver(channel, fields);
          }
        }
      } catch (error) {
        if (closed) return;
        // UNBLOCK ends the XREAD with an error on purpose: read again at once.
        if (error instanceof Error && /UNBLOCKED/.test(error.message)) continue;
        failures += 1;
        if (failures === 1) options.onError(asStateError(error, "XREAD"));
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** failures, 2000)));
      }
    }
  };

  // Channels by name; the stream name maps back to its channel for delivery checks.
  const byStream = new Map<string, string>();
  const streamChannel = (stream: string) => byStream.get(stream) ?? "";
  void loop();

  return {
    async publish(channel, message) {
      try {
        await redis.eval(
          PUBLISH,
          1,
          options.keyOf(channel),
          JSON.stringify(message),
          options.maxLength,
          options.streamTtlMs,
        );
      } catch (error) {
        throw asStateError(error, `publish to ${channel}`);
      }
    },
    async subscribe<T>(name: string, listener: (message: T) => void) {
      let channel = channels.get(name);
      if (!channel) {
        const stream = options.keyOf(name);
        channel = { stream, lastId: undefined, listeners: new Set() };
        channels.set(name, channel);
        byStream.set(stream, name);
        // The start position is taken now if Redis answers, so that nothing published after
        // subscribe() returns is missed; else the reader takes it once Redis is back.
        const created = channel;
        try {
          const id = await newestId(stream);
          created.lastId ??= id;
        } catch {}
        wakeReader();
      }
      const entry = listener as (message: unknown) => void;
      channel.listeners.add(entry);
      const subscribed = channel;
      return async () => {
        subscribed.listeners.delete(entry);
        if (subscribed.listeners.size === 0 && channels.get(name) === subscribed) {
          channels.delete(name);
          byStream.delete(subscribed.stream);
        }
      };
    },
    close() {
      closed = true;
      wakeIdle?.();
    },
  };
}
