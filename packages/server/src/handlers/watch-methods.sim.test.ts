import { afterEach, describe, expect, it } from "vitest";
import { EventType } from "../gen/oaktree/v1/common_pb.js";
import { FloatingIpService } from "../gen/oaktree/v1/floating_ip_pb.js";
import { ImageService } from "../gen/oaktree/v1/image_pb.js";
import { PortService } from "../gen/oaktree/v1/port_pb.js";
import { VolumeService } from "../gen/oaktree/v1/volume_pb.js";
import { type SimServer, startSimServer } from "../testing/sim-server.js";

let s: SimServer | undefined;
const calls: AbortController[] = [];
afterEach(async () => {
  for (const call of calls.splice(0)) call.abort();
  await s?.close();
  s = undefined;
});

interface Event {
  readonly type: EventType;
  readonly initial: boolean;
}

/** The events of a watch up to the BOOKMARK that ends its initial list (10 s at most). */
async function initialList<E extends Event>(open: (signal: AbortSignal) => AsyncIterable<E>): Promise<E[]> {
  const call = new AbortController();
  calls.push(call);
  const timer = setTimeout(() => call.abort(), 10_000);
  const events: E[] = [];
  try {
    for await (const event of open(call.signal)) {
      events.push(event);
      if (event.type === EventType.BOOKMARK) break;
    }
  } finally {
    clearTimeout(timer);
  }
  return events;
}

describe("the Watch methods of the resource services are served", () => {
  it("WatchVolumes, WatchImages, WatchPorts and WatchFloatingIps list what exists, then a BOOKMARK", async () => {
    s = await startSimServer("modern", { simulator: { buildDelayMs: 20 } });
    const server = s;
    const cloud = await server.clouds.resolve(undefined);
    const volume = await cloud.createVolume({ name: "watched", size: 1 });
    const ip = await cloud.createFloatingIp();
    const { image } = await cloud.createImage({
      name: "watched",
      data: new Uint8Array(16),
      diskFormat: "raw",
    });

    const volumes = await initialList((signal) => server.client(VolumeService).watchVolumes({}, { signal }));
    expect(volumes.at(-1)?.type).toBe(EventType.BOOKMARK);
    expect(volumes.filter((e) => e.type === EventType.ADDED).map((e) => e.volume?.id)).toContain(volume.id);

    const images = await initialList((signal) => server.client(ImageService).watchImages({}, { signal }));
    // The image watch covers the images the project owns (core's imageWatch).
    expect(images.filter((e) => e.type === EventType.ADDED).map((e) => e.image?.id)).toContain(image.id);

    const ips = await initialList((signal) =>
      server.client(FloatingIpService).watchFloatingIps({}, { signal }),
    );
    expect(ips.filter((e) => e.type === EventType.ADDED).map((e) => e.floatingIp?.id)).toContain(ip.id);

    const ports = await initialList((signal) => server.client(PortService).watchPorts({}, { signal }));
    expect(ports.at(-1)?.type).toBe(EventType.BOOKMARK);
  });
});
