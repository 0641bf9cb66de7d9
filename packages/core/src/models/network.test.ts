import { describe, expect, it } from "vitest";
import type { NovaNetworkWire } from "../services/compute/v2/networks/wire.js";
import type { NetworkWire } from "../services/network/v2/networks/wire.js";
import { fixture, fixtureFiles } from "../testing/fixtures.js";
import type { NormalizeContext } from "./location.js";
import { type Network, normalizeNetwork, normalizeNovaNetwork } from "./network.js";
import { expectNothingLost, itemsOf } from "./test-helpers.js";

const NETWORK_READ = [
  "id",
  "name",
  "status",
  "admin_state_up",
  "shared",
  "router:external",
  "is_default",
  "mtu",
  "subnets",
  "availability_zones",
  "port_security_enabled",
  "project_id",
  "tenant_id",
  "description",
  "tags",
  "created_at",
  "updated_at",
  "revision_number",
];

const ctx: NormalizeContext = {
  cloud: "example",
  region: "RegionOne",
  project: { id: "4fd44f30292945e481c7b8a0c8908869", name: "demo" },
};

describe("normalizeNetwork", () => {
  it("maps the provider network sample to the expected model", () => {
    const wire = fixture<{ network: NetworkWire }>(
      "network/networks/network-provider-show-response.json",
    ).network;
    const expected: Network = {
      location: {
        cloud: "example",
        region: "RegionOne",
        project: { id: "4fd44f30292945e481c7b8a0c8908869", name: "demo" },
      },
      id: "d32019d3-bc6e-4319-9c1d-6722fc136a22",
      name: "private-network",
      status: "ACTIVE",
      isAdminStateUp: true,
      isShared: true,
      isRouterExternal: false,
      isDefault: true,
      mtu: 1500,
      isPortSecurityEnabled: true,
      subnetIds: ["54d6f61d-db07-451c-9ab3-b9609b6b6f0b"],
      availabilityZones: ["nova"],
      tags: ["tag1,tag2"],
      createdAt: "2016-03-08T20:19:41Z",
      updatedAt: "2016-03-08T20:19:41Z",
      revisionNumber: 1,
      properties: {
        availability_zone_hints: [],
        dns_domain: "my-domain.org.",
        ipv4_address_scope: null,
        ipv6_address_scope: null,
        l2_adjacency: false,
        "provider:network_type": "local",
        "provider:physical_network": null,
        "provider:segmentation_id": null,
        qos_policy_id: "6a8454ade84346f59e8d40665f878b2e",
        vlan_transparent: false,
        qinq: false,
      },
    };
    expect(normalizeNetwork(wire, ctx)).toEqual(expected);
  });

  it("puts another project's network in that project", () => {
    const list = fixture<{ networks: NetworkWire[] }>(
      "network/networks/networks-list-response.json",
    ).networks;
    expect(normalizeNetwork(list[1] as NetworkWire, ctx).location.project).toEqual({
      id: "26a7980765d0414dbc1fc1f88cdb7e6e",
    });
  });

  it.each(fixtureFiles("network/networks", /-response\.json$/))("normalizes every network in %s", (path) => {
    const networks = itemsOf<NetworkWire>(fixture(path), "network", "networks");
    expect(networks.length).toBeGreaterThan(0);
    for (const wire of networks) {
      const network = normalizeNetwork(wire, ctx);
      expect(network.id).toBe(wire.id);
      expect(network.isRouterExternal).toBe(wire["router:external"] === true);
      expect(network.subnetIds).toEqual(wire.subnets ?? []);
      expectNothingLost(wire, network, NETWORK_READ);
    }
  });
});

describe("normalizeNovaNetwork", () => {
  it("maps nova-network's os-networks sample to the expected model", () => {
    const wire = fixture<{ networks: NovaNetworkWire[] }>("nova-network/os-networks/networks-list-resp.json")
      .networks[0] as NovaNetworkWire;
    const network = normalizeNovaNetwork(wire, ctx);
    expect(network).toMatchObject({
      location: { cloud: "example", region: "RegionOne", project: ctx.project },
      id: "20c8acc0-f747-4d71-a389-46d078ebf047",
      name: "private",
      status: "ACTIVE",
      isShared: true,
      isRouterExternal: false,
      isDefault: false,
      subnetIds: [],
      tags: [],
    });
    expect(network.properties).toMatchObject({ cidr: null, vlan: null, bridge: null });
    expect(network).not.toHaveProperty("mtu");
  });

  it.each(fixtureFiles("nova-network/os-networks", /-resp\.json$/))(
    "normalizes every network in %s",
    (path) => {
      for (const wire of itemsOf<NovaNetworkWire>(fixture(path), "network", "networks")) {
        const network = normalizeNovaNetwork(wire, ctx);
        expect(network.id).toBe(String(wire.id));
        expect(network.name).toBe(wire.label);
        expectNothingLost(wire, network, ["id", "label", "mtu", "project_id", "created_at", "updated_at"]);
      }
    },
  );
});
