import type * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServerService } from "./gen/oaktree/v1/server_pb.js";
import { grpcClient } from "./testing/grpc-client.js";
import { type SimServe, startSimServe } from "./testing/sim-serve.js";

// The real handlers behind serve(): the watch hub gauges count the hubs their Watch* streams use.

let s: SimServe;
let client: grpc.Client;

beforeAll(async () => {
  s = await startSimServe();
  client = grpcClient(s.server.grpcAddress, ServerService);
});

afterAll(async () => {
  client?.close();
  await s?.close();
});

/** The value of an unlabelled metric in /metrics. */
async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${s.server.httpUrl}/metrics`)).text();
  const match = new RegExp(`^${name} (\\d+)$`, "m").exec(text);
  if (!match) throw new Error(`no ${name} in /metrics`);
  return Number(match[1]);
}

describe("/metrics on the real handlers", { timeout: 10_000 }, () => {
  it("counts the watch hub a WatchServers stream opens", async () => {
    expect(await metric("oaktree_watch_hubs")).toBe(0);
    // biome-ignore lint/suspicious/noExplicitAny: grpc-js generic clients are untyped
    const watch = (client as any).WatchServers({});
    watch.on("error", () => {}); // the cancel below ends it with CANCELLED
    await new Promise<void>((resolve) => watch.once("data", () => resolve()));
    expect(await metric("oaktree_watch_hubs")).toBe(1);
    expect(await metric("oaktree_watch_hubs_created_total")).toBe(1);
    watch.cancel();
  });
});
