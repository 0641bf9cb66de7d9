import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, createHandlerContext, type HandlerContext } from "@connectrpc/connect";
import type { ProfileName } from "@oaktree/sim";
import { afterEach, describe, expect, it } from "vitest";
import { BadRequestSchema, ErrorInfoSchema } from "../gen/google/rpc/error_details_pb.js";
import { Stage } from "../gen/oaktree/v1/common_pb.js";
import {
  type CreateServerRequest,
  CreateServerRequestSchema,
  type CreateServerResponse,
  ServerService,
} from "../gen/oaktree/v1/server_pb.js";
import { ServerShutdown } from "../shutdown.js";
import { type SimServer, startSimServer } from "../testing/sim-server.js";
import { CreateOperations } from "./create-operations.js";
import { serverHandlers } from "./server.js";

const IMAGE = "cirros-0.6.2-x86_64-disk";
const FLAVOR = "m1.tiny";

let s: SimServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

type CreateInit = Omit<MessageInitShape<typeof CreateServerRequestSchema>, "$typeName">;

async function collect(
  server: SimServer,
  init: CreateInit,
  options: { signal?: AbortSignal } = {},
): Promise<CreateServerResponse[]> {
  const events: CreateServerResponse[] = [];
  const request = { image: IMAGE, flavor: FLAVOR, ...init };
  for await (const event of server.client(ServerService).createServer(request, options)) events.push(event);
  return events;
}

/** The error a call ends with, as a ConnectError. */
async function failure(call: () => Promise<unknown>): Promise<ConnectError> {
  try {
    await call();
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("the call succeeded");
}

const contextInit = {
  service: ServerService,
  method: ServerService.method.createServer,
  protocolName: "connect",
  requestMethod: "POST",
  url: "/oaktree.v1.ServerService/CreateServer",
};

const computePosts = (server: SimServer) => server.sim.admin.count("compute", "POST /servers");

describe("CreateServer", () => {
  it.each([
    ["modern", "floating"],
    ["kilo", "floating"],
    ["nova-network", "floating"],
    ["rackspace", "public"],
  ] as const)(
    "%s: auto_ip streams to an ACTIVE server with a reachable address (%s)",
    async (profile, kind) => {
      s = await startSimServer(profile as ProfileName, { simulator: { buildDelayMs: 30 } });
      const events = await collect(s, { name: `web-${profile}`, autoIp: true });
      const stages = events.map((event) => event.progress?.stage);
      expect(stages[0]).toBe(Stage.ACCEPTED);
      expect(stages).toContain(Stage.BUILDING);
      expect(stages.at(-1)).toBe(Stage.DONE);
      expect(stages.filter((stage) => stage === Stage.DONE)).toHaveLength(1);
      const done = events.at(-1)!;
      expect(done.server?.status).toBe("ACTIVE");
      expect(done.reachability?.address).toBeTruthy();
      expect(done.reachability?.address).toBe(done.server?.interfaceIp);
      expect(done.server?.publicV4).toBe(done.server?.interfaceIp);
      expect(done.existing).toBe(false);
      if (kind === "floating") {
        expect(stages).toContain(Stage.ATTACHING_IP);
        expect(done.floatingIp).toBe(done.server?.publicV4);
      } else {
        expect(done.floatingIp).toBe("");
      }
      // Elapsed time only grows.
      const elapsed = events.map((event) => Number(event.progress?.elapsedMs));
      expect([...elapsed].sort((a, b) => a - b)).toEqual(elapsed);
    },
  );

  it("wait=false ends once the cloud accepted the create, without an address", async () => {
    s = await startSimServer("modern", { simulator: { buildDelayMs: 2000 } });
    const events = await collect(s, { name: "nowait", wait: false });
    const done = events.at(-1)!;
    expect(done.progress?.stage).toBe(Stage.DONE);
    expect(done.server?.status).toBe("BUILD");
    expect(done.floatingIp).toBe("");
  });

  it("the same client_token from two concurrent streams yields one server", async () => {
    s = await startSimServer("modern", { simulator: { buildDelayMs: 300 } });
    const [a, b] = await Promise.all([
      collect(s, { name: "twin", clientToken: "tok-twin" }),
      collect(s, { name: "twin", clientToken: "tok-twin" }),
    ]);
    expect(a.at(-1)?.progress?.stage).toBe(Stage.DONE);
    expect(b.at(-1)?.server?.id).toBe(a.at(-1)?.server?.id);
    // One operation: both streams saw it create the server (neither found an earlier one).
    expect([a.at(-1)?.existing, b.at(-1)?.existing]).toEqual([false, false]);
    expect(computePosts(s)).toBe(1);
    const { servers } = await s.client(ServerService).listServers({});
    expect(servers.filter((server) => server.name === "twin")).toHaveLength(1);
  });

  it("a stream cancelled mid-boot, then reissued, finishes the same boot (one server, none deleted)", async () => {
    s = await startSimServer("modern", { simulator: { buildDelayMs: 1500 } });
    const abort = new AbortController();
    let buildingId: string | undefined;
    const first = (async () => {
      const request = { name: "resumed", image: IMAGE, flavor: FLAVOR, clientToken: "tok-resume" };
      for await (const event of s!.client(ServerService).createServer(request, { signal: abort.signal })) {
        if (event.progress?.stage === Stage.BUILDING && event.progress.message.includes("accepted")) {
          buildingId = event.progress.message.split(" ").at(-1);
          abort.abort();
        }
      }
    })();
    await expect(first).rejects.toThrow();
    expect(buildingId).toBeTruthy();
    // The boot goes on without a stream: a reissue attaches to it and sees its whole history.
    const again = await collect(s, { name: "resumed", clientToken: "tok-resume" });
    expect(again[0]?.progress?.stage).toBe(Stage.ACCEPTED);
    const done = again.at(-1)!;
    expect(done.progress?.stage).toBe(Stage.DONE);
    expect(done.server?.id).toBe(buildingId);
    expect(done.server?.status).toBe("ACTIVE");
    expect(computePosts(s)).toBe(1);
    expect(s.sim.admin.count("compute", "DELETE /servers/{server_id}")).toBe(0);
    // Once the operation is over, a reissue goes through core's client-token logic: same server.
    const late = await collect(s, { name: "resumed", clientToken: "tok-resume" });
    expect(late.at(-1)?.server?.id).toBe(buildingId);
    expect(late.at(-1)?.existing).toBe(true);
    expect(computePosts(s)).toBe(1);
  });

  it("on server shutdown a create stream ends UNAVAILABLE; its boot goes on and a reissue finishes it", async () => {
    s = await startSimServer("modern", { simulator: { buildDelayMs: 1000 } });
    const shutdown = new AbortController();
    const context = createHandlerContext({ ...contextInit, shutdownSignal: shutdown.signal });
    const handlers = serverHandlers({ clouds: s.clouds });
    const createServer = handlers.impl.createServer as unknown as (
      request: CreateServerRequest,
      context: HandlerContext,
    ) => AsyncGenerator<CreateServerResponse>;
    const request = create(CreateServerRequestSchema, {
      name: "survivor",
      image: IMAGE,
      flavor: FLAVOR,
      clientToken: "tok-survivor",
    });
    const stream = createServer(request, context);
    let accepted: string | undefined;
    let error: ConnectError | undefined;
    try {
      for await (const event of stream) {
        if (event.progress?.message.includes("accepted")) {
          accepted = event.progress.message.split(" ").at(-1);
          shutdown.abort(new ServerShutdown());
        }
      }
    } catch (e) {
      error = ConnectError.from(e);
    }
    expect(error?.code).toBe(Code.Unavailable);
    expect(error?.rawMessage).toContain("client_token");
    // The same handlers (the same process, still running the boot) finish it for a reissue.
    const again = createServer(request, createHandlerContext(contextInit));
    const events: CreateServerResponse[] = [];
    for await (const event of again) events.push(event);
    expect(events.at(-1)?.server?.id).toBe(accepted);
    expect(events.at(-1)?.server?.status).toBe("ACTIVE");
    expect(computePosts(s)).toBe(1);
  });

  it("a reissue to another server process (its own operations) gets the same server through core", async () => {
    s = await startSimServer("modern", { simulator: { buildDelayMs: 800 } });
    // Two replicas sharing the clouds (and so core's state backend), each with its own operations.
    const replicaA = serverHandlers({ clouds: s.clouds }, { creates: new CreateOperations() });
    const replicaB = serverHandlers({ clouds: s.clouds }, { creates: new CreateOperations() });
    const run = async (handlers: typeof replicaA) => {
      const createServer = handlers.impl.createServer as unknown as (
        request: CreateServerRequest,
        context: HandlerContext,
      ) => AsyncGenerator<CreateServerResponse>;
      const request = create(CreateServerRequestSchema, {
        name: "replicated",
        image: IMAGE,
        flavor: FLAVOR,
        clientToken: "tok-replicas",
      });
      const events: CreateServerResponse[] = [];
      for await (const event of createServer(request, createHandlerContext(contextInit))) events.push(event);
      return events.at(-1);
    };
    const [a, b] = await Promise.all([run(replicaA), run(replicaB)]);
    expect(b?.server?.id).toBe(a?.server?.id);
    expect([a?.existing, b?.existing].sort()).toEqual([false, true]);
    expect(computePosts(s)).toBe(1);
  });

  it("without a client_token, cancelling the stream cancels the boot (core rolls it back)", async () => {
    s = await startSimServer("modern", { simulator: { buildDelayMs: 1500 } });
    const abort = new AbortController();
    const run = (async () => {
      const request = { name: "dropped", image: IMAGE, flavor: FLAVOR };
      for await (const event of s!.client(ServerService).createServer(request, { signal: abort.signal })) {
        if (event.progress?.message.includes("accepted")) abort.abort();
      }
    })();
    await expect(run).rejects.toThrow();
    await expect
      .poll(() => s!.sim.admin.count("compute", "DELETE /servers/{server_id}"), { timeout: 10_000 })
      .toBe(1);
  });
});

describe("CreateServer: bad input is INVALID_ARGUMENT naming the field, before any cloud call", () => {
  it.each<[string, CreateInit, string]>([
    ["no name", { name: "" }, "name"],
    ["no flavor", { name: "x", flavor: "" }, "flavor"],
    ["no image", { name: "x", image: "" }, "image"],
    ["negative timeout", { name: "x", timeoutSeconds: -1 }, "timeout_seconds"],
    ["bad client token", { name: "x", clientToken: "spaces are not allowed" }, "client_token"],
    ["volume_size without boot_from_volume", { name: "x", volumeSize: 10 }, "volume_size"],
    ["boot_from_volume without a size", { name: "x", bootFromVolume: true }, "volume_size"],
    ["ips with ip_pool", { name: "x", ips: ["1.2.3.4"], ipPool: "public" }, "ips"],
    ["networks with nics", { name: "x", networks: ["a"], nics: [{ network: "b" }] }, "nics"],
    ["auto beside a network", { name: "x", networks: ["auto", "private"] }, "networks[0]"],
    ["an empty nic", { name: "x", nics: [{}] }, "nics[0]"],
  ])("%s -> %s", async (_, init, field) => {
    s = await startSimServer("modern");
    const error = await failure(() => collect(s!, init));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage.startsWith(`${field}:`)).toBe(true);
    expect(error.findDetails(BadRequestSchema)[0]?.fieldViolations[0]?.field).toBe(field);
    // Not even authentication: the simulator saw no request at all.
    expect(s.sim.admin.log()).toEqual([]);
  });

  it("an unknown cloud is INVALID_ARGUMENT naming location.cloud, before any cloud call", async () => {
    s = await startSimServer("modern");
    const error = await failure(() => collect(s!, { name: "x", location: { cloud: "nowhere" } }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.findDetails(BadRequestSchema)[0]?.fieldViolations[0]?.field).toBe("location.cloud");
    expect(error.rawMessage).toContain("nowhere");
    expect(s.sim.admin.log()).toEqual([]);
  });
});

describe("cloud errors keep the cloud's message and request id", () => {
  it.each([
    [404, Code.NotFound],
    [409, Code.FailedPrecondition],
    [413, Code.ResourceExhausted],
    [503, Code.Unavailable],
  ])("%i on POST /servers -> %s", async (status, code) => {
    s = await startSimServer("modern");
    s.sim.admin.addFault({
      service: "compute",
      route: "POST /servers",
      status,
      message: `injected ${status} for the test`,
    });
    const error = await failure(() => collect(s!, { name: `fault-${status}` }));
    expect(error.code).toBe(code);
    expect(error.rawMessage).toContain(`injected ${status} for the test`);
    const info = error.findDetails(ErrorInfoSchema)[0];
    const posts = s.sim.admin.log().filter((entry) => entry.route === "POST /servers");
    expect(posts.length).toBeGreaterThan(0);
    expect(info?.metadata.cloud_request_id).toBe(posts.at(-1)?.requestId);
    expect(info?.metadata.cloud_status).toBe(String(status));
  });

  it("GetServer of a missing server is NOT_FOUND naming it", async () => {
    s = await startSimServer("modern");
    const error = await failure(() => s!.client(ServerService).getServer({ nameOrId: "ghost" }));
    expect(error.code).toBe(Code.NotFound);
    expect(error.rawMessage).toContain("ghost");
  });
});

describe("GetServer, ListServers, DeleteServer", () => {
  it("lists with a filter, gets by name, deletes with delete_ips streaming to DONE", async () => {
    s = await startSimServer("modern", { simulator: { buildDelayMs: 0 } });
    const client = s.client(ServerService);
    const a = (await collect(s, { name: "alpha", metadata: { role: "web" } })).at(-1)!;
    await collect(s, { name: "beta", autoIp: false, metadata: { role: "db" } });
    const web = await client.listServers({ filter: { jmespath: "[?metadata.role=='web']" } });
    expect(web.servers.map((server) => server.name)).toEqual(["alpha"]);
    const byField = await client.listServers({ filter: { fields: { name: "beta" } } });
    expect(byField.servers.map((server) => server.name)).toEqual(["beta"]);
    const got = await client.getServer({ nameOrId: "alpha" });
    expect(got.server?.id).toBe(a.server?.id);

    const steps = [];
    for await (const step of client.deleteServer({ nameOrId: "alpha", deleteIps: true })) steps.push(step);
    expect(steps.map((step) => step.progress?.stage)).toEqual([Stage.DELETING, Stage.DONE]);
    expect(steps.every((step) => step.id === a.server?.id)).toBe(true);
    expect(steps.at(-1)?.progress?.message).toContain(a.floatingIp);
    const ipDeletes = s.sim.admin
      .log()
      .filter((entry) => entry.method === "DELETE" && entry.path.includes("/floatingips/"));
    expect(ipDeletes).toHaveLength(1);
    expect((await client.listServers({})).servers.map((server) => server.name)).toEqual(["beta"]);
  });

  it("DeleteServer with wait=false ends once the cloud accepted the delete", async () => {
    s = await startSimServer("modern", { simulator: { buildDelayMs: 0, deleteDelayMs: 60_000 } });
    await collect(s, { name: "lingering", autoIp: false });
    const steps = [];
    for await (const step of s.client(ServerService).deleteServer({ nameOrId: "lingering", wait: false })) {
      steps.push(step);
    }
    expect(steps.map((step) => step.progress?.stage)).toEqual([Stage.DELETING, Stage.DONE]);
    expect(steps.at(-1)?.progress?.message).toContain("not waited for");
  });

  it("DeleteServer of a missing server is NOT_FOUND; bad name_or_id is INVALID_ARGUMENT", async () => {
    s = await startSimServer("modern");
    const client = s.client(ServerService);
    const missing = await failure(async () => {
      for await (const _ of client.deleteServer({ nameOrId: "ghost" }));
    });
    expect(missing.code).toBe(Code.NotFound);
    const empty = await failure(async () => {
      for await (const _ of client.deleteServer({ nameOrId: " " }));
    });
    expect(empty.code).toBe(Code.InvalidArgument);
    expect(empty.findDetails(BadRequestSchema)[0]?.fieldViolations[0]?.field).toBe("name_or_id");
  });
});
