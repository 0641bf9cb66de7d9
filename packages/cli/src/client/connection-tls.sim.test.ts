import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { listCloudConfigsFromDisk } from "@oaktree/core";
import { type RunningServer, resolveServerSettings, serve } from "@oaktree/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliSim, startCliSim } from "./testing/cli-sim.js";

let cli: CliSim;
const servers: RunningServer[] = [];
let tls: RunningServer;
let mtls: RunningServer;
let serverPem: { cert: string; key: string };
let clientPem: { cert: string; key: string };

/** A self-signed certificate for localhost and 127.0.0.1 (the openssl CLI), in the test's dir. */
function selfSigned(name: string): { cert: string; key: string } {
  const cert = join(cli.dir, `${name}.pem`);
  const key = join(cli.dir, `${name}-key.pem`);
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "1",
      "-subj",
      `/CN=${name}`,
    ].concat(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]),
    { stdio: "ignore", timeout: 30_000 },
  );
  return { cert, key };
}

beforeAll(async () => {
  cli = await startCliSim("modern");
  serverPem = selfSigned("server");
  clientPem = selfSigned("client");
  const configs = await listCloudConfigsFromDisk({
    env: { OS_CLIENT_CONFIG_FILE: cli.cloudsFile },
    cwd: cli.dir,
    home: cli.dir,
  });
  const start = async (clientCa?: string) => {
    const file = {
      tls: { cert: serverPem.cert, key: serverPem.key, ...(clientCa && { client_ca: clientCa }) },
    };
    const settings = resolveServerSettings(file, {
      listen: "127.0.0.1:0",
      httpListen: "off",
      logLevel: "silent",
    });
    const running = await serve({ settings, configs, defaultCloud: "sim" });
    servers.push(running);
    return running;
  };
  tls = await start();
  mtls = await start(clientPem.cert);
});
afterAll(async () => {
  for (const running of servers) await running.stop();
  await cli?.close();
});

describe("--server with TLS", () => {
  it("--ca: trusts the server's certificate; a plaintext client gets no answer", async () => {
    const secure = await cli.run(
      "flavor",
      "show",
      "m1.tiny",
      "--server",
      tls.grpcAddress,
      "--ca",
      serverPem.cert,
      "-f",
      "value",
      "-c",
      "name",
    );
    expect(secure.err).toBe("");
    expect(secure.out).toBe("m1.tiny\n");
    const plain = await cli.run("flavor", "show", "m1.tiny", "--server", tls.grpcAddress);
    expect(plain.code).not.toBe(0);
  });

  it("--tls alone does not trust a self-signed certificate: UNAVAILABLE, exit 5", async () => {
    const { code, err } = await cli.run("limits", "--server", tls.grpcAddress, "--tls");
    expect(err).toBe(
      "error: UNAVAILABLE: TLS with the server failed: self-signed certificate (its CA: --ca FILE; mutual TLS: --cert/--key)\n",
    );
    expect(code).toBe(5);
  });

  it("mutual TLS: --cert/--key are presented; without them the server refuses", async () => {
    const args = [
      "flavor",
      "show",
      "m1.tiny",
      "--server",
      mtls.grpcAddress,
      "--ca",
      serverPem.cert,
      "-f",
      "value",
      "-c",
      "name",
    ];
    const withCert = await cli.run(...args, "--cert", clientPem.cert, "--key", clientPem.key);
    expect(withCert.out).toBe("m1.tiny\n");
    const without = await cli.run(...args);
    expect(without.code).not.toBe(0);
    expect(without.err).toMatch(
      /^error: UNAVAILABLE: TLS with the server failed: .*certificate required .*\)\n$/,
    );
    expect(without.code).toBe(5);
  });

  it("--cert without --key is a usage error (exit 2)", async () => {
    const { code, err } = await cli.run("limits", "--server", mtls.grpcAddress, "--cert", clientPem.cert);
    expect(err).toBe("error: --cert and --key go together (the client certificate and its key)\n");
    expect(code).toBe(2);
  });
});
