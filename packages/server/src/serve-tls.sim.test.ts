import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlavorService } from "./gen/oaktree/v1/flavor_pb.js";
import { handlersOf } from "./handlers/index.js";
import { createLogger } from "./logging.js";
import { grpcClient, unaryCall } from "./testing/grpc-client.js";
import { type SimServe, startSimServe } from "./testing/sim-serve.js";

const dir = mkdtempSync(join(tmpdir(), "oaktree-tls-"));

/** A self-signed certificate for localhost and 127.0.0.1, made with the openssl CLI. */
function selfSigned(name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}-key.pem`);
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1"].concat([
      "-subj",
      `/CN=${name}`,
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
    ]),
    { stdio: "ignore", timeout: 30_000 },
  );
  return { cert, key };
}

const handlers = () => [
  handlersOf(FlavorService, {
    listFlavors: () => ({ flavors: [{ name: "over-tls" }] }),
  }),
];

const server = selfSigned("localhost");
const client = selfSigned("client");
const silent = createLogger("silent");
const servers: SimServe[] = [];
let tls: SimServe;
let mtls: SimServe;

beforeAll(async () => {
  tls = await startSimServe({
    handlers,
    logger: silent,
    file: { tls: { cert: server.cert, key: server.key } },
  });
  servers.push(tls);
  mtls = await startSimServe({
    handlers,
    logger: silent,
    file: { tls: { cert: server.cert, key: server.key, client_ca: client.cert } },
  });
  servers.push(mtls);
});

afterAll(async () => {
  for (const running of servers) await running.close();
  rmSync(dir, { recursive: true, force: true });
});

const ca = () => readFileSync(server.cert);

describe("TLS", () => {
  it("serves gRPC over TLS to a client trusting the certificate, and not in plaintext", async () => {
    const secure = grpcClient(tls.server.grpcAddress, FlavorService, grpc.credentials.createSsl(ca()));
    expect(await unaryCall(secure, "ListFlavors", {})).toMatchObject({
      response: { flavors: [{ name: "over-tls" }] },
    });
    secure.close();
    const plain = grpcClient(tls.server.grpcAddress, FlavorService);
    expect((await unaryCall(plain, "ListFlavors", {}, { deadlineMs: 3000 })).error?.code).toBe(
      grpc.status.UNAVAILABLE,
    );
    plain.close();
  });

  it("serves the HTTP listener over HTTPS", async () => {
    expect(tls.server.httpUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request(`${tls.server.httpUrl}/healthz`, { ca: ca() }, (response) => {
        response.resume();
        resolve(response.statusCode);
      })
        .on("error", reject)
        .end();
    });
    expect(status).toBe(200);
  });

  it("serves gRPC on the HTTP listener too once TLS gives it HTTP/2", async () => {
    const address = new URL(tls.server.httpUrl as string).host;
    const overHttp = grpcClient(address, FlavorService, grpc.credentials.createSsl(ca()));
    expect(await unaryCall(overHttp, "ListFlavors", {})).toMatchObject({
      response: { flavors: [{ name: "over-tls" }] },
    });
    overHttp.close();
  });

  it("with client_ca (mTLS) accepts a client certificate from that CA and refuses a client without one", async () => {
    const withCert = grpcClient(
      mtls.server.grpcAddress,
      FlavorService,
      grpc.credentials.createSsl(ca(), readFileSync(client.key), readFileSync(client.cert)),
    );
    expect(await unaryCall(withCert, "ListFlavors", {})).toMatchObject({
      response: { flavors: [{ name: "over-tls" }] },
    });
    withCert.close();
    const without = grpcClient(mtls.server.grpcAddress, FlavorService, grpc.credentials.createSsl(ca()));
    expect((await unaryCall(without, "ListFlavors", {}, { deadlineMs: 3000 })).error?.code).toBe(
      grpc.status.UNAVAILABLE,
    );
    without.close();
  });
});
