import { describe, expect, it } from "vitest";
import { collect } from "../../../../http/paginate.js";
import { fixture } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import { createSubnet, deleteSubnet, getSubnet, listSubnets, updateSubnet } from "./requests.js";

const init = { serviceType: "network", endpoint: "https://net.example/v2.0", version: "2.0" };

describe("subnets", () => {
  it("lists, gets, creates, updates and deletes with the exact requests", async () => {
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/subnets",
          query: { network_id: "net-1", ip_version: 4, enable_dhcp: true },
          response: fixture("network/subnets/subnets-list-response.json"),
        },
        {
          method: "GET",
          path: "/subnets/s1",
          response: fixture("network/subnets/subnet-show-response.json"),
        },
        {
          method: "POST",
          path: "/subnets",
          json: fixture("network/subnets/subnet-create-request.json"),
          status: 201,
          response: fixture("network/subnets/subnet-create-response.json"),
        },
        {
          method: "PUT",
          path: "/subnets/s1",
          json: fixture("network/subnets/subnet-update-request.json"),
          response: fixture("network/subnets/subnet-update-response.json"),
        },
        { method: "DELETE", path: "/subnets/s1", status: 204 },
      ],
      init,
    );
    const subnets = await collect(
      listSubnets(client, { networkId: "net-1", ipVersion: 4, enableDhcp: true }),
    );
    expect(subnets.length).toBeGreaterThan(0);
    expect(subnets.every((s) => typeof s.cidr === "string")).toBe(true);
    expect((await getSubnet(client, "s1")).cidr).toBe("192.0.0.0/8");
    const created = await createSubnet(client, {
      networkId: "d32019d3-bc6e-4319-9c1d-6722fc136a22",
      ipVersion: 4,
      cidr: "192.168.199.0/24",
    });
    expect(created.cidr).toBe("192.168.199.0/24");
    expect((await updateSubnet(client, "s1", { name: "my_subnet" })).name).toBe("my_subnet");
    await deleteSubnet(client, "s1");
    client.assertDone();
  });

  it("validates before any I/O", () => {
    const client = scriptedClient([], init);
    expect(() => createSubnet(client, { networkId: "n", ipVersion: 4 })).toThrow(/cidr: is required/);
    expect(() => createSubnet(client, { networkId: "n", ipVersion: 5 as 4, cidr: "x" })).toThrow(/ipVersion/);
    expect(() => createSubnet(client, { networkId: "", ipVersion: 4, cidr: "x" })).toThrow(/networkId/);
    expect(client.calls).toHaveLength(0);
  });
});
