import { describe, expect, it } from "vitest";
import { collect } from "../../../../http/paginate.js";
import { fixture } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import {
  createFloatingIp,
  deleteFloatingIp,
  getFloatingIp,
  listFloatingIps,
  updateFloatingIp,
} from "./requests.js";

const init = { serviceType: "network", endpoint: "https://net.example/v2.0", version: "2.0" };

describe("floating IPs", () => {
  it("lists unattached ones on a network with tags (port_id= empty means null)", async () => {
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/floatingips",
          query: { port_id: "", floating_network_id: "ext", status: "DOWN", tags: "oaktree" },
          response: fixture("network/floatingips/floating-ips-list-response.json"),
        },
      ],
      init,
    );
    const ips = await collect(
      listFloatingIps(client, { portId: null, floatingNetworkId: "ext", status: "DOWN", tags: ["oaktree"] }),
    );
    expect(ips.map((ip) => ip.floating_ip_address)).toEqual(["172.24.4.228", "172.24.4.227", "172.24.4.42"]);
    client.assertDone();
  });

  it("creates exactly like the upstream sample, associates, disassociates, gets and deletes", async () => {
    const client = scriptedClient(
      [
        {
          method: "POST",
          path: "/floatingips",
          json: fixture("network/floatingips/floatingip-create-request.json"),
          status: 201,
          response: fixture("network/floatingips/floatingip-create-response.json"),
        },
        {
          method: "PUT",
          path: "/floatingips/f1",
          json: fixture("network/floatingips/floatingip-update-request.json"),
          response: fixture("network/floatingips/floatingip-update-response.json"),
        },
        {
          method: "PUT",
          path: "/floatingips/f1",
          json: fixture("network/floatingips/floatingip-disassociate-request.json"),
          response: fixture("network/floatingips/floatingip-disassociate-response.json"),
        },
        {
          method: "GET",
          path: "/floatingips/f1",
          response: fixture("network/floatingips/floatingip-show-response.json"),
        },
        { method: "DELETE", path: "/floatingips/f1", status: 204 },
      ],
      init,
    );
    const created = await createFloatingIp(client, {
      floatingNetworkId: "376da547-b977-4cfe-9cba-275c80debf57",
      portId: "ce705c24-c1ef-408a-bda3-7bbd946164ab",
      subnetId: "278d9507-36e7-403c-bb80-1d7093318fe6",
      fixedIpAddress: "10.0.0.3",
      floatingIpAddress: "172.24.4.228",
      description: "floating ip for testing",
      dnsDomain: "my-domain.org.",
      dnsName: "myfip",
      qosPolicyId: "29d5e02e-d5ab-4929-bee4-4a9fc12e22ae",
    });
    expect(created.port_id).toBe("ce705c24-c1ef-408a-bda3-7bbd946164ab");
    const associated = await updateFloatingIp(client, "f1", {
      portId: "fc861431-0e6c-4842-a0ed-e2363f9bc3a8",
    });
    expect(associated.port_id).toBe("fc861431-0e6c-4842-a0ed-e2363f9bc3a8");
    const freed = await updateFloatingIp(client, "f1", { portId: null });
    expect(freed.port_id).toBeNull();
    expect((await getFloatingIp(client, "f1")).floating_ip_address).toBe("172.24.4.228");
    await deleteFloatingIp(client, "f1");
    client.assertDone();
  });

  it("validates before any I/O", () => {
    const client = scriptedClient([], init);
    expect(() => createFloatingIp(client, { floatingNetworkId: "" })).toThrow(/floatingNetworkId/);
    expect(() => createFloatingIp(client, { floatingNetworkId: "x", fixedIpAddress: "10.0.0.1" })).toThrow(
      /fixedIpAddress: needs portId/,
    );
    expect(() => updateFloatingIp(client, "f1", {})).toThrow(/nothing to update/);
    expect(client.calls).toHaveLength(0);
  });
});
