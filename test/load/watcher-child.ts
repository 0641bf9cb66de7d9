/**
 * One watcher process of the load run: `streams` WatchServers streams over `connections`
 * HTTP/2 connections, each checked for order and gaps (the resume token's sequence goes up by
 * one, or stays on a bookmark) and timing each ADDED by the wall clock. Argument: WatcherArgs
 * as JSON; talks to the run over IPC (messages.ts); exits after sending its result.
 */
import { setMaxListeners } from "node:events";
import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { EventType } from "../../packages/server/src/gen/oaktree/v1/common_pb.js";
import { ServerService } from "../../packages/server/src/gen/oaktree/v1/server_pb.js";
import {
  type FinishRequest,
  isMessage,
  ownCpuSeconds,
  type StatusRequest,
  type WatcherArgs,
  type WatcherReady,
  type WatcherResult,
  type WatcherStatus,
} from "./messages.js";
import { wallClockMs } from "./processes.js";

interface StreamState {
  lastSeq: number;
  events: number;
  outOfOrder: boolean;
  ended?: string;
}

const args = JSON.parse(process.argv[2] ?? "{}") as WatcherArgs;
const send = (message: WatcherReady | WatcherStatus | WatcherResult) => process.send?.(message);
const controller = new AbortController();
// Every stream listens on this one signal.
setMaxListeners(0, controller.signal);

const transports = Array.from({ length: Math.max(1, args.connections) }, () =>
  createGrpcTransport({ baseUrl: `http://127.0.0.1:${args.port}`, pingIntervalMs: 30_000 }),
);
const clientOf = (i: number): Client<typeof ServerService> =>
  createClient(ServerService, transports[i % transports.length] as (typeof transports)[number]);

const streams: StreamState[] = [];
const added = new Map<string, number[]>();
let ready = 0;

const watching = Array.from({ length: args.streams }, async (_, i) => {
  const state: StreamState = { lastSeq: -1, events: 0, outOfOrder: false };
  streams.push(state);
  let counted = false;
  try {
    for await (const event of clientOf(i).watchServers({}, { signal: controller.signal })) {
      // Read the clock first: decoding and checking are the client's time, not the delay's.
      const at = wallClockMs();
      state.events += 1;
      if (event.type === EventType.BOOKMARK && !counted) {
        counted = true;
        ready += 1;
        if (ready === args.streams) send({ type: "ready" });
      }
      const seq = sequenceOf(event.resumeToken);
      if (seq !== undefined) {
        const step = seq - state.lastSeq;
        if (state.lastSeq >= 0 && !(step === 1 || (step === 0 && event.type === EventType.BOOKMARK))) {
          state.outOfOrder = true;
        }
        state.lastSeq = Math.max(state.lastSeq, seq);
      }
      if (event.type === EventType.ADDED && !event.initial && event.server) {
        const times = added.get(event.server.id) ?? [];
        times.push(Math.round(at));
        added.set(event.server.id, times);
      }
    }
    state.ended = "the stream ended";
  } catch (error) {
    if (!controller.signal.aborted) state.ended = String(error);
  }
});

const behindOf = (target: number) => streams.filter((s) => !s.ended && s.lastSeq < target).length;

process.on("message", (message: unknown) => {
  if (isMessage<StatusRequest>(message, "status")) {
    send({
      type: "status",
      maxSeq: Math.max(-1, ...streams.map((s) => s.lastSeq)),
      ended: streams.filter((s) => s.ended).length,
      behind: behindOf(message.target),
    });
  } else if (isMessage<FinishRequest>(message, "finish")) {
    const behind = behindOf(message.target);
    const result: WatcherResult = {
      type: "result",
      streams: streams.map((s) => ({ ...s })),
      added: Object.fromEntries(added),
      behind,
      cpuSeconds: ownCpuSeconds(),
    };
    controller.abort();
    void Promise.allSettled(watching).then(() => {
      process.send?.(result, () => process.exit(0));
    });
  }
});
process.on("disconnect", () => process.exit(0));

/** The hub's sequence number in a resume token (watch-token.ts: base64url of lines, the third). */
function sequenceOf(token: string): number | undefined {
  if (!token) return undefined;
  const seq = Buffer.from(token, "base64url").toString("utf8").split("\n")[2];
  return seq === undefined ? undefined : Number(seq);
}
