import { create } from "@bufbuild/protobuf";
import { type Client, Code, ConnectError } from "@connectrpc/connect";
import type { ProfileName } from "@oaktree/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FilterSchema, LocationSchema } from "../gen-legacy/common_pb.js";
import { FloatingIP_Status } from "../gen-legacy/floating_ip_pb.js";
import { DiskFormat_DiskFormatChoice, Image_Status } from "../gen-legacy/image_pb.js";
import { Oaktree } from "../gen-legacy/oaktree_pb.js";
import { SecurityGroupRule_Direction } from "../gen-legacy/security_group_pb.js";
import { type SimServer, startSimServer } from "../testing/sim-server.js";
import { legacyHandlers } from "./oaktree.js";

/** The code a call fails with (and its message), or a test failure when it succeeds. */
async function failure(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("expected the call to fail");
}

const PROFILES: ProfileName[] = ["modern", "kilo", "nova-network"];

describe.each(PROFILES)("the 2017 oaktree.Oaktree service on %s", (profile) => {
  let s: SimServer;
  let client: Client<typeof Oaktree>;

  beforeAll(async () => {
    s = await startSimServer(profile, { handlers: (deps) => [legacyHandlers(deps)] });
    client = s.client(Oaktree);
  });
  afterAll(async () => s?.close());

  it("lists flavors as the 2017 messages, each with its Location filled", async () => {
    const { flavors } = await client.listFlavors({});
    const tiny = flavors.find((flavor) => flavor.name === "m1.tiny");
    expect(tiny).toMatchObject({ id: "1", ram: 512, vcpus: 1, disk: 1n, isPublic: true, disabled: false });
    expect(tiny?.location?.cloud).toBe("sim");
    expect(tiny?.location?.region).not.toBe("");
    expect(tiny?.location?.project?.project.case).toBe("id");
    expect(flavors.length).toBeGreaterThanOrEqual(6);
  });

  it("applies the filter map and the JMESPath expression as shade's search functions", async () => {
    const byMap = await client.listFlavors({ filter: { vcpus: "1", disk: "20" } });
    expect(byMap.flavors.map((flavor) => flavor.name)).toEqual(["m1.small"]);
    // Over the whole list, 64-bit fields (disk) compared as numbers.
    const byList = await client.listFlavors({ jmespath: "[?disk >= `40`]" });
    expect(byList.flavors.map((flavor) => flavor.name).sort()).toEqual(["m1.large", "m1.medium"]);
    // A predicate on each item.
    const byItem = await client.listFlavors({ jmespath: "ram < `128`" });
    expect(byItem.flavors.map((flavor) => flavor.name)).toEqual(["m1.nano"]);
    const byName = await client.listFlavors({ nameOrId: "m1.micro" });
    expect(byName.flavors.map((flavor) => flavor.id)).toEqual(["84"]);
  });

  it("gets one flavor by name or id, and NOT_FOUND for a missing name", async () => {
    expect((await client.getFlavor({ nameOrId: "m1.small" })).id).toBe("2");
    expect((await client.getFlavor({ nameOrId: "3" })).name).toBe("m1.medium");
    const missing = await failure(client.getFlavor({ nameOrId: "m1.gigantic" }));
    expect(missing.code).toBe(Code.NotFound);
    expect(missing.rawMessage).toContain('flavor "m1.gigantic" not found');
    // The filter narrows a Get too: m1.small exists, but not with 4 vcpus.
    const filtered = await failure(client.getFlavor({ nameOrId: "m1.small", filter: { vcpus: "4" } }));
    expect(filtered.code).toBe(Code.NotFound);
  });

  it("lists and gets images, with glance's formats and status as the 2017 enums", async () => {
    const { images } = await client.listImages({ jmespath: "[?starts_with(name, 'cirros')]" });
    expect(images).toHaveLength(1);
    const [cirros] = images;
    expect(cirros?.status).toBe(Image_Status.active);
    expect(cirros?.diskFormat).toBe(DiskFormat_DiskFormatChoice.qcow2);
    expect(cirros?.isPublic).toBe(true);
    expect(cirros?.size).toBeGreaterThan(0n);
    expect(cirros?.checksum).toMatch(/^[0-9a-f]{32}$/);
    expect(cirros?.location?.cloud).toBe("sim");
    const got = await client.getImage({ nameOrId: cirros?.id ?? "" });
    expect(got.name).toBe(cirros?.name);
    expect((await failure(client.getImage({ nameOrId: "no-such-image" }))).code).toBe(Code.NotFound);
  });

  it("lists and gets floating IPs (by id or address), whichever floating-IP service the cloud has", async () => {
    const cloud = await s.clouds.resolve(undefined);
    const ip = await cloud.createFloatingIp();
    try {
      const { floatingIps } = await client.listFloatingIPs({});
      const listed = floatingIps.find((candidate) => candidate.id === ip.id);
      expect(listed).toMatchObject({
        floatingIpAddress: ip.floatingIpAddress,
        isAttached: false,
        status: FloatingIP_Status.down,
      });
      expect(listed?.location?.cloud).toBe("sim");
      expect((await client.getFloatingIP({ nameOrId: ip.floatingIpAddress })).id).toBe(ip.id);
      expect((await client.getFloatingIP({ nameOrId: ip.id })).floatingIpAddress).toBe(ip.floatingIpAddress);
      const unattached = await client.listFloatingIPs({ filter: { is_attached: "false" } });
      expect(unattached.floatingIps.map((candidate) => candidate.id)).toContain(ip.id);
      const attached = await client.listFloatingIPs({ filter: { is_attached: "true" } });
      expect(attached.floatingIps.map((candidate) => candidate.id)).not.toContain(ip.id);
    } finally {
      await cloud.deleteFloatingIp(ip.id);
    }
    expect((await failure(client.getFloatingIP({ nameOrId: ip.id }))).code).toBe(Code.NotFound);
  });

  it("lists and gets security groups and their rules", async () => {
    const cloud = await s.clouds.resolve(undefined);
    const group = await cloud.createSecurityGroup({ name: "legacy-web", description: "web" });
    try {
      const rule = await cloud.addSecurityGroupRule({
        securityGroup: group.id,
        direction: "ingress",
        protocol: "tcp",
        portRangeMin: 443,
        portRangeMax: 443,
        remoteIpPrefix: "0.0.0.0/0",
      });
      const got = await client.getSecurityGroup({ nameOrId: "legacy-web" });
      expect(got).toMatchObject({ id: group.id, name: "legacy-web", description: "web" });
      expect(got.location?.cloud).toBe("sim");
      expect(got.rules.map((r) => r.id)).toContain(rule.id);
      const listed = await client.listSecurityGroups({ filter: { name: "legacy-web" } });
      expect(listed.securityGroups.map((g) => g.id)).toEqual([group.id]);
      const { rules } = await client.listSecurityGroupRules({ filter: { security_group_id: group.id } });
      const https = rules.find((r) => r.id === rule.id);
      expect(https).toMatchObject({
        direction: SecurityGroupRule_Direction.ingress,
        protocol: "tcp",
        portRangeMin: 443,
        portRangeMax: 443,
        remoteIpPrefix: "0.0.0.0/0",
        securityGroupId: group.id,
      });
      expect(https?.location?.cloud).toBe("sim");
      expect((await client.getSecurityGroupRule({ nameOrId: rule.id })).portRangeMax).toBe(443);
    } finally {
      await cloud.deleteSecurityGroup(group.id);
    }
    expect((await failure(client.getSecurityGroup({ nameOrId: "legacy-web" }))).code).toBe(Code.NotFound);
  });

  it("rejects bad input naming the field before any cloud call", async () => {
    s.sim.admin.reset();
    const badJmespath = await failure(client.listImages({ jmespath: "[?name ==" }));
    expect(badJmespath.code).toBe(Code.InvalidArgument);
    expect(badJmespath.rawMessage).toMatch(/^jmespath: invalid JMESPath expression/);
    const noName = await failure(client.getImage({ nameOrId: "  " }));
    expect(noName.code).toBe(Code.InvalidArgument);
    expect(noName.rawMessage).toBe("name_or_id: required");
    const unknownCloud = await failure(
      client.listFlavors(create(FilterSchema, { location: create(LocationSchema, { cloud: "nowhere" }) })),
    );
    expect(unknownCloud.code).toBe(Code.InvalidArgument);
    expect(unknownCloud.rawMessage).toMatch(/^location\.cloud: unknown cloud "nowhere"/);
    expect(s.sim.admin.log()).toEqual([]);
  });

  it("maps a cloud error to its status with the cloud's message", async () => {
    const fault = s.sim.admin.addFault({
      service: "image",
      route: "GET *",
      status: 503,
      message: "glance is down",
    });
    try {
      const error = await failure(client.listImages({}));
      expect(error.code).toBe(Code.Unavailable);
      expect(error.rawMessage).toContain("glance is down");
    } finally {
      s.sim.admin.removeFault(fault);
    }
  });
});
