import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, createHandlerContext } from "@connectrpc/connect";
import { afterEach, describe, expect, it } from "vitest";
import { BadRequestSchema, ErrorInfoSchema } from "../gen/google/rpc/error_details_pb.js";
import { EventType } from "../gen/oaktree/v1/common_pb.js";
import {
  ServerService,
  type WatchServersRequest,
  WatchServersRequestSchema,
  type WatchServersResponse,
} from "../gen/oaktree/v1/server_pb.js";
import { ServerShutdown } from "../shutdown.js";
import { type SimServer, startSimServer } from "../testing/sim-server.js";
import { serverHandlers } from "./server.js";
import { watchKinds, watchStream } from "./watch.js";
import { WatchHubs } from "./watch-hub.js";
import { decodeResumeToken, encodeResumeToken } from "./watch-token.js";

const IMAGE = "cirros-0.6.2-x86_64-disk";
const FLAVOR = "m1.tiny";

let s: SimServer | undefined;
const streams: AbortController[] = [];
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.abort();
  await s?.close();
  s = undefined;
});

/** A simulator serving ServerService with hubs the test can inspect and tune. */
async function start(hubs = new WatchHubs(), options: { bookmarkEveryMs?: number } = {}) {
  s = await startSimServer("modern", {
    simulator: { buildDelayMs: 200, deleteDelayMs: 100 },
    handlers: (deps) => [serverHandlers(deps, { hubs, watch: options })],
  });
  return { server: s, hubs };
}

/** A watch stream read event by event, each read bounded in time. */
function watch(server: SimServer, request: MessageInitShape<typeof WatchServersRequestSchema> = {}) {
  const abort = new AbortController();
  streams.push(abort);
  const iterator = server
    .client(ServerService)
    .watchServers(request, { signal: abort.signal })
    [Symbol.asyncIterator]();
  return {
    abort: () => abort.abort(),
    async next(timeoutMs = 10_000): Promise<WatchServersResponse> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no event in ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const result = await Promise.race([iterator.next(), timeout]);
        if (result.done) throw new Error("the stream ended");
        return result.value;
      } finally {
        clearTimeout(timer);
      }
    },
    /** Events up to and including the first one `until` accepts. */
    async until(until: (event: WatchServersResponse) => boolean): Promise<WatchServersResponse[]> {
      const events: WatchServersResponse[] = [];
      for (;;) {
        const event = await this.next();
        events.push(event);
        if (until(event)) return events;
      }
    },
  };
}

const isBookmark = (event: WatchServersResponse) => event.type === EventType.BOOKMARK;
const summary = (events: WatchServersResponse[]) =>
  events.map(
    (event) => `${EventType[event.type]} ${event.server?.name ?? ""}${event.initial ? " initial" : ""}`,
  );

async function boot(server: SimServer, name: string, wait = true) {
  const request = { name, image: IMAGE, flavor: FLAVOR, autoIp: false, wait };
  for await (const _ of server.client(ServerService).createServer(request));
}

async function remove(server: SimServer, name: string) {
  for await (const _ of server.client(ServerService).deleteServer({ nameOrId: name }));
}

describe("WatchServers", () => {
  it("sends the current servers, a BOOKMARK, then ADDED, MODIFIED and DELETED as they happen", async () => {
    const { server } = await start();
    await boot(server, "before");
    const stream = watch(server);
    const opening = await stream.until(isBookmark);
    expect(summary(opening)).toEqual(["ADDED before initial", "BOOKMARK "]);
    expect(opening[0]?.resumeToken).toBe("");
    expect(opening[1]?.resumeToken).not.toBe("");

    await boot(server, "live", false);
    const added = await stream.next();
    expect(summary([added])).toEqual(["ADDED live"]);
    expect(added.server?.status).toBe("BUILD");
    const modified = await stream.until((event) => event.server?.status === "ACTIVE");
    expect(
      modified.every((event) => event.type === EventType.MODIFIED && event.server?.name === "live"),
    ).toBe(true);
    await remove(server, "live");
    const rest = await stream.until((event) => event.type === EventType.DELETED);
    expect(rest.at(-1)?.server?.name).toBe("live");
    // Every live event has its own token, each one newer.
    const tokens = [added, ...modified, ...rest].map(
      (event) => decodeResumeToken(event.resumeToken, "servers").seq,
    );
    expect(new Set(tokens).size).toBe(tokens.length);
    expect([...tokens].sort((a, b) => a - b)).toEqual(tokens);
  });

  it("resumes from a token with what the client missed (not marked initial), then a BOOKMARK", async () => {
    const { server } = await start();
    await boot(server, "known");
    const first = watch(server);
    const bookmark = (await first.until(isBookmark)).at(-1)!;
    first.abort();
    await boot(server, "missed");
    // The hub saw it ACTIVE before the reconnect.
    const second = watch(server, { resumeToken: bookmark.resumeToken });
    const replay = await second.until(isBookmark);
    expect(replay.some((event) => event.initial)).toBe(false);
    expect(replay.filter((event) => event.server?.name === "known")).toEqual([]);
    expect(replay[0]?.type).toBe(EventType.ADDED);
    expect(replay[0]?.server?.name).toBe("missed");
    expect(replay.at(-2)?.server?.status).toBe("ACTIVE");
  });

  it("a token too old to replay, or from another hub, gives a fresh list marked initial", async () => {
    const { server } = await start(new WatchHubs({ capacity: 2 }));
    const first = watch(server);
    const bookmark = (await first.until(isBookmark)).at(-1)!;
    await boot(server, "one");
    await boot(server, "two");
    // ADDED and MODIFIED of each: four events, more than the two the hub keeps.
    await first.until((event) => event.server?.name === "two" && event.server.status === "ACTIVE");
    const old = watch(server, { resumeToken: bookmark.resumeToken });
    const fresh = await old.until(isBookmark);
    expect(summary(fresh).sort()).toEqual(["ADDED one initial", "ADDED two initial", "BOOKMARK "]);

    const point = decodeResumeToken(bookmark.resumeToken, "servers");
    const otherEpoch = encodeResumeToken({ ...point, epoch: "elsewhere" });
    const again = await watch(server, { resumeToken: otherEpoch }).until(isBookmark);
    expect(again.filter((event) => event.initial)).toHaveLength(2);
  });

  it.each([
    ["garbage", () => "not a token!"],
    ["base64 of something else", () => Buffer.from("hello").toString("base64url")],
    [
      "a token of another kind",
      (token: string) => encodeResumeToken({ ...decodeResumeToken(token, "servers"), kind: "volumes" }),
    ],
    [
      "a token of another location",
      (token: string) =>
        encodeResumeToken({ ...decodeResumeToken(token, "servers"), scope: "other/RegionOne/p" }),
    ],
  ])("%s is INVALID_ARGUMENT naming resume_token", async (_, tokenOf) => {
    const { server } = await start();
    const bookmark = (await watch(server).until(isBookmark)).at(-1)!;
    const error = await watch(server, { resumeToken: tokenOf(bookmark.resumeToken) })
      .next()
      .then(
        () => undefined,
        (e: unknown) => ConnectError.from(e),
      );
    expect(error?.code).toBe(Code.InvalidArgument);
    expect(error?.findDetails(BadRequestSchema)[0]?.fieldViolations[0]?.field).toBe("resume_token");
  });

  it("a bad filter is INVALID_ARGUMENT naming filter.jmespath, before any cloud call", async () => {
    const { server } = await start();
    const error = await watch(server, { filter: { jmespath: "[?status ==" } })
      .next()
      .then(
        () => undefined,
        (e: unknown) => ConnectError.from(e),
      );
    expect(error?.code).toBe(Code.InvalidArgument);
    expect(error?.findDetails(BadRequestSchema)[0]?.fieldViolations[0]?.field).toBe("filter.jmespath");
    expect(server.sim.admin.log()).toEqual([]);
  });

  it("filters apply per event", async () => {
    const { server } = await start();
    await boot(server, "db");
    const stream = watch(server, { filter: { fields: { name: "web" } } });
    expect(summary(await stream.until(isBookmark))).toEqual(["BOOKMARK "]);
    await boot(server, "db2");
    await boot(server, "web");
    const events = await stream.until((event) => event.server?.status === "ACTIVE");
    expect(events.every((event) => event.server?.name === "web")).toBe(true);
  });

  it("1,000 streams cost one core subscription and no more cloud listings than one", async () => {
    const { server, hubs } = await start();
    const countLists = () => server.sim.admin.count("compute", "GET /servers/detail");
    const window = async () => {
      const before = countLists();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return countLists() - before;
    };
    await watch(server).until(isBookmark);
    const withOne = await window();
    const many = Array.from({ length: 1000 }, () => watch(server));
    await Promise.all(many.map((stream) => stream.until(isBookmark)));
    const withMany = await window();
    expect(hubs.subscriptionsMade).toBe(1);
    expect(hubs.size).toBe(1);
    expect(withMany).toBeLessThanOrEqual(withOne + 3);
    // And every one of them sees a change.
    await boot(server, "seen-by-all", false);
    const seen = await Promise.all(many.map((stream) => stream.next()));
    expect(seen.every((event) => event.server?.name === "seen-by-all")).toBe(true);
  }, 30_000);

  it("ends with UNAVAILABLE carrying the last resume_token when the server shuts down", async () => {
    const { server, hubs } = await start();
    const shutdown = new AbortController();
    const context = createHandlerContext({
      service: ServerService,
      method: ServerService.method.watchServers,
      protocolName: "connect",
      requestMethod: "POST",
      url: "/oaktree.v1.ServerService/WatchServers",
      shutdownSignal: shutdown.signal,
    });
    const request: WatchServersRequest = create(WatchServersRequestSchema, {});
    const deps = { clouds: server.clouds };
    const stream = watchStream(deps, hubs, watchKinds.servers, request, context);
    const bookmark = (await stream.next()).value as WatchServersResponse;
    expect(bookmark.type).toBe(EventType.BOOKMARK);
    const pending = stream.next();
    shutdown.abort(new ServerShutdown());
    const error = await pending.then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(error?.code).toBe(Code.Unavailable);
    expect(error?.findDetails(ErrorInfoSchema)[0]?.metadata.resume_token).toBe(bookmark.resumeToken);
  });
});
