import { create, type DescMessage } from "@bufbuild/protobuf";
import { createHandlerContext } from "@connectrpc/connect";
import type { Cloud } from "@oaktree/core";
import type { ProfileName } from "@oaktree/sim";
import { afterEach, describe, expect, it } from "vitest";
import { EventType } from "../gen/oaktree/v1/common_pb.js";
import { ImageService } from "../gen/oaktree/v1/image_pb.js";
import { ServerService, WatchServersRequestSchema } from "../gen/oaktree/v1/server_pb.js";
import { type SimServer, startSimServer } from "../testing/sim-server.js";
import { type WatchKind, watchKinds, watchStream } from "./watch.js";
import { WatchHubs } from "./watch-hub.js";

let s: SimServer | undefined;
const calls: AbortController[] = [];
afterEach(async () => {
  for (const call of calls.splice(0)) call.abort();
  await s?.close();
  s = undefined;
});

interface AnyEvent {
  readonly type: EventType;
  readonly initial: boolean;
  readonly resumeToken: string;
  readonly [field: string]: unknown;
}

/** A watch of `kind` run through the generic stream, as any Watch<R>s method does. */
function open<T, D extends DescMessage, R>(server: SimServer, hubs: WatchHubs, kind: WatchKind<T, D, R>) {
  const call = new AbortController();
  calls.push(call);
  const context = createHandlerContext({
    service: ServerService,
    method: ServerService.method.watchServers,
    protocolName: "connect",
    requestMethod: "POST",
    url: "/test",
    requestSignal: call.signal,
  });
  const stream = watchStream(
    { clouds: server.clouds },
    hubs,
    kind,
    create(WatchServersRequestSchema, {}),
    context,
  );
  return {
    async next(): Promise<AnyEvent> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("no event in 10 s")), 10_000);
      });
      try {
        const result = await Promise.race([stream.next(), timeout]);
        if (result.done) throw new Error("the stream ended");
        return result.value as unknown as AnyEvent;
      } finally {
        clearTimeout(timer);
      }
    },
    async until(accept: (event: AnyEvent) => boolean): Promise<AnyEvent[]> {
      const events: AnyEvent[] = [];
      for (;;) {
        const event = await this.next();
        events.push(event);
        if (accept(event)) return events;
      }
    },
  };
}

const bookmark = (event: AnyEvent) => event.type === EventType.BOOKMARK;

describe("the same watch mechanism for floating IPs, ports and volumes", () => {
  it.each(["modern", "nova-network"] as const)(
    "%s: WatchFloatingIps sees one created, then deleted",
    async (profile) => {
      s = await startSimServer(profile as ProfileName);
      const hubs = new WatchHubs();
      const stream = open(s, hubs, watchKinds.floatingIps);
      await stream.until(bookmark);
      const cloud: Cloud = await s.clouds.resolve(undefined);
      const ip = await cloud.createFloatingIp();
      const added = await stream.next();
      expect(added.type).toBe(EventType.ADDED);
      expect((added.floatingIp as { floatingIpAddress: string }).floatingIpAddress).toBe(
        ip.floatingIpAddress,
      );
      await cloud.deleteFloatingIp(ip.id);
      const gone = await stream.until((event) => event.type === EventType.DELETED);
      expect((gone.at(-1)?.floatingIp as { id?: string } | undefined)?.id).toBe(ip.id);
      expect(hubs.subscriptionsMade).toBe(1);
    },
  );

  it("WatchPorts and WatchVolumes: ADDED then DELETED, each on its own hub", async () => {
    s = await startSimServer("modern", { simulator: { deleteDelayMs: 0 } });
    const hubs = new WatchHubs();
    const ports = open(s, hubs, watchKinds.ports);
    const volumes = open(s, hubs, watchKinds.volumes);
    await Promise.all([ports.until(bookmark), volumes.until(bookmark)]);
    expect(hubs.size).toBe(2);
    const cloud: Cloud = await s.clouds.resolve(undefined);
    const port = await cloud.createPort({ network: "private", name: "watched-port" });
    const portEvents = await ports.until(
      (event) => (event.port as { id: string } | undefined)?.id === port.id,
    );
    expect(portEvents.at(-1)?.type).toBe(EventType.ADDED);
    await cloud.deletePort(port.id);
    await ports.until((event) => event.type === EventType.DELETED);

    const volume = await cloud.createVolume({ size: 1, name: "watched-volume" });
    const volumeEvents = await volumes.until(
      (event) => (event.volume as { id: string } | undefined)?.id === volume.id,
    );
    expect(volumeEvents.at(-1)?.type).toBe(EventType.ADDED);
    await cloud.deleteVolume(volume.id);
    const deleted = await volumes.until((event) => event.type === EventType.DELETED);
    expect((deleted.at(-1)?.volume as { name?: string } | undefined)?.name).toBe("watched-volume");
  });

  it("WatchImages through ImageService: the project's new image is ADDED, then DELETED", async () => {
    s = await startSimServer("modern");
    const abort = new AbortController();
    calls.push(abort);
    const iterator = s.client(ImageService).watchImages({}, { signal: abort.signal })[Symbol.asyncIterator]();
    const next = async () => {
      const result = await Promise.race([
        iterator.next(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error("no event in 10 s")), 10_000).unref(),
        ),
      ]);
      if (result.done) throw new Error("the stream ended");
      return result.value;
    };
    while ((await next()).type !== EventType.BOOKMARK);
    const cloud: Cloud = await s.clouds.resolve(undefined);
    const { image } = await cloud.createImage({
      name: "watched-image",
      data: new TextEncoder().encode("image bytes"),
      diskFormat: "qcow2",
    });
    let event = await next();
    while (event.image?.id !== image.id) event = await next();
    expect(event.type).toBe(EventType.ADDED);
    await cloud.deleteImage(image.id);
    while (event.type !== EventType.DELETED) event = await next();
    expect(event.image?.name).toBe("watched-image");
  });
});
