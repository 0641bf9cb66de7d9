import { describe, expect, it } from "vitest";
import type { RouterWire } from "../services/network/v2/routers/wire.js";
import { fixture, fixtureFiles } from "../testing/fixtures.js";
import type { NormalizeContext } from "./location.js";
import { normalizeRouter, type Router } from "./router.js";
import { expectNothingLost, itemsOf } from "./test-helpers.js";

const ctx: NormalizeContext = {
  cloud: "example",
  region: "RegionOne",
  project: { id: "0bd18306d801447bb457a46252d82d13", name: "demo" },
};
const READ = [
  "id",
  "name",
  "status",
  "admin_state_up",
  "external_gateway_info",
  "routes",
  "distributed",
  "ha",
  "availability_zones",
  "project_id",
  "tenant_id",
  "description",
  "tags",
  "created_at",
  "updated_at",
  "revision_number",
];

describe("normalizeRouter", () => {
  it("maps the show sample to the expected model", () => {
    const wire = fixture<{ router: RouterWire }>("network/routers/router-show-response.json").router;
    const expected: Router = {
      location: {
        cloud: "example",
        region: "RegionOne",
        project: { id: "0bd18306d801447bb457a46252d82d13", name: "demo" },
      },
      id: "f8a44de0-fc8e-45df-93c7-f79bf3b01c95",
      name: "router1",
      status: "ACTIVE",
      isAdminStateUp: true,
      externalGateway: {
        networkId: "ae34051f-aa6c-4c75-abf5-50dc9ac99ef3",
        enableSnat: true,
        externalFixedIps: [
          { ipAddress: "172.24.4.6", subnetId: "b930d7f6-ceb7-40a0-8b81-a425dd994ccf" },
          { ipAddress: "2001:db8::9", subnetId: "0c56df5d-ace5-46c8-8f4c-45fa4e334d18" },
        ],
      },
      routes: [{ destination: "179.24.1.0/24", nexthop: "172.24.3.99" }],
      isDistributed: false,
      isHa: false,
      availabilityZones: ["nova"],
      tags: ["tag1,tag2"],
      createdAt: "2018-03-19T19:17:04Z",
      updatedAt: "2018-03-19T19:17:22Z",
      revisionNumber: 1,
      properties: {
        availability_zone_hints: [],
        flavor_id: "f7b14d9a-b0dc-4fbe-bb14-a0f4970a69e0",
        service_type_id: null,
        conntrack_helpers: [],
      },
    };
    expect(normalizeRouter(wire, ctx)).toEqual(expected);
  });

  it("has no gateway when external_gateway_info is null", () => {
    const wire = fixture<{ router: RouterWire }>("network/routers/router-show-response.json").router;
    expect(normalizeRouter({ ...wire, external_gateway_info: null }, ctx)).not.toHaveProperty(
      "externalGateway",
    );
  });

  it.each(
    fixtureFiles(
      "network/routers",
      /router-(create|show|update)-response\.json$|routers-list-response\.json$/,
    ),
  )("normalizes every router in %s", (path) => {
    const routers = itemsOf<RouterWire>(fixture(path), "router", "routers");
    expect(routers.length).toBeGreaterThan(0);
    for (const wire of routers) {
      const router = normalizeRouter(wire, ctx);
      expect(router.externalGateway?.networkId).toBe(wire.external_gateway_info?.network_id);
      expectNothingLost(wire, router, READ);
    }
  });
});
