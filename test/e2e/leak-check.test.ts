import { describe, expect, it } from "vitest";
import { findLeaks, type LeakKind, type Listed, type Snapshot } from "./leak-check.js";

const P = "oaktree-e2e-abc-";
const baseline: Snapshot = new Map<LeakKind, Set<string>>([
  ["network", new Set(["net-old"])],
  ["port", new Set(["port-old"])],
  ["floating_ip", new Set(["fip-old"])],
]);

describe("findLeaks", () => {
  it("counts named resources by the run prefix in a shared project", () => {
    const now: Listed[] = [
      { kind: "server", id: "s1", name: `${P}vm` },
      { kind: "server", id: "s2", name: "someone-elses-vm" },
      { kind: "network", id: "net-old", name: "private" },
      { kind: "volume", id: "v1", name: `${P}vol` },
    ];
    expect(findLeaks(now, P, baseline).map((l) => l.id)).toEqual(["s1", "v1"]);
  });

  it("counts new floating IPs and ports, but not infrastructure ports of old networks", () => {
    const now: Listed[] = [
      { kind: "floating_ip", id: "fip-old", name: "203.0.113.10" },
      { kind: "floating_ip", id: "fip-new", name: "203.0.113.11" },
      { kind: "port", id: "port-old", name: "" },
      { kind: "port", id: "port-vm", name: "", deviceOwner: "compute:nova", networkId: "net-old" },
      { kind: "port", id: "port-dhcp", name: "", deviceOwner: "network:dhcp", networkId: "net-old" },
      {
        kind: "port",
        id: "port-ri",
        name: "",
        deviceOwner: "network:router_interface",
        networkId: "net-old",
      },
      {
        kind: "port",
        id: "port-ri-new",
        name: "",
        deviceOwner: "network:router_interface",
        networkId: "net-new",
      },
    ];
    expect(findLeaks(now, P, baseline).map((l) => l.id)).toEqual(["fip-new", "port-vm", "port-ri-new"]);
  });

  it("counts everything but the default security group in a project the suite made", () => {
    const now: Listed[] = [
      { kind: "security_group", id: "sg1", name: "default" },
      { kind: "network", id: "n1", name: "auto_allocated_network" },
    ];
    expect(findLeaks(now, P).map((l) => l.id)).toEqual(["n1"]);
  });
});
