import { describe, expect, it } from "vitest";
import { FAKE_PROJECT, fakeCapabilities, fakeContext } from "../testing/fake-context.js";
import { scriptedClient } from "../testing/scripted-client.js";
import { deleteUnattachedFloatingIps, OAKTREE_FLOATING_IP_MARK } from "./floating-ips.js";

const fip = (id: string, portId: string | null) => ({
  id,
  floating_ip_address: `203.0.113.${id.length}`,
  floating_network_id: "ext-net",
  port_id: portId,
  fixed_ip_address: portId ? "10.0.0.5" : null,
  status: portId ? "ACTIVE" : "DOWN",
  description: OAKTREE_FLOATING_IP_MARK,
  project_id: FAKE_PROJECT.id,
  tags: [],
});

describe("deleteUnattachedFloatingIps", () => {
  it("skips an IP that got attached between the listing and its deletion (read again first)", async () => {
    const network = scriptedClient(
      [
        {
          method: "GET",
          path: "/floatingips",
          query: { project_id: FAKE_PROJECT.id },
          response: { floatingips: [fip("fip-a", null), fip("fip-bb", null)] },
        },
        // fip-a was bound to a port since the listing: left alone.
        { method: "GET", path: "/floatingips/fip-a", response: { floatingip: fip("fip-a", "port-1") } },
        { method: "GET", path: "/floatingips/fip-bb", response: { floatingip: fip("fip-bb", null) } },
        { method: "DELETE", path: "/floatingips/fip-bb", status: 204 },
      ],
      { serviceType: "network", endpoint: "https://net.example/v2.0", version: "2.0" },
    );
    const ctx = fakeContext({ clients: { network } });
    fakeCapabilities(ctx);
    const deleted = await deleteUnattachedFloatingIps(ctx);
    expect(deleted.map((ip) => ip.id)).toEqual(["fip-bb"]);
    network.assertDone();
  });
});
