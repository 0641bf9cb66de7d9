import { describe, expect, it } from "vitest";
import { NotSupportedError } from "../../../../errors.js";
import { fixture } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import { listNovaFloatingIpPools } from "../floating-ip-pools/requests.js";
import { getNovaNetwork, listNovaNetworks } from "../networks/requests.js";
import {
  createNovaSecurityGroupRule,
  deleteNovaSecurityGroupRule,
} from "../security-group-rules/requests.js";
import {
  createNovaSecurityGroup,
  deleteNovaSecurityGroup,
  getNovaSecurityGroup,
  listNovaSecurityGroups,
  listServerNovaSecurityGroups,
  updateNovaSecurityGroup,
} from "../security-groups/requests.js";
import { proxyMicroversion } from "./proxy.js";
import {
  createNovaFloatingIp,
  deleteNovaFloatingIp,
  getNovaFloatingIp,
  listNovaFloatingIps,
} from "./requests.js";

const modern = { serviceType: "compute", microversion: "2.60" };

describe("nova-network proxy microversion", () => {
  it("pins 2.35 above it, keeps lower ones, sends none without microversions", () => {
    expect(proxyMicroversion(scriptedClient([], { microversion: "2.93" }), "x")).toBe("2.35");
    expect(proxyMicroversion(scriptedClient([], { microversion: "2.36" }), "x")).toBe("2.35");
    expect(proxyMicroversion(scriptedClient([], { microversion: "2.35" }), "x")).toBeUndefined();
    expect(proxyMicroversion(scriptedClient([], { microversion: "2.12" }), "x")).toBeUndefined();
    expect(proxyMicroversion(scriptedClient([]), "x")).toBeUndefined();
  });

  it("refuses a cloud whose minimum is above 2.35, before any I/O", async () => {
    const client = {
      ...scriptedClient([], { microversion: "2.90" }),
      microversions: { min: "2.40", max: "2.90" },
    };
    await expect(listNovaFloatingIps(client)).rejects.toThrow(NotSupportedError);
  });
});

describe("nova floating IPs and pools", () => {
  it("lists, gets, allocates from a pool and releases, pinned to 2.35", async () => {
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/os-floating-ips",
          microversion: "2.35",
          response: fixture("nova-network/os-floating-ips/floating-ips-list-resp.json"),
        },
        {
          method: "GET",
          path: "/os-floating-ips/8baeddb4-45e2-4c36-8cb7-d79439a5f67c",
          microversion: "2.35",
          response: fixture("nova-network/os-floating-ips/floating-ips-get-resp.json"),
        },
        {
          method: "POST",
          path: "/os-floating-ips",
          json: fixture("nova-network/os-floating-ips/floating-ips-create-req.json"),
          microversion: "2.35",
          response: fixture("nova-network/os-floating-ips/floating-ips-create-resp.json"),
        },
        {
          method: "POST",
          path: "/os-floating-ips",
          json: {},
          microversion: "2.35",
          response: fixture("nova-network/os-floating-ips/floating-ips-create-resp.json"),
        },
        { method: "DELETE", path: "/os-floating-ips/8baeddb4", microversion: "2.35", status: 202 },
        {
          method: "GET",
          path: "/os-floating-ip-pools",
          microversion: "2.35",
          response: fixture("nova-network/os-floating-ip-pools/floatingippools-list-resp.json"),
        },
      ],
      modern,
    );
    expect((await listNovaFloatingIps(client)).map((ip) => ip.ip)).toEqual(["172.24.4.17", "172.24.4.78"]);
    expect((await getNovaFloatingIp(client, "8baeddb4-45e2-4c36-8cb7-d79439a5f67c")).pool).toBe("public");
    expect((await createNovaFloatingIp(client, "public")).ip).toBe("172.24.4.17");
    expect((await createNovaFloatingIp(client)).instance_id).toBeNull();
    await deleteNovaFloatingIp(client, "8baeddb4");
    expect((await listNovaFloatingIpPools(client)).map((p) => p.name)).toEqual(["pool1", "pool2"]);
    client.assertDone();
  });

  it("reads the empty list", async () => {
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/os-floating-ips",
          response: fixture("nova-network/os-floating-ips/floating-ips-list-empty-resp.json"),
        },
      ],
      { microversion: "2.12" },
    );
    expect(await listNovaFloatingIps(client)).toEqual([]);
    expect(client.calls[0]?.microversion).toBeUndefined();
  });
});

describe("nova security groups, rules and networks", () => {
  it("drives groups and rules with the exact requests", async () => {
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/os-security-groups",
          query: { all_tenants: 1 },
          microversion: "2.35",
          response: fixture("nova-network/os-security-groups/security-groups-list-get-resp.json"),
        },
        {
          method: "GET",
          path: "/servers/srv1/os-security-groups",
          response: fixture("nova-network/os-security-groups/server-security-groups-list-resp.json"),
        },
        {
          method: "GET",
          path: "/os-security-groups/4e469db4",
          microversion: "2.35",
          response: fixture("nova-network/os-security-groups/security-groups-get-resp.json"),
        },
        {
          method: "POST",
          path: "/os-security-groups",
          json: fixture("nova-network/os-security-groups/security-group-post-req.json"),
          microversion: "2.35",
          response: fixture("nova-network/os-security-groups/security-groups-create-resp.json"),
        },
        {
          method: "PUT",
          path: "/os-security-groups/4e469db4",
          json: { security_group: { name: "renamed", description: "" } },
          microversion: "2.35",
          response: fixture("nova-network/os-security-groups/security-groups-create-resp.json"),
        },
        {
          method: "POST",
          path: "/os-security-group-rules",
          json: fixture("nova-network/os-security-groups/security-group-rules-post-req.json"),
          microversion: "2.35",
          response: fixture("nova-network/os-security-groups/security-group-rules-post-resp.json"),
        },
        { method: "DELETE", path: "/os-security-group-rules/r1", microversion: "2.35", status: 202 },
        { method: "DELETE", path: "/os-security-groups/4e469db4", microversion: "2.35", status: 202 },
      ],
      modern,
    );
    expect((await listNovaSecurityGroups(client, { allTenants: true }))[0]?.name).toBe("default");
    expect((await listServerNovaSecurityGroups(client, "srv1")).length).toBeGreaterThan(0);
    expect((await getNovaSecurityGroup(client, "4e469db4")).rules).toEqual([]);
    expect(
      (await createNovaSecurityGroup(client, { name: "test", description: "description" })).name,
    ).toBeTypeOf("string");
    await updateNovaSecurityGroup(client, "4e469db4", { name: "renamed" });
    const rule = await createNovaSecurityGroupRule(client, {
      parentGroupId: "d6f86d8c-06ef-4bef-8e7c-8bf8f9ba9b7a",
      ipProtocol: "tcp",
      fromPort: 22,
      toPort: 22,
      cidr: "10.0.0.0/24",
    });
    expect(rule.ip_range.cidr).toBe("10.0.0.0/24");
    await deleteNovaSecurityGroupRule(client, "r1");
    await deleteNovaSecurityGroup(client, "4e469db4");
    client.assertDone();
  });

  it("lists and gets networks", async () => {
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/os-networks",
          microversion: "2.35",
          response: fixture("nova-network/os-networks/networks-list-resp.json"),
        },
        {
          method: "GET",
          path: "/os-networks/20c8acc0",
          microversion: "2.35",
          response: fixture("nova-network/os-networks/network-show-resp.json"),
        },
      ],
      modern,
    );
    expect((await listNovaNetworks(client))[0]?.label).toBe("private");
    expect((await getNovaNetwork(client, "20c8acc0")).id).toBeTypeOf("string");
    client.assertDone();
  });

  it("validates before any I/O", async () => {
    const client = scriptedClient([], modern);
    await expect(
      createNovaSecurityGroupRule(client, { parentGroupId: "g", cidr: "0.0.0.0/0", groupId: "h" }),
    ).rejects.toThrow(/groupId: cannot be combined/);
    await expect(createNovaSecurityGroupRule(client, { parentGroupId: "g", fromPort: 22 })).rejects.toThrow(
      /ipProtocol/,
    );
    await expect(createNovaSecurityGroup(client, { name: "" })).rejects.toThrow(/name/);
    await expect(createNovaFloatingIp(client, "")).rejects.toThrow(/pool/);
    expect(client.calls).toHaveLength(0);
  });
});
