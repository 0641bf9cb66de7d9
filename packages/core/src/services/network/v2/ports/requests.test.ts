import { describe, expect, it } from "vitest";
import { collect } from "../../../../http/paginate.js";
import { fixture } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import { createPort, deletePort, getPort, listPorts, updatePort } from "./requests.js";

const init = { serviceType: "network", endpoint: "https://net.example/v2.0", version: "2.0" };

describe("ports", () => {
  it("lists by device, network, owner and fixed IPs (repeated fixed_ips terms)", async () => {
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/ports",
          query: {
            device_id: "srv-1",
            network_id: "net-1",
            device_owner: "compute:nova",
            fixed_ips: ["subnet_id=s1", "ip_address=10.0.0.3"],
          },
          response: fixture("network/ports/ports-list-response.json"),
        },
      ],
      init,
    );
    const ports = await collect(
      listPorts(client, {
        deviceId: "srv-1",
        networkId: "net-1",
        deviceOwner: "compute:nova",
        fixedIps: [{ subnetId: "s1" }, { ipAddress: "10.0.0.3" }],
      }),
    );
    expect(ports.length).toBeGreaterThan(0);
    expect(ports.every((port) => Array.isArray(port.fixed_ips))).toBe(true);
    client.assertDone();
  });

  it("gets, creates, updates and deletes", async () => {
    const client = scriptedClient(
      [
        { method: "GET", path: "/ports/p1", response: fixture("network/ports/port-show-response.json") },
        {
          method: "POST",
          path: "/ports",
          json: {
            port: {
              network_id: "a87cc70a-3e15-4acf-8205-9b711a3531b7",
              name: "private-port",
              admin_state_up: true,
              fixed_ips: [{ subnet_id: "s1", ip_address: "10.0.0.9" }],
              security_groups: ["sg1"],
              "binding:vnic_type": "normal",
            },
          },
          status: 201,
          response: fixture("network/ports/port-create-response.json"),
        },
        {
          method: "PUT",
          path: "/ports/p1",
          json: { port: { device_id: "d90a13da-be41-461f-9f99-1dbcf438fdf2", device_owner: "compute:nova" } },
          response: fixture("network/ports/port-update-response.json"),
        },
        { method: "DELETE", path: "/ports/p1", status: 204 },
      ],
      init,
    );
    expect((await getPort(client, "p1")).device_owner).toBe("network:router_interface");
    const port = await createPort(client, {
      networkId: "a87cc70a-3e15-4acf-8205-9b711a3531b7",
      name: "private-port",
      adminStateUp: true,
      fixedIps: [{ subnetId: "s1", ipAddress: "10.0.0.9" }],
      securityGroupIds: ["sg1"],
      bindingVnicType: "normal",
    });
    expect(port.name).toBe("private-port");
    const updated = await updatePort(client, "p1", {
      deviceId: "d90a13da-be41-461f-9f99-1dbcf438fdf2",
      deviceOwner: "compute:nova",
    });
    expect(updated.device_owner).toBe("compute:nova");
    await deletePort(client, "p1");
    client.assertDone();
  });

  it("validates before any I/O", () => {
    const client = scriptedClient([], init);
    expect(() => listPorts(client, { fixedIps: [{}] })).toThrow(/fixedIps\[0\]/);
    expect(() => createPort(client, { networkId: "n", fixedIps: [{}] })).toThrow(/fixedIps\[0\]/);
    expect(() => createPort(client, { networkId: "" })).toThrow(/networkId/);
    expect(client.calls).toHaveLength(0);
  });
});
