import { Code } from "@connectrpc/connect";
import { afterEach, describe, expect, it } from "vitest";
import { FloatingIpService } from "../gen/oaktree/v1/floating_ip_pb.js";
import { failure, violatedField } from "../testing/calls.js";
import { type SimServer, startSimServer } from "../testing/sim-server.js";

let s: SimServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe.each(["modern", "nova-network"] as const)("FloatingIpService on %s", (profile) => {
  it("create, get by id and by address, list with filters, attach to a server by name, detach, delete", async () => {
    s = await startSimServer(profile, { simulator: { buildDelayMs: 20 } });
    const client = s.client(FloatingIpService);
    const cloud = await s.clouds.resolve(undefined);
    await cloud.createServer({
      name: "fip-target",
      image: "cirros-0.6.2-x86_64-disk",
      flavor: "m1.tiny",
      autoIp: false,
    });

    const { floatingIp } = await client.createFloatingIp({});
    const address = floatingIp?.floatingIpAddress ?? "";
    expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(floatingIp?.attached).toBe(false);
    expect(
      (await client.getFloatingIp({ nameOrId: floatingIp?.id ?? "" })).floatingIp?.floatingIpAddress,
    ).toBe(address);
    expect((await client.getFloatingIp({ nameOrId: address })).floatingIp?.id).toBe(floatingIp?.id);
    const listed = await client.listFloatingIps({ filter: { fields: { floating_ip_address: address } } });
    expect(listed.floatingIps.map((ip) => ip.id)).toEqual([floatingIp?.id]);

    const attached = await client.attachFloatingIp({ floatingIp: address, server: "fip-target" });
    expect(attached.floatingIp?.attached).toBe(true);
    expect(attached.floatingIp?.fixedIpAddress).toBeTruthy();
    const onServers = await client.listFloatingIps({ filter: { jmespath: "[?attached]" } });
    expect(onServers.floatingIps.map((ip) => ip.id)).toContain(floatingIp?.id);

    const detached = await client.detachFloatingIp({ floatingIp: address });
    expect(detached.floatingIp?.attached).toBe(false);
    await client.deleteFloatingIp({ nameOrId: address });
    expect((await failure(() => client.getFloatingIp({ nameOrId: address }))).code).toBe(Code.NotFound);
    expect((await failure(() => client.deleteFloatingIp({ nameOrId: address }))).code).toBe(Code.NotFound);
  });

  it("CreateFloatingIp with server attaches it at once; a missing server is NOT_FOUND", async () => {
    s = await startSimServer(profile, { simulator: { buildDelayMs: 20 } });
    const client = s.client(FloatingIpService);
    const cloud = await s.clouds.resolve(undefined);
    await cloud.createServer({
      name: "fip-now",
      image: "cirros-0.6.2-x86_64-disk",
      flavor: "m1.tiny",
      autoIp: false,
    });
    const { floatingIp } = await client.createFloatingIp({ server: "fip-now" });
    expect(floatingIp?.attached).toBe(true);
    const missing = await failure(() => client.createFloatingIp({ server: "no-such-server" }));
    expect(missing.code).toBe(Code.NotFound);
  });

  it.each([
    [
      "GetFloatingIp without name_or_id",
      (c: SimServer) => c.client(FloatingIpService).getFloatingIp({}),
      "name_or_id",
    ],
    [
      "AttachFloatingIp without server",
      (c: SimServer) => c.client(FloatingIpService).attachFloatingIp({ floatingIp: "203.0.113.9" }),
      "server",
    ],
    [
      "CreateFloatingIp with nat_destination and no server",
      (c: SimServer) => c.client(FloatingIpService).createFloatingIp({ natDestination: "private" }),
      "nat_destination",
    ],
  ] as const)("%s is INVALID_ARGUMENT naming its field, with no cloud call", async (_, call, field) => {
    s = await startSimServer(profile);
    s.sim.admin.reset();
    const error = await failure(() => call(s as SimServer));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(violatedField(error)).toBe(field);
    expect(s.sim.admin.log()).toEqual([]);
  });
});
