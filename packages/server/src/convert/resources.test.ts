import type { Location } from "@oaktree/core/models/location.js";
import { describe, expect, it } from "vitest";
import { Direction } from "../gen/oaktree/v1/security_group_pb.js";
import { limitsToProto } from "./limits.js";
import { portToProto } from "./port.js";
import { routerToProto } from "./router.js";
import { securityGroupToProto } from "./security-group.js";
import { volumeToProto } from "./volume.js";

const location: Location = { cloud: "c", region: "r", project: { id: "p" } };

describe("resource converters", () => {
  it("limits: reported values as int64, unreported ones unset, the rest in properties", () => {
    const limits = limitsToProto({
      location,
      maxTotalInstances: 10,
      totalInstancesUsed: 0,
      maxTotalCores: -1,
      maxImageMeta: 128,
      rate: [],
      properties: { maxPersonality: 5 },
    });
    expect(limits.maxTotalInstances).toBe(10n);
    expect(limits.totalInstancesUsed).toBe(0n);
    expect(limits.maxTotalCores).toBe(-1n);
    expect(limits.maxTotalFloatingIps).toBeUndefined();
    expect(limits.properties).toEqual({ maxPersonality: 5, maxImageMeta: 128 });
    expect(limits.location?.project?.id).toBe("p");
  });

  it("security groups: directions as the enum, absent ports unset (any), the group's location on each rule", () => {
    const group = securityGroupToProto({
      location,
      id: "g",
      name: "web",
      tags: [],
      rules: [
        { id: "1", securityGroupId: "g", direction: "egress", ethertype: "IPv6", properties: {} },
        {
          id: "2",
          securityGroupId: "g",
          direction: "ingress",
          ethertype: "IPv4",
          protocol: "tcp",
          portRangeMin: 0,
          portRangeMax: 22,
          properties: {},
        },
      ],
      isShared: true,
      properties: {},
    });
    expect(group.rules.map((rule) => rule.direction)).toEqual([Direction.EGRESS, Direction.INGRESS]);
    expect(group.rules[0]?.portRangeMin).toBeUndefined();
    expect(group.rules[1]?.portRangeMin).toBe(0);
    expect(group.rules[1]?.location?.cloud).toBe("c");
    expect(group.isStateful).toBeUndefined();
    expect(group.properties).toEqual({ shared: true });
  });

  it("routers: the gateway's fixed IPs as addresses, no gateway left unset", () => {
    const base = {
      location,
      id: "r",
      name: "r",
      status: "ACTIVE",
      isAdminStateUp: true,
      routes: [],
      availabilityZones: [],
      tags: [],
      properties: {},
    };
    const routed = routerToProto({
      ...base,
      externalGateway: {
        networkId: "ext",
        externalFixedIps: [{ subnetId: "s", ipAddress: "203.0.113.4" }, { subnetId: "s6" }],
        enableSnat: false,
      },
    });
    expect(routed.externalGateway).toMatchObject({
      networkId: "ext",
      externalIps: ["203.0.113.4"],
      enableSnat: false,
    });
    expect(routerToProto(base).externalGateway).toBeUndefined();
  });

  it("ports and volumes: model fields the proto does not name go to properties", () => {
    const port = portToProto({
      location,
      id: "p",
      name: "",
      networkId: "n",
      fixedIps: [],
      macAddress: "fa:16:3e:00:00:01",
      status: "DOWN",
      isAdminStateUp: true,
      securityGroupIds: [],
      allowedAddressPairs: [{ ipAddress: "10.0.0.9" }],
      bindingVnicType: "normal",
      tags: [],
      properties: { extra: 1 },
    });
    expect(port.properties).toEqual({
      extra: 1,
      allowed_address_pairs: [{ ip_address: "10.0.0.9" }],
      "binding:vnic_type": "normal",
    });
    const volume = volumeToProto({
      location,
      id: "v",
      name: "v",
      status: "available",
      size: 1,
      volumeTypeId: "t",
      isBootable: false,
      attachments: [],
      metadata: {},
      imageMetadata: {},
      multiattach: false,
      encrypted: false,
      properties: {},
    });
    expect(volume.properties).toEqual({ volume_type_id: "t" });
  });
});
