import { listCloudConfigsFromDisk } from "@oaktree/core";
import { type RunningServer, resolveServerSettings, serve } from "@oaktree/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliSim, startCliSim } from "./testing/cli-sim.js";

let cli: CliSim;
let server: RunningServer;
beforeAll(async () => {
  cli = await startCliSim("kilo");
  const configs = await listCloudConfigsFromDisk({
    env: { OS_CLIENT_CONFIG_FILE: cli.cloudsFile },
    cwd: cli.dir,
    home: cli.dir,
  });
  const settings = resolveServerSettings(
    {},
    { listen: "127.0.0.1:0", httpListen: "off", logLevel: "silent" },
  );
  server = await serve({ settings, configs, defaultCloud: "sim", cloudOptions: { pollIntervalMs: 50 } });
});
afterAll(async () => {
  await server?.stop();
  await cli?.close();
});

describe("--server HOST:PORT: the CLI is a gRPC client of a running oaktree", () => {
  it("flavor list over HTTP/2 gRPC: the answer comes from the server (its request counter moves)", async () => {
    const { code, out, err } = await cli.run("flavor", "list", "--server", server.grpcAddress, "-f", "json");
    expect(err).toBe("");
    expect(code).toBe(0);
    expect((JSON.parse(out) as { name: string }[]).map((f) => f.name)).toContain("m1.tiny");
    const served = await server.metrics.registry.getSingleMetricAsString("oaktree_rpc_requests_total");
    expect(served).toMatch(/listener="grpc".*method="ListFlavors"|method="ListFlavors".*listener="grpc"/);
  });

  it("OAKTREE_SERVER works as --server does (no clouds.yaml needed), errors keep their status (NOT_FOUND, exit 3)", async () => {
    process.env.OAKTREE_SERVER = server.grpcAddress;
    process.env.OS_CLIENT_CONFIG_FILE = "/nonexistent/clouds.yaml";
    try {
      const { code, err } = await cli.run("server", "show", "ghost");
      expect(err).toMatch(/^error: NOT_FOUND: .*ghost.*\(.*oaktree request id [\w-]+\)\n$/);
      expect(code).toBe(3);
    } finally {
      process.env.OAKTREE_SERVER = "";
      process.env.OS_CLIENT_CONFIG_FILE = cli.cloudsFile;
    }
  });

  it("a server that is not there: UNAVAILABLE, exit 5", async () => {
    const { code, err } = await cli.run("limits", "--server", "127.0.0.1:1");
    expect(err).toMatch(/^error: UNAVAILABLE: /);
    expect(code).toBe(5);
  });

  it("a non-loopback --server without --tls is refused before connecting (exit 2)", async () => {
    const { code, err } = await cli.run("limits", "--server", "192.0.2.1:50051");
    expect(err).toMatch(
      /^error: --server 192\.0\.2\.1:50051: not a loopback address, so the connection must be TLS/,
    );
    expect(code).toBe(2);
  });
});
