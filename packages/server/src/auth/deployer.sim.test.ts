import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { DescService } from "@bufbuild/protobuf";
import { type CallOptions, type Client, Code, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import * as grpcJs from "@grpc/grpc-js";
import { createTransport, type Handler, listCloudConfigsFromDisk } from "@oaktree/core";
import { type Simulator, startSimulator } from "@oaktree/sim";
import { service as healthService } from "grpc-health-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveServerSettings } from "../config.js";
import { CloudService } from "../gen/oaktree/v1/cloud_pb.js";
import { EventType } from "../gen/oaktree/v1/common_pb.js";
import { KeypairService } from "../gen/oaktree/v1/keypair_pb.js";
import { NetworkService } from "../gen/oaktree/v1/network_pb.js";
import { SecurityGroupService } from "../gen/oaktree/v1/security_group_pb.js";
import { ServerService, type WatchServersResponse } from "../gen/oaktree/v1/server_pb.js";
import { createLogger } from "../logging.js";
import { type RunningServer, serve } from "../serve.js";
import { failure } from "../testing/calls.js";
import { unaryCall } from "../testing/grpc-client.js";

/**
 * Deployer mode end to end on the simulator: a real serve() whose clouds.yaml has no
 * credentials, two projects with look-alike objects, callers bringing their own tokens and an
 * application credential. Every log line of the run is kept and searched for secrets.
 */

const POLL_MS = 50;
const logLines: string[] = [];
const logStream = new Writable({
  write(chunk, _encoding, callback) {
    logLines.push(...String(chunk).split("\n").filter(Boolean));
    callback();
  },
});
/** Every token and secret used in the run: none may appear in a log line. */
const secrets: string[] = [];

let sim: Simulator;
let server: RunningServer;
let dir: string;
const A = "iso-0001";
const B = "iso-0002";
const C = "iso-0003";

/** A project-scoped token of `user` from the simulator's keystone, as a caller would get it. */
async function tokenOf(user: string, project = user): Promise<{ token: string; userId: string }> {
  const response = await fetch(`${sim.url}/identity/v3/auth/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: user, domain: { name: "Default" }, password: "secret" } },
        },
        scope: { project: { name: project, domain: { name: "Default" } } },
      },
    }),
  });
  expect(response.status).toBe(201);
  const token = response.headers.get("x-subject-token") as string;
  const body = (await response.json()) as { token: { user: { id: string } } };
  secrets.push(token);
  return { token, userId: body.token.user.id };
}

/** Every request oaktree sent to the cloud (keystone's too), with the request id it carried. */
const sent: { call: string; requestId: string | null }[] = [];
const transport = createTransport();
const recording: Handler = (request) => {
  sent.push({
    call: `${request.method} ${new URL(request.url).pathname}`,
    requestId: request.headers.get("x-openstack-request-id"),
  });
  return transport.handle(request);
};

const grpc = () => createGrpcTransport({ baseUrl: `http://${server.grpcAddress}` });
function client<S extends DescService>(service: S): Client<S> {
  return createClient(service, grpc());
}
const as = (token: string): CallOptions => ({ headers: { "x-auth-token": token } });

/** A call's options with its own request id, and the cloud requests made on its behalf. */
function traced(options: CallOptions): { options: CallOptions; cloudCalls: () => string[] } {
  const requestId = `req-${randomUUID()}`;
  return {
    options: {
      ...options,
      headers: { ...(options.headers as Record<string, string>), "x-request-id": requestId },
    },
    cloudCalls: () => sent.filter((entry) => entry.requestId === requestId).map((entry) => entry.call),
  };
}

/** Reads a watch stream until `stop` says so (bounded by the test's timeout). */
async function readWatch(
  stream: AsyncIterable<WatchServersResponse>,
  stop: (seen: WatchServersResponse[]) => boolean,
): Promise<WatchServersResponse[]> {
  const seen: WatchServersResponse[] = [];
  for await (const event of stream) {
    seen.push(event);
    if (stop(seen)) break;
  }
  return seen;
}

let tokenA: string;
let tokenB: string;
let userA: string;

beforeAll(async () => {
  sim = await startSimulator({ seed: { projects: 3, projectPrefix: "iso", serversPerProject: 2 } });
  dir = mkdtempSync(join(tmpdir(), "oaktree-deployer-"));
  // The deployer's clouds.yaml: where keystone is, nothing of anyone's.
  const path = join(dir, "clouds.yaml");
  writeFileSync(
    path,
    [
      "clouds:",
      "  sim:",
      "    auth:",
      `      auth_url: ${sim.url}/identity`,
      "    region_name: RegionOne",
      "    interface: public",
    ].join("\n"),
  );
  const configs = await listCloudConfigsFromDisk({
    env: { OS_CLIENT_CONFIG_FILE: path },
    cwd: dir,
    home: dir,
    withoutCredentials: true,
  });
  const settings = resolveServerSettings(
    { auth: { mode: "deployer", validation_ttl_seconds: 1 } },
    { listen: "127.0.0.1:0", httpListen: "127.0.0.1:0", logLevel: "debug" },
  );
  server = await serve({
    settings,
    configs,
    defaultCloud: "sim",
    cloudOptions: { pollIntervalMs: POLL_MS },
    logger: createLogger("debug", logStream),
    connect: { transport: recording },
  });
  ({ token: tokenA, userId: userA } = await tokenOf(A));
  ({ token: tokenB } = await tokenOf(B));
  // Look-alike objects in both projects, made through oaktree with each project's token.
  for (const token of [tokenA, tokenB]) {
    await client(NetworkService).createNetwork({ name: "same-net" }, as(token));
    await client(SecurityGroupService).createSecurityGroup({ name: "same-sg" }, as(token));
  }
  await client(KeypairService).createKeypair({ name: "key-a" }, as(tokenA));
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await sim?.stop();
  await transport.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("deployer mode: credentials", () => {
  it("refuses a call without credentials with UNAUTHENTICATED before any cloud call", async () => {
    const before = sim.admin.log().length;
    const error = await failure(() => client(ServerService).listServers({}));
    expect(error.code).toBe(Code.Unauthenticated);
    expect(error.rawMessage).toMatch(/x-auth-token/);
    // Not even keystone was asked (background polls of other tests aside: none run yet).
    expect(sim.admin.log().slice(before)).toEqual([]);
  });

  it("refuses half an application credential, naming the missing header", async () => {
    const error = await failure(() =>
      client(ServerService).listServers({}, { headers: { "x-application-credential-id": "abc" } }),
    );
    expect(error.code).toBe(Code.Unauthenticated);
    expect(error.rawMessage).toMatch(/x-application-credential-secret is missing/);
  });

  it("refuses a forged token with UNAUTHENTICATED; keystone's validation is the only cloud call", async () => {
    const forged = "gAAAAABforged-token-never-issued";
    secrets.push(forged);
    const call = traced(as(forged));
    const error = await failure(() => client(ServerService).listServers({}, call.options));
    expect(error.code).toBe(Code.Unauthenticated);
    expect(error.rawMessage).not.toContain(forged);
    expect(call.cloudCalls()).toEqual(["GET /identity/v3/auth/tokens"]);
  });

  it("guards the HTTP (Connect JSON) listener the same way", async () => {
    const http = createConnectTransport({ baseUrl: server.httpUrl as string, httpVersion: "1.1" });
    const flavors = createClient(ServerService, http);
    expect((await failure(() => flavors.listServers({}))).code).toBe(Code.Unauthenticated);
    const { servers } = await flavors.listServers({}, as(tokenA));
    expect(servers.length).toBeGreaterThan(0);
  });

  it("keystone unreachable: UNAVAILABLE (retry later), not UNAUTHENTICATED", async () => {
    const path = join(dir, "down.yaml");
    // Port 1 on loopback: nothing listens, connections are refused at once.
    writeFileSync(path, "clouds:\n  down:\n    auth:\n      auth_url: http://127.0.0.1:1/identity\n");
    const configs = await listCloudConfigsFromDisk({
      env: { OS_CLIENT_CONFIG_FILE: path },
      cwd: dir,
      home: dir,
      withoutCredentials: true,
    });
    const down = await serve({
      settings: resolveServerSettings({ auth: "deployer" }, { listen: "127.0.0.1:0", httpListen: "off" }),
      configs,
      logger: createLogger("debug", logStream),
    });
    try {
      const servers = createClient(
        ServerService,
        createGrpcTransport({ baseUrl: `http://${down.grpcAddress}` }),
      );
      const error = await failure(() => servers.listServers({}, as(tokenA)));
      expect(error.code).toBe(Code.Unavailable);
      expect(error.rawMessage).toMatch(/keystone of cloud "down" is unreachable/);
    } finally {
      await down.stop();
    }
  }, 30_000);

  it("leaves health checks, /healthz and /metrics open", async () => {
    const Health = grpcJs.makeGenericClientConstructor(healthService, "Health");
    const health = new Health(server.grpcAddress, grpcJs.credentials.createInsecure());
    try {
      expect(await unaryCall(health, "check", { service: "" })).toMatchObject({
        response: { status: "SERVING" },
      });
    } finally {
      health.close();
    }
    for (const path of ["/healthz", "/metrics"]) {
      expect((await fetch(`${server.httpUrl}${path}`)).status).toBe(200);
    }
  });

  it("validates a token once per TTL, concurrent calls sharing one validation", async () => {
    const { token } = await tokenOf(A);
    const calls = Array.from({ length: 6 }, () => traced(as(token)));
    await Promise.all(calls.slice(0, 5).map((call) => client(CloudService).listClouds({}, call.options)));
    await client(CloudService).listClouds({}, calls[5]?.options);
    expect(calls.flatMap((call) => call.cloudCalls())).toEqual(["GET /identity/v3/auth/tokens"]);
  });

  it("honours a revocation at the next validation (TTL 1 s)", async () => {
    const { token } = await tokenOf(A);
    await client(CloudService).listClouds({}, as(token));
    // DELETE /v3/auth/tokens: the user revokes their own token.
    const revoked = await fetch(`${sim.url}/identity/v3/auth/tokens`, {
      method: "DELETE",
      headers: { "x-auth-token": token, "x-subject-token": token },
    });
    expect(revoked.status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const call = traced(as(token));
    const error = await failure(() => client(CloudService).listClouds({}, call.options));
    expect(error.code).toBe(Code.Unauthenticated);
    expect(call.cloudCalls()).toEqual(["GET /identity/v3/auth/tokens"]);
  });

  it("refuses an expired token", async () => {
    const { token } = await tokenOf(B);
    await client(CloudService).listClouds({}, as(token));
    // Every token the simulator issued expires now: get fresh ones for the other tests after.
    sim.admin.expireTokens(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const error = await failure(() => client(CloudService).listClouds({}, as(token)));
    expect(error.code).toBe(Code.Unauthenticated);
    ({ token: tokenA, userId: userA } = await tokenOf(A));
    ({ token: tokenB } = await tokenOf(B));
  });

  it("accepts an application credential and refuses a wrong secret", async () => {
    const made = await fetch(`${sim.url}/identity/v3/users/${userA}/application_credentials`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-auth-token": tokenA },
      body: JSON.stringify({ application_credential: { name: "deployer-test" } }),
    });
    expect(made.status).toBe(201);
    const { application_credential: credential } = (await made.json()) as {
      application_credential: { id: string; secret: string };
    };
    secrets.push(credential.secret);
    const headers = {
      "x-application-credential-id": credential.id,
      "x-application-credential-secret": credential.secret,
    };
    const { networks } = await client(NetworkService).listNetworks({}, { headers });
    expect(networks.some((network) => network.name === "same-net")).toBe(true);
    expect(new Set(networks.map((network) => network.location?.project?.name))).not.toContain(B);
    const wrong = `${credential.secret}-not`;
    secrets.push(wrong);
    const error = await failure(() =>
      client(NetworkService).listNetworks(
        {},
        { headers: { ...headers, "x-application-credential-secret": wrong } },
      ),
    );
    expect(error.code).toBe(Code.Unauthenticated);
  });
});

describe("deployer mode: isolation of two projects", () => {
  it("20 callers of one project share one poller (and one Cloud)", async () => {
    // Project C: no other test watches it. This test runs before any watch of A or B exists,
    // so every listing the simulator sees is C's.
    const callers = await Promise.all(Array.from({ length: 20 }, () => tokenOf(C)));
    const projectsBefore = server.clouds.projectCount();
    const aborts = callers.map(() => new AbortController());
    const streams = callers.map(({ token }, i) =>
      client(ServerService).watchServers({}, { ...as(token), signal: aborts[i]?.signal }),
    );
    const reading = streams.map((stream) => readWatch(stream, () => false).catch(() => []));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = sim.admin.count("compute", "GET /servers/detail");
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const polls = sim.admin.count("compute", "GET /servers/detail") - before;
    const elapsed = Date.now() - started;
    for (const abort of aborts) abort.abort();
    await Promise.all(reading);
    // One poller: at most one listing per interval (plus slack); 20 pollers would make ~20x.
    expect(polls).toBeGreaterThan(0);
    expect(polls).toBeLessThanOrEqual(Math.ceil(elapsed / POLL_MS) + 3);
    expect(server.clouds.projectCount()).toBe(projectsBefore + 1);
  });

  it("lists, gets by name and filters only the caller's project", async () => {
    for (const [token, mine, theirs] of [
      [tokenA, A, B],
      [tokenB, B, A],
    ] as const) {
      const { servers } = await client(ServerService).listServers({}, as(token));
      expect(servers.length).toBe(2);
      expect(servers.every((s) => s.location?.project?.name === mine)).toBe(true);
      expect(servers.every((s) => s.name.startsWith(mine))).toBe(true);

      const { networks } = await client(NetworkService).listNetworks(
        { filter: { jmespath: "[?name=='same-net']" } },
        as(token),
      );
      expect(networks).toHaveLength(1);
      expect(networks[0]?.location?.project?.name).toBe(mine);
      const byName = await client(NetworkService).getNetwork({ nameOrId: "same-net" }, as(token));
      expect(byName.network?.id).toBe(networks[0]?.id);

      const groups = await client(SecurityGroupService).listSecurityGroups(
        { filter: { fields: { name: "same-sg" } } },
        as(token),
      );
      expect(groups.securityGroups).toHaveLength(1);
      expect(groups.securityGroups[0]?.location?.project?.name).toBe(mine);

      // Nothing of the other project, whatever the filter.
      const everything = await client(ServerService).listServers(
        { filter: { jmespath: `[?location.project.name=='${theirs}']` } },
        as(token),
      );
      expect(everything.servers).toEqual([]);
    }
    const keysOfB = await client(KeypairService).listKeypairs({}, as(tokenB));
    expect(keysOfB.keypairs.map((k) => k.name)).not.toContain("key-a");
  });

  it("does not find the other project's objects by id or name", async () => {
    const { servers: ofB } = await client(ServerService).listServers({}, as(tokenB));
    const other = ofB[0];
    for (const nameOrId of [other?.id ?? "", other?.name ?? ""]) {
      const error = await failure(() => client(ServerService).getServer({ nameOrId }, as(tokenA)));
      expect(error.code).toBe(Code.NotFound);
    }
  });

  it("refuses a location in another project with PERMISSION_DENIED, by name or id", async () => {
    const { servers: ofB } = await client(ServerService).listServers({}, as(tokenB));
    const idOfB = ofB[0]?.location?.project?.id as string;
    for (const project of [{ name: B }, { id: idOfB }]) {
      const call = traced(as(tokenA));
      const error = await failure(() =>
        client(ServerService).listServers({ location: { project } }, call.options),
      );
      expect(error.code).toBe(Code.PermissionDenied);
      expect(call.cloudCalls().filter((name) => !name.includes("/identity/"))).toEqual([]);
    }
    // Its own project named explicitly is fine.
    const own = await client(ServerService).listServers({ location: { project: { name: A } } }, as(tokenA));
    expect(own.servers.length).toBe(2);
  });

  it("streams each project's own servers; a resume token of one project does not resume in the other", async () => {
    const abort = new AbortController();
    const watchA = client(ServerService).watchServers({}, { ...as(tokenA), signal: abort.signal });
    const opening = await readWatch(watchA, (seen) => seen.some((e) => e.type === EventType.BOOKMARK));
    const initial = opening.filter((e) => e.initial);
    expect(initial).toHaveLength(2);
    expect(initial.every((e) => e.server?.location?.project?.name === A)).toBe(true);
    const bookmark = opening.at(-1)?.resumeToken as string;
    abort.abort();

    const error = await failure(() =>
      readWatch(client(ServerService).watchServers({ resumeToken: bookmark }, as(tokenB)), () => true),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage).toMatch(/resume_token/);

    // A server appearing in B reaches B's stream and never A's.
    const streamsDone = new AbortController();
    const eventsA: WatchServersResponse[] = [];
    const readingA = (async () => {
      try {
        for await (const event of client(ServerService).watchServers(
          { resumeToken: bookmark },
          { ...as(tokenA), signal: streamsDone.signal },
        )) {
          eventsA.push(event);
        }
      } catch {
        // ended by the abort below
      }
    })();
    const watchB = client(ServerService).watchServers({}, { ...as(tokenB), signal: streamsDone.signal });
    const seenB = readWatch(watchB, (seen) =>
      seen.some((e) => e.type === EventType.ADDED && !e.initial && e.server?.name.startsWith("late")),
    );
    await new Promise((resolve) => setTimeout(resolve, 4 * POLL_MS));
    sim.admin.seed({ servers: [{ project: B, count: 1, namePrefix: "late" }] });
    const eventsB = await seenB;
    expect(eventsB.at(-1)?.server?.location?.project?.name).toBe(B);
    // A's stream had several polls' time to show it (it must not).
    await new Promise((resolve) => setTimeout(resolve, 6 * POLL_MS));
    streamsDone.abort();
    await readingA;
    expect(eventsA.some((e) => e.server?.name.startsWith("late"))).toBe(false);
    expect(eventsA.every((e) => !e.server || e.server.location?.project?.name === A)).toBe(true);
  });
});

describe("deployer mode: logs", () => {
  it("no log line of the whole run holds a token or a secret", () => {
    expect(logLines.length).toBeGreaterThan(20);
    expect(secrets.length).toBeGreaterThan(5);
    for (const secret of secrets) {
      const leaking = logLines.filter((line) => line.includes(secret));
      expect(leaking, `a log line holds a secret: ${leaking[0]?.slice(0, 200)}`).toEqual([]);
    }
  });
});
