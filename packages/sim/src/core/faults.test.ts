import { connect } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../simulator.js";
import { login, type TestClient } from "../testing/client.js";
import { FaultTable, validateFaultRule } from "./faults.js";

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies in assertions
type J = any;

let sim: Simulator;
let demo: TestClient;
let image: string;
let privateNet: string;
let publicNet: string;

beforeAll(async () => {
  sim = await startSimulator({ buildDelayMs: 100, deleteDelayMs: 0 });
  demo = await login(sim);
  const world = sim.admin.state.world;
  image = world.images.all()[0]!.id;
  privateNet = world.networks.find((n) => n.name === "private")!.id;
  publicNet = world.networks.find((n) => n.name === "public")!.id;
});
afterAll(() => sim.stop());
beforeEach(() => {
  sim.admin.clearFaults();
  sim.admin.resetFaultsInjected();
  sim.admin.reset();
});

const bootBody = (name: string) => ({
  server: { name, imageRef: image, flavorRef: "1", networks: [{ uuid: privateNet }] },
});
const serversNamed = (name: string) => sim.admin.state.world.servers.all().filter((s) => s.name === name);
const lastLog = (route: string) =>
  sim.admin
    .log()
    .filter((e) => e.route === route)
    .at(-1);

describe("fault kinds", () => {
  it("dropResponse: the create is applied, then the connection is reset (the client sees an error)", async () => {
    sim.admin.addFault({ service: "compute", route: "POST /servers", dropResponse: true, times: 1 });
    await expect(demo.call("POST", "/compute/v2.1/servers", bootBody("dropped"))).rejects.toThrow();
    expect(serversNamed("dropped")).toHaveLength(1);
    expect(lastLog("POST /servers")).toMatchObject({ status: 499, faults: ["dropResponse"] });
    expect(sim.admin.faultsInjected()).toEqual({ dropResponse: 1 });
    // times: 1 - the retry goes through (and makes the duplicate a retrying client would make).
    expect((await demo.call("POST", "/compute/v2.1/servers", bootBody("dropped"))).status).toBe(202);
    expect(serversNamed("dropped")).toHaveLength(2);
  });

  it("responseDelayMs: the create is applied and answered after the client's timeout", async () => {
    sim.admin.addFault({ service: "compute", route: "POST /servers", responseDelayMs: 800, times: 1 });
    const started = Date.now();
    const late = fetch(`${sim.url}/compute/v2.1/servers`, {
      method: "POST",
      headers: { "x-auth-token": demo.token, "content-type": "application/json" },
      body: JSON.stringify(bootBody("late")),
      signal: AbortSignal.timeout(200),
    });
    await expect(late).rejects.toThrow(/timeout|abort/i);
    expect(Date.now() - started).toBeLessThan(700);
    expect(serversNamed("late")).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 900));
    expect(lastLog("POST /servers")).toMatchObject({ faults: ["responseDelay"] });
    expect(lastLog("POST /servers")!.durationMs).toBeGreaterThanOrEqual(750);
  });

  it("slowBodyBytesPerSecond: headers at once, the body trickled, the same bytes in the end", async () => {
    const normal = await demo.call("GET", "/compute/v2.1/flavors");
    const size = JSON.stringify(normal.body).length;
    // About one second for the whole body.
    sim.admin.addFault({ service: "compute", route: "GET /flavors", slowBodyBytesPerSecond: size, times: 1 });
    const started = Date.now();
    const res = await fetch(`${sim.url}/compute/v2.1/flavors`, { headers: { "x-auth-token": demo.token } });
    const headersAt = Date.now() - started;
    const body = await res.json();
    const bodyAt = Date.now() - started;
    expect(res.status).toBe(200);
    expect(body).toEqual(normal.body);
    expect(bodyAt - headersAt).toBeGreaterThanOrEqual(600);
    expect(sim.admin.faultsInjected()).toEqual({ slowBody: 1 });
  });

  it("down with forMs: one service refuses for a while, the others answer, then it is back", async () => {
    sim.admin.addFault({ service: "compute", down: true, forMs: 400 });
    await expect(demo.call("GET", "/compute/v2.1/flavors")).rejects.toThrow();
    expect((await demo.call("GET", "/network/v2.0/networks")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 450));
    expect((await demo.call("GET", "/compute/v2.1/flavors")).status).toBe(200);
    expect(sim.admin.faults()).toEqual([]);
    expect(sim.admin.faultsInjected()).toEqual({ down: 1 });
  });

  it("outage: nothing listens on the port (connection refused), then the same URL answers again", async () => {
    await sim.admin.outage(400);
    const { port } = new URL(sim.url);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), "127.0.0.1", () => resolve("connected"));
      socket.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    expect(refused).toBe("ECONNREFUSED");
    await new Promise((r) => setTimeout(r, 500));
    expect((await demo.call("GET", "/compute/v2.1/flavors")).status).toBe(200);
  });

  it("expireToken / revokeToken: the request's token stops working at that moment", async () => {
    for (const kind of ["expireToken", "revokeToken"] as const) {
      const user = await login(sim);
      expect((await user.call("GET", "/compute/v2.1/servers")).status).toBe(200);
      sim.admin.addFault({ service: "compute", route: "GET /servers", [kind]: true, times: 1 });
      const hit = await user.call("GET", "/compute/v2.1/servers");
      expect(hit.status).toBe(401);
      expect(hit.headers.get("www-authenticate")).toContain("Keystone uri=");
      // Not only that request: the token is dead everywhere, and a new one works.
      expect((await user.call("GET", "/network/v2.0/networks")).status).toBe(401);
      expect((await (await login(sim)).call("GET", "/compute/v2.1/servers")).status).toBe(200);
    }
    expect(sim.admin.faultsInjected()).toEqual({ expireToken: 1, revokeToken: 1 });
  });

  it("expireTokens(inMs): every issued token expires at that moment of the simulator clock", async () => {
    const user = await login(sim);
    expect(sim.admin.expireTokens(60_000)).toBeGreaterThan(0);
    expect((await user.call("GET", "/compute/v2.1/servers")).status).toBe(200);
    sim.admin.advanceClock(60_000);
    expect((await user.call("GET", "/compute/v2.1/servers")).status).toBe(401);
    demo = await login(sim);
  });

  it("stuckBuild: the server stays in BUILD whatever happens, and can still be deleted", async () => {
    sim.admin.addFault({ service: "compute", route: "POST /servers", stuckBuild: true, times: 1 });
    const res = await demo.call("POST", "/compute/v2.1/servers", bootBody("stuck"));
    expect(res.status).toBe(202);
    const id = (res.body as J).server.id;
    sim.admin.finishBuilds();
    sim.admin.advanceClock(600_000); // ten minutes: far past any build, inside the token lifetime
    const shown = ((await demo.call("GET", `/compute/v2.1/servers/${id}`)).body as J).server;
    expect([shown.status, shown["OS-EXT-STS:task_state"]]).toEqual(["BUILD", "spawning"]);
    expect(lastLog("POST /servers")).toMatchObject({ faults: ["stuckBuild"] });
    expect((await demo.call("DELETE", `/compute/v2.1/servers/${id}`)).status).toBe(204);
    sim.admin.finishBuilds();
    expect((await demo.call("GET", `/compute/v2.1/servers/${id}`)).status).toBe(404);
  });

  it("failBuild: the server goes to ERROR with the rule's fault message", async () => {
    sim.admin.addFault({
      service: "compute",
      route: "POST /servers",
      failBuild: "No valid host was found.",
      times: 1,
    });
    const res = await demo.call("POST", "/compute/v2.1/servers", bootBody("broken"));
    sim.admin.finishBuilds();
    const shown = ((await demo.call("GET", `/compute/v2.1/servers/${(res.body as J).server.id}`)).body as J)
      .server;
    expect(shown.status).toBe("ERROR");
    expect(shown.fault.message).toBe("No valid host was found.");
    expect(sim.admin.faultsInjected()).toEqual({ failBuild: 1 });
  });

  it("fipDelayMs: the association shows in neutron's reads and nova's addresses only after the delay", async () => {
    const res = await demo.call("POST", "/compute/v2.1/servers", bootBody("fip"));
    const serverId = (res.body as J).server.id;
    sim.admin.finishBuilds();
    const port = sim.admin.state.world.portsOfDevice(serverId)[0]!;
    sim.admin.addFault({ service: "network", route: "PUT /floatingips/{id}", fipDelayMs: 5000, times: 1 });
    const fip = (
      (
        await demo.call("POST", "/network/v2.0/floatingips", {
          floatingip: { floating_network_id: publicNet },
        })
      ).body as J
    ).floatingip;
    const put = await demo.call("PUT", `/network/v2.0/floatingips/${fip.id}`, {
      floatingip: { port_id: port.id },
    });
    expect((put.body as J).floatingip.port_id).toBe(port.id); // the write's own answer shows it
    const read = async () =>
      ((await demo.call("GET", `/network/v2.0/floatingips/${fip.id}`)).body as J).floatingip;
    const addresses = async () =>
      JSON.stringify(
        ((await demo.call("GET", `/compute/v2.1/servers/${serverId}`)).body as J).server.addresses,
      );
    expect(await read()).toMatchObject({ port_id: null, fixed_ip_address: null, status: "DOWN" });
    const byPort = await demo.call("GET", `/network/v2.0/floatingips?port_id=${port.id}`);
    expect((byPort.body as J).floatingips).toEqual([]);
    expect(await addresses()).not.toContain(fip.floating_ip_address);
    sim.admin.advanceClock(5000);
    expect(await read()).toMatchObject({ port_id: port.id, status: "ACTIVE" });
    expect(await addresses()).toContain(fip.floating_ip_address);
    expect(sim.admin.faultsInjected()).toEqual({ fipDelay: 1 });
  });

  it("quotaExceeded: the next N creates get each service's real quota error, then creates work", async () => {
    sim.admin.addFault({ service: "compute", route: "POST /servers", quotaExceeded: true, times: 2 });
    sim.admin.addFault({ service: "network", route: "POST /floatingips", quotaExceeded: true, times: 1 });
    sim.admin.addFault({ service: "block-storage", route: "POST /volumes", quotaExceeded: true, times: 1 });
    for (let i = 0; i < 2; i++) {
      const nova = await demo.call("POST", "/compute/v2.1/servers", bootBody("quota"));
      expect(nova.status).toBe(403);
      expect((nova.body as J).forbidden.message).toMatch(/^Quota exceeded for instances: Requested 1/);
    }
    const neutron = await demo.call("POST", "/network/v2.0/floatingips", {
      floatingip: { floating_network_id: publicNet },
    });
    expect(neutron.status).toBe(409);
    expect((neutron.body as J).NeutronError).toMatchObject({
      type: "OverQuota",
      message: "Quota exceeded for resources: ['floatingip'].",
    });
    const cinder = await demo.call("POST", `/volume/v3/${demo.projectId}/volumes`, { volume: { size: 1 } });
    expect(cinder.status).toBe(413);
    expect(cinder.headers.get("retry-after")).toBe("0");
    expect((cinder.body as J).overLimit).toMatchObject({ code: 413, retryAfter: "0" });
    expect(serversNamed("quota")).toHaveLength(0);
    expect((await demo.call("POST", "/compute/v2.1/servers", bootBody("quota"))).status).toBe(202);
    expect(sim.admin.faultsInjected()).toEqual({ quotaExceeded: 4 });
  });

  it("is driven over HTTP too: add, list with hits, injected counts, remove", async () => {
    const post = await fetch(`${sim.url}/_sim/faults`, {
      method: "POST",
      body: JSON.stringify({ service: "compute", route: "GET /flavors", dropResponse: true, times: 1 }),
    });
    expect(post.status).toBe(201);
    await expect(demo.call("GET", "/compute/v2.1/flavors")).rejects.toThrow();
    const injected = (await (await fetch(`${sim.url}/_sim/faults/injected`)).json()) as J;
    expect(injected.injected).toEqual({ dropResponse: 1 });
    const bad = await fetch(`${sim.url}/_sim/faults`, {
      method: "POST",
      body: JSON.stringify({ dropResponse: "yes" }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('"dropResponse" must be a boolean');
    const expiring = await fetch(`${sim.url}/_sim/expire-tokens`, { method: "POST", body: "{}" });
    expect(((await expiring.json()) as J).expiring).toBeGreaterThan(0);
    demo = await login(sim);
  });
});

describe("rule selection", () => {
  it("names the bad field", () => {
    expect(() => validateFaultRule({ probability: 2 })).toThrow(/"probability" must be a number in \[0, 1\]/);
    expect(() => validateFaultRule({ stuckBuild: 1 })).toThrow(/"stuckBuild" must be a boolean/);
    expect(() => validateFaultRule({ forMs: 0 })).toThrow(/"forMs"/);
    expect(() => validateFaultRule({ dropRespons: true })).toThrow(/unknown field "dropRespons"/);
  });

  it("probability hits the requests its draws select, and only those count", () => {
    const draws = [0.05, 0.5, 0.09, 0.95];
    const table = new FaultTable(() => draws.shift() ?? 1);
    table.add({ service: "compute", dropResponse: true, probability: 0.1 });
    const decided = [1, 2, 3, 4].map(() => table.decide("compute", "POST /servers")?.dropResponse === true);
    expect(decided).toEqual([true, false, true, false]);
    expect(table.list()[0]!.hits).toBe(2);
    expect(table.injected()).toEqual({ dropResponse: 2 });
  });

  it("selects by service and route, and expires by times and by forMs", async () => {
    const table = new FaultTable();
    table.add({ service: "network", route: "POST *", quotaExceeded: true, times: 2 });
    expect(table.decide("compute", "POST /servers")).toBeUndefined();
    expect(table.decide("network", "GET /ports")).toBeUndefined();
    expect(table.decide("network", "POST /ports")?.quotaExceeded).toBe(true);
    expect(table.decide("network", "POST /floatingips")?.quotaExceeded).toBe(true);
    expect(table.decide("network", "POST /ports")).toBeUndefined();
    table.add({ stuckBuild: true, forMs: 50 });
    expect(table.take("stuckBuild", "compute", "POST /servers")).toBeDefined();
    await new Promise((r) => setTimeout(r, 80));
    expect(table.take("stuckBuild", "compute", "POST /servers")).toBeUndefined();
    expect(table.list()).toEqual([]);
  });
});
