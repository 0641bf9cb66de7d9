import { describe, expect, it } from "vitest";
import type { SubnetWire } from "../services/network/v2/subnets/wire.js";
import { fixture, fixtureFiles } from "../testing/fixtures.js";
import type { NormalizeContext } from "./location.js";
import { normalizeSubnet, type Subnet } from "./subnet.js";
import { expectNothingLost, itemsOf } from "./test-helpers.js";

const ctx: NormalizeContext = { cloud: "example", region: "RegionOne", project: { id: "other" } };
const READ = [
  "id",
  "name",
  "network_id",
  "cidr",
  "ip_version",
  "gateway_ip",
  "allocation_pools",
  "dns_nameservers",
  "host_routes",
  "enable_dhcp",
  "subnetpool_id",
  "ipv6_address_mode",
  "ipv6_ra_mode",
  "segment_id",
  "project_id",
  "tenant_id",
  "description",
  "tags",
  "created_at",
  "updated_at",
  "revision_number",
];

describe("normalizeSubnet", () => {
  it("maps the show sample to the expected model", () => {
    const wire = fixture<{ subnet: SubnetWire }>("network/subnets/subnet-show-response.json").subnet;
    const expected: Subnet = {
      location: {
        cloud: "example",
        region: "RegionOne",
        project: { id: "4fd44f30292945e481c7b8a0c8908869" },
      },
      id: "54d6f61d-db07-451c-9ab3-b9609b6b6f0b",
      name: "my_subnet",
      networkId: "d32019d3-bc6e-4319-9c1d-6722fc136a22",
      cidr: "192.0.0.0/8",
      ipVersion: 4,
      gatewayIp: "192.0.0.1",
      allocationPools: [{ start: "192.0.0.2", end: "192.255.255.254" }],
      dnsNameservers: [],
      hostRoutes: [],
      isDhcpEnabled: true,
      tags: ["tag1,tag2"],
      createdAt: "2016-03-08T20:19:41Z",
      updatedAt: "2016-03-08T20:19:41Z",
      revisionNumber: 2,
      properties: { dns_publish_fixed_ip: false, service_types: [], "router:external": false },
    };
    expect(normalizeSubnet(wire, ctx)).toEqual(expected);
  });

  it.each(fixtureFiles("network/subnets", /-response\.json$/))("normalizes every subnet in %s", (path) => {
    const subnets = itemsOf<SubnetWire>(fixture(path), "subnet", "subnets");
    expect(subnets.length).toBeGreaterThan(0);
    for (const wire of subnets) {
      const subnet = normalizeSubnet(wire, ctx);
      expect(subnet.cidr).toBe(wire.cidr);
      expect([4, 6]).toContain(subnet.ipVersion);
      expectNothingLost(wire, subnet, READ);
    }
  });
});
