import { describe, expect, it } from "vitest";
import type { NovaFloatingIpWire } from "../services/compute/v2/floating-ips/wire.js";
import type { FloatingIpWire } from "../services/network/v2/floating-ips/wire.js";
import { fixture, fixtureFiles } from "../testing/fixtures.js";
import { type FloatingIp, normalizeFloatingIp, normalizeNovaFloatingIp } from "./floating-ip.js";
import type { NormalizeContext } from "./location.js";
import { expectNothingLost, itemsOf } from "./test-helpers.js";

const ctx: NormalizeContext = {
  cloud: "example",
  region: "RegionOne",
  project: { id: "4969c491a3c74ee4af974e6d800c62de", name: "demo" },
};
const location = {
  cloud: "example",
  region: "RegionOne",
  project: { id: "4969c491a3c74ee4af974e6d800c62de", name: "demo" },
};
const READ = [
  "id",
  "floating_ip_address",
  "fixed_ip_address",
  "port_id",
  "router_id",
  "floating_network_id",
  "status",
  "project_id",
  "tenant_id",
  "description",
  "tags",
  "created_at",
  "updated_at",
  "revision_number",
];

describe("normalizeFloatingIp (neutron)", () => {
  const list = fixture<{ floatingips: FloatingIpWire[] }>(
    "network/floatingips/floating-ips-list-response.json",
  ).floatingips;

  it("maps an attached and an unattached floating IP to the expected models", () => {
    const attached = normalizeFloatingIp(list[0] as FloatingIpWire, ctx);
    const { properties, ...fields } = attached;
    const expected: Omit<FloatingIp, "properties"> = {
      location,
      id: "2f245a7b-796b-4f26-9cf9-9e82d248fda7",
      floatingIpAddress: "172.24.4.228",
      fixedIpAddress: "10.0.0.3",
      portId: "ce705c24-c1ef-408a-bda3-7bbd946164ab",
      routerId: "d23abc8d-2991-4a55-ba98-2aaea84cc72f",
      networkId: "376da547-b977-4cfe-9cba-275c80debf57",
      status: "ACTIVE",
      attached: true,
      description: "for test",
      tags: ["tag1,tag2"],
      createdAt: "2016-12-21T10:55:50Z",
      updatedAt: "2016-12-21T10:55:53Z",
      revisionNumber: 1,
    };
    expect(fields).toEqual(expected);
    expect(properties).toMatchObject({ dns_name: "myfip", port_forwardings: [] });
    expect(properties.port_details).toMatchObject({ device_id: "8e3941b4-a6e9-499f-a1ac-2a4662025cba" });

    const free = normalizeFloatingIp(list[1] as FloatingIpWire, ctx);
    expect(free).toMatchObject({ floatingIpAddress: "172.24.4.227", status: "DOWN", attached: false });
    expect(free).not.toHaveProperty("portId");
    expect(free).not.toHaveProperty("fixedIpAddress");
    expect(free).not.toHaveProperty("routerId");
  });

  it.each(fixtureFiles("network/floatingips", /floating-?ips?-(?!pools).*response\.json$/))(
    "normalizes every floating IP in %s",
    (path) => {
      const ips = itemsOf<FloatingIpWire>(fixture(path), "floatingip", "floatingips");
      expect(ips.length).toBeGreaterThan(0);
      for (const wire of ips) {
        const ip = normalizeFloatingIp(wire, ctx);
        expect(ip.attached).toBe(Boolean(wire.port_id));
        expect(ip.networkId).toBe(wire.floating_network_id);
        expectNothingLost(wire, ip, READ);
      }
    },
  );
});

describe("normalizeNovaFloatingIp (nova-network)", () => {
  it("maps nova's shape to the same model: pool as network, instance in properties", () => {
    const wire = fixture<{ floating_ips: NovaFloatingIpWire[] }>(
      "nova-network/os-floating-ips/floating-ips-list-resp.json",
    ).floating_ips[0] as NovaFloatingIpWire;
    const expected: FloatingIp = {
      location,
      id: "8baeddb4-45e2-4c36-8cb7-d79439a5f67c",
      floatingIpAddress: "172.24.4.17",
      networkId: "public",
      status: "UNKNOWN",
      attached: false,
      tags: [],
      properties: {},
    };
    expect(normalizeNovaFloatingIp(wire, ctx)).toEqual(expected);
    const bound = normalizeNovaFloatingIp(
      { ...wire, id: 7, fixed_ip: "10.0.0.3", instance_id: "srv-1" },
      ctx,
    );
    expect(bound).toMatchObject({
      id: "7",
      fixedIpAddress: "10.0.0.3",
      attached: true,
      properties: { instanceId: "srv-1" },
    });
    expect(bound).not.toHaveProperty("portId");
  });

  it.each(fixtureFiles("nova-network/os-floating-ips", /-resp\.json$/))(
    "normalizes every floating IP in %s",
    (path) => {
      for (const wire of itemsOf<NovaFloatingIpWire>(fixture(path), "floating_ip", "floating_ips")) {
        const ip = normalizeNovaFloatingIp(wire, ctx);
        expect(ip.floatingIpAddress).toBe(wire.ip);
        expect(ip.networkId).toBe(wire.pool);
        expect(ip.attached).toBe(Boolean(wire.instance_id));
      }
    },
  );
});
