import { create } from "@bufbuild/protobuf";
import type { WatchEvent } from "@oaktree/core";
import { describe, expect, it } from "vitest";
import { EventType } from "../gen/oaktree/v1/common_pb.js";
import { type Server, ServerSchema } from "../gen/oaktree/v1/server_pb.js";
import { type HubSource, WatchHub, WatchHubs } from "./watch-hub.js";

interface Item {
  readonly id: string;
  readonly status: string;
  /** Not shown in the proto: a change of it alone is no change. */
  readonly internal?: number;
}

/** A core watch stand-in: the test decides when the first listing is done and what changes. */
function fakeSource(initial: Item[]) {
  let listener: ((events: readonly WatchEvent<Item>[]) => void) | undefined;
  let synced!: () => void;
  const items = new Map(initial.map((item) => [item.id, item]));
  let subscriptions = 0;
  const source: HubSource<Item> = {
    subscribe(l) {
      subscriptions += 1;
      listener = l;
      return () => {
        listener = undefined;
      };
    },
    items: () => [...items.values()],
    sync: () => new Promise<void>((resolve) => (synced = resolve)),
  };
  return {
    source,
    sync: () => synced(),
    get subscriptions() {
      return subscriptions;
    },
    get subscribed() {
      return listener !== undefined;
    },
    emit(type: WatchEvent<Item>["type"], item: Item) {
      if (type === "DELETED") items.delete(item.id);
      else items.set(item.id, item);
      listener?.([{ type, id: item.id, object: item }]);
    },
  };
}

const toProto = (item: Item): Server => create(ServerSchema, { id: item.id, status: item.status });

function hubOn(fake: ReturnType<typeof fakeSource>, capacity = 1000) {
  return new WatchHub("k", ServerSchema, fake.source, (item: Item) => item.id, toProto, { capacity });
}

describe("WatchHub", () => {
  it("starts from the view of its first listing and numbers only later changes", async () => {
    const fake = fakeSource([{ id: "a", status: "ACTIVE" }]);
    const hub = hubOn(fake);
    fake.emit("ADDED", { id: "b", status: "BUILD" });
    fake.sync();
    await hub.ready;
    const { start } = hub.open(undefined);
    expect(start.kind).toBe("initial");
    expect(start.kind === "initial" && start.objects.map((o) => o.id).sort()).toEqual(["a", "b"]);
    expect(hub.lastSeq).toBe(0);
  });

  it("drops changes the proto does not show and deletions of objects it never knew", async () => {
    const fake = fakeSource([{ id: "a", status: "ACTIVE" }]);
    const hub = hubOn(fake);
    fake.sync();
    await hub.ready;
    const { subscription } = hub.open(undefined);
    fake.emit("MODIFIED", { id: "a", status: "ACTIVE", internal: 1 });
    fake.emit("DELETED", { id: "ghost", status: "DELETED" });
    fake.emit("MODIFIED", { id: "a", status: "SHUTOFF" });
    const events = await subscription.next(new AbortController().signal);
    expect(events.map((e) => [e.seq, EventType[e.type], e.object.status, e.previous?.status])).toEqual([
      [1, "MODIFIED", "SHUTOFF", "ACTIVE"],
    ]);
  });

  it("replays from a sequence it holds, and starts fresh from one it dropped or another hub's", async () => {
    const fake = fakeSource([]);
    const hub = hubOn(fake, 2);
    fake.sync();
    await hub.ready;
    for (const id of ["a", "b", "c"]) fake.emit("ADDED", { id, status: "BUILD" });
    const point = { epoch: hub.epoch, kind: "servers", scope: "s" };
    const replay = hub.open({ ...point, seq: 1 }).start;
    expect(replay.kind === "replay" && replay.events.map((e) => e.object.id)).toEqual(["b", "c"]);
    expect(hub.open({ ...point, seq: 0 }).start.kind).toBe("initial");
    expect(hub.open({ ...point, seq: 3 }).start).toMatchObject({ kind: "replay", events: [] });
    expect(hub.open({ ...point, seq: 4 }).start.kind).toBe("initial");
    expect(hub.open({ ...point, epoch: "other", seq: 2 }).start.kind).toBe("initial");
  });

  it("a stream too far behind is told so instead of holding memory without bound", async () => {
    const fake = fakeSource([]);
    const hub = new WatchHub("k", ServerSchema, fake.source, (item: Item) => item.id, toProto, {
      maxQueued: 2,
    });
    fake.sync();
    await hub.ready;
    const { subscription } = hub.open(undefined);
    for (const id of ["a", "b", "c"]) fake.emit("ADDED", { id, status: "BUILD" });
    expect(subscription.overflowed).toBe(true);
  });
});

describe("WatchHubs", () => {
  it("shares one hub per key, keeps it while held, closes it after lingering", async () => {
    const fake = fakeSource([]);
    const hubs = new WatchHubs({ lingerMs: 20 });
    const make = () => hubOn(fake);
    const first = hubs.acquire("k", make);
    const second = hubs.acquire("k", make);
    expect(second).toBe(first);
    expect(fake.subscriptions).toBe(1);
    hubs.release("k", first as never);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hubs.size).toBe(1);
    hubs.release("k", first as never);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hubs.size).toBe(0);
    expect(fake.subscribed).toBe(false);
  });
});
