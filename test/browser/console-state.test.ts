import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { parsePrometheusText, ratesOf, sampleOf } from "../../packages/server/console/src/metrics.js";
import {
  applyServerEvent,
  EMPTY_LIST,
  filterServers,
} from "../../packages/server/console/src/server-list.js";
import { EventType } from "../../packages/server/src/gen/oaktree/v1/common_pb.js";
import {
  type Server,
  ServerSchema,
  type WatchServersResponse,
  WatchServersResponseSchema,
} from "../../packages/server/src/gen/oaktree/v1/server_pb.js";
import { ServerMetrics } from "../../packages/server/src/metrics.js";

// The console's pure parts: what it reads out of /metrics, and the server table's state.

describe("the console's /metrics reading", () => {
  it("reads oaktree's own exposition: client calls, cloud requests per cloud, open watches, shared watches", async () => {
    const metrics = new ServerMetrics({ processMetrics: false });
    const rpc = { listener: "http", service: "oaktree.v1.ServerService", method: "ListServers", code: "OK" };
    metrics.rpcRequests.inc(rpc, 3);
    metrics.rpcRequests.inc({ ...rpc, listener: "grpc", method: "GetServer" }, 2);
    metrics.cloudRequests.inc({ cloud: "sim", service: "compute", method: "GET", status: "200" }, 4);
    metrics.cloudRequests.inc({ cloud: "other", service: "network", method: "GET", status: "error" }, 1);
    metrics.activeStreams.inc({ service: "oaktree.v1.ServerService", method: "WatchServers" }, 2);
    metrics.activeStreams.inc({ service: "oaktree.v1.ServerService", method: "CreateServer" }, 1);
    const { body } = await metrics.text();
    const sample = sampleOf(body, 1000);
    expect(sample).toMatchObject({
      at: 1000,
      clientRequests: 5,
      cloudRequests: { sim: 4, other: 1 },
      activeWatches: 2,
    });
  });

  it("parses labels with escapes and skips comments, histograms' +Inf are numbers", () => {
    const series = parsePrometheusText(
      '# HELP x y\nx{a="q\\"uote",b="new\\nline"} 1.5\nx_bucket{le="+Inf"} 3\nbroken line\nx NaN\n',
    );
    expect(series).toEqual([
      { name: "x", labels: { a: 'q"uote', b: "new\nline" }, value: 1.5 },
      { name: "x_bucket", labels: { le: "+Inf" }, value: 3 },
    ]);
  });

  it("rates: requests per second between samples, per cloud, a restarted counter counted from zero", () => {
    const sample = (at: number, clients: number, sim: number) =>
      ({ at, clientRequests: clients, cloudRequests: { sim }, activeWatches: 0, sharedWatches: 0 }) as const;
    const rates = ratesOf([sample(0, 0, 0), sample(2000, 100, 2), sample(4000, 300, 4), sample(6000, 10, 5)]);
    expect(rates).toEqual([
      { label: "clients → oaktree", perSecond: [50, 100, 5], total: 10 },
      { label: "oaktree → sim", perSecond: [1, 1, 0.5], total: 5 },
    ]);
  });
});

describe("the server table's state (WatchServers events only)", () => {
  const server = (id: string, name: string, status = "ACTIVE"): Server =>
    create(ServerSchema, { id, name, status, addresses: [{ address: `10.0.0.${id}`, network: "private" }] });
  const event = (type: EventType, value?: Server, initial = false, resumeToken = ""): WatchServersResponse =>
    create(WatchServersResponseSchema, { type, initial, resumeToken, ...(value && { server: value }) });

  it("ADDED and MODIFIED put a row, DELETED removes it, BOOKMARK marks it current and keeps the token", () => {
    let list = EMPTY_LIST;
    list = applyServerEvent(list, event(EventType.ADDED, server("1", "a"), true, "t1"));
    list = applyServerEvent(list, event(EventType.BOOKMARK, undefined, false, "t2"));
    expect(list.synced).toBe(true);
    list = applyServerEvent(list, event(EventType.ADDED, server("2", "b", "BUILD"), false, "t3"));
    list = applyServerEvent(list, event(EventType.MODIFIED, server("2", "b", "ACTIVE"), false, "t4"));
    expect([...list.servers.values()].map((s) => `${s.name}:${s.status}`)).toEqual(["a:ACTIVE", "b:ACTIVE"]);
    list = applyServerEvent(list, event(EventType.DELETED, server("1", "a"), false, "t5"));
    expect([...list.servers.keys()]).toEqual(["2"]);
    expect(list.resumeToken).toBe("t5");
  });

  it("an initial list after a resume replaces what was held", () => {
    let list = EMPTY_LIST;
    list = applyServerEvent(list, event(EventType.ADDED, server("1", "a"), true, "t1"));
    list = applyServerEvent(list, event(EventType.ADDED, server("2", "b"), true, "t2"));
    list = applyServerEvent(list, event(EventType.BOOKMARK, undefined, false, "t3"));
    list = applyServerEvent(list, event(EventType.ADDED, server("3", "c"), true, "t9"));
    list = applyServerEvent(list, event(EventType.BOOKMARK, undefined, false, "t10"));
    expect([...list.servers.keys()]).toEqual(["3"]);
  });

  it("the filter matches name, id, status or an address, case-insensitively, sorted by name", () => {
    const servers = [server("2", "Web-2", "BUILD"), server("1", "web-1"), server("3", "db")];
    expect(filterServers(servers, "WEB").map((s) => s.name)).toEqual(["web-1", "Web-2"]);
    expect(filterServers(servers, "build").map((s) => s.name)).toEqual(["Web-2"]);
    expect(filterServers(servers, "10.0.0.3").map((s) => s.name)).toEqual(["db"]);
    expect(filterServers(servers, "  ")).toHaveLength(3);
  });
});
