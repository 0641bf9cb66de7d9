import { describe, expect, it } from "vitest";
import type { PortWire } from "../services/network/v2/ports/wire.js";
import { fixture, fixtureFiles } from "../testing/fixtures.js";
import type { NormalizeContext } from "./location.js";
import { normalizePort } from "./port.js";
import { expectNothingLost, itemsOf } from "./test-helpers.js";

const ctx: NormalizeContext = {
  cloud: "example",
  region: "RegionOne",
  project: { id: "7e02058126cc4950b75f9970368ba177" },
};
const READ = [
  "id",
  "name",
  "network_id",
  "device_id",
  "device_owner",
  "fixed_ips",
  "mac_address",
  "status",
  "admin_state_up",
  "security_groups",
  "port_security_enabled",
  "allowed_address_pairs",
  "binding:vnic_type",
  "binding:host_id",
  "dns_name",
  "project_id",
  "tenant_id",
  "description",
  "tags",
  "created_at",
  "updated_at",
  "revision_number",
];

describe("normalizePort", () => {
  it("maps the show sample to the expected model", () => {
    const wire = fixture<{ port: PortWire }>("network/ports/port-show-response.json").port;
    const port = normalizePort(wire, ctx);
    const { properties, ...fields } = port;
    expect(fields).toEqual({
      location: {
        cloud: "example",
        region: "RegionOne",
        project: { id: "7e02058126cc4950b75f9970368ba177" },
      },
      id: "46d4bfb9-b26e-41f3-bd2e-e6dcc1ccedb2",
      name: "",
      networkId: "a87cc70a-3e15-4acf-8205-9b711a3531b7",
      deviceId: "5e3898d7-11be-483e-9732-b2f5eccd2b2e",
      deviceOwner: "network:router_interface",
      fixedIps: [{ subnetId: "a0304c3a-4f08-4c43-88af-d796509c97d2", ipAddress: "10.0.0.1" }],
      macAddress: "fa:16:3e:23:fd:d7",
      status: "ACTIVE",
      isAdminStateUp: true,
      securityGroupIds: [],
      isPortSecurityEnabled: false,
      allowedAddressPairs: [],
      dnsName: "myport",
      tags: ["tag1,tag2"],
      createdAt: "2016-03-08T20:19:41Z",
      updatedAt: "2016-03-08T20:19:41Z",
      revisionNumber: 1,
    });
    expect(properties).toMatchObject({
      data_plane_status: "ACTIVE",
      dns_domain: "my-domain.org.",
      ip_allocation: "immediate",
      qos_policy_id: "29d5e02e-d5ab-4929-bee4-4a9fc12e22ae",
    });
  });

  it.each(fixtureFiles("network/ports", /-response\.json$/))("normalizes every port in %s", (path) => {
    const ports = itemsOf<PortWire>(fixture(path), "port", "ports");
    expect(ports.length).toBeGreaterThan(0);
    for (const wire of ports) {
      const port = normalizePort(wire, ctx);
      expect(port.fixedIps.map((ip) => ip.ipAddress)).toEqual(
        (wire.fixed_ips ?? []).map((ip) => ip.ip_address),
      );
      expectNothingLost(wire, port, READ);
    }
  });
});
