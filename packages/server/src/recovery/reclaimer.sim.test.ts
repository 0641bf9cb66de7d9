import { create } from "@bufbuild/protobuf";
import { ClientTokenLease } from "@oaktree/core/cloud/client-token.js";
import { afterEach, describe, expect, it } from "vitest";
import { parseServerConfig, resolveServerSettings } from "../config.js";
import { LocationSchema } from "../gen/oaktree/v1/location_pb.js";
import { type SimServe, startSimServe } from "../testing/sim-serve.js";
import { DEFAULT_RECOVERY } from "./reclaimer.js";

const boot = { image: "cirros-0.6.2-x86_64-disk", flavor: "m1.tiny", timeoutMs: 30_000 };

describe("the recovery: key", () => {
  it("reads grace_seconds and interval_seconds; absent, the defaults apply", () => {
    const file = parseServerConfig("recovery: { grace_seconds: 30, interval_seconds: 5 }", "server.yaml");
    expect(resolveServerSettings(file).recovery).toEqual({ graceMs: 30_000, intervalMs: 5000 });
    expect(resolveServerSettings(parseServerConfig("recovery: {}")).recovery).toEqual(DEFAULT_RECOVERY);
    expect(resolveServerSettings({}).recovery).toBeUndefined();
  });

  it("names the field of a bad value", () => {
    expect(() => parseServerConfig("recovery: { grace_seconds: -1 }", "server.yaml")).toThrow(
      /^server\.yaml: recovery\.grace_seconds: /,
    );
    expect(() => parseServerConfig('recovery: { interval_seconds: "soon" }', "server.yaml")).toThrow(
      /^server\.yaml: recovery\.interval_seconds: /,
    );
    expect(() => parseServerConfig("recovery: { grace: 1 }", "server.yaml")).toThrow(
      "server.yaml: recovery.grace: unknown key",
    );
  });
});

describe("the server's reclaimer", () => {
  let running: SimServe | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it("deletes an abandoned create's server, keeps a delivered one, and says so in /metrics", async () => {
    running = await startSimServe({ file: { recovery: { grace_seconds: 0, interval_seconds: 0 } } });
    const { server } = running;
    const cloud = await server.clouds.resolve(create(LocationSchema, { cloud: "sim" }));
    const kept = await cloud.createServer({ ...boot, name: "kept", clientToken: "tok-kept" });
    const lost = await cloud.createServer({ ...boot, name: "lost", clientToken: "tok-lost" });
    // As a process that died before answering leaves it: the record still pending.
    const lease = await ClientTokenLease.tryAcquire(cloud.context, "tok-lost");
    await lease!.recordPending("lost");
    await lease!.recordCreated({ serverId: lost.server.id });
    await lease!.release();
    await new Promise((resolve) => setTimeout(resolve, 5));

    await server.reclaimer.runOnce();

    const names = (await cloud.listServers()).map((one) => one.name);
    expect(names).toEqual(["kept"]);
    expect((await cloud.listFloatingIps()).map((ip) => ip.id)).toEqual([kept.floatingIp?.id]);
    const metrics = await server.metrics.registry.metrics();
    expect(metrics).toMatch(/^oaktree_reclaimed_creates_total\{cloud="sim",region="[^"]*"\} 1$/m);
    expect(metrics).toMatch(/^oaktree_unvouched_objects\{cloud="sim",region="[^"]*",kind="servers"\} 0$/m);
  }, 60_000);
});
