import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../errors.js";
import { collect } from "../../../../http/paginate.js";
import { fixture } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import { createNetwork, deleteNetwork, getNetwork, listNetworks, updateNetwork } from "./requests.js";
import type { NetworkWire } from "./wire.js";

const init = { serviceType: "network", endpoint: "https://net.example/v2.0", version: "2.0" };

describe("networks", () => {
  it("lists with filters mapped through the query table", async () => {
    const body = fixture<{ networks: NetworkWire[] }>("network/networks/networks-list-response.json");
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/networks",
          query: {
            "router:external": false,
            is_default: false,
            name: "net1",
            project_id: "p1",
            tags: "a,b",
            "tags-any": "c",
            changed_since: "2026-01-02T03:04:05.000Z",
            fields: ["id", "name"],
          },
          response: body,
        },
      ],
      init,
    );
    const networks = await collect(
      listNetworks(client, {
        routerExternal: false,
        isDefault: false,
        name: "net1",
        projectId: "p1",
        tags: ["a", "b"],
        tagsAny: ["c"],
        changedSince: new Date("2026-01-02T03:04:05Z"),
        fields: ["id", "name"],
      }),
    );
    expect(networks.map((n) => n.name)).toEqual(["net1", "net2"]);
    expect(networks[0]?.["router:external"]).toBe(false);
    client.assertDone();
  });

  it("follows networks_links rel=next with the link's own query", async () => {
    const [first, second] = fixture<{ networks: NetworkWire[] }>(
      "network/networks/networks-list-response.json",
    ).networks;
    const next = "https://net.example/v2.0/networks?limit=1&marker=d32019d3-bc6e-4319-9c1d-6722fc136a22";
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/networks",
          query: { limit: 1 },
          response: { networks: [first], networks_links: [{ rel: "next", href: next }] },
        },
        {
          method: "GET",
          path: next,
          response: { networks: [second], networks_links: [{ rel: "previous", href: next }] },
        },
      ],
      init,
    );
    const ids = (await collect(listNetworks(client, { limit: 1 }))).map((n) => n.id);
    expect(ids).toEqual([first?.id, second?.id]);
    client.assertDone();
  });

  it("rejects bad options before any I/O", () => {
    const client = scriptedClient([], init);
    expect(() => listNetworks(client, { limit: 0 })).toThrow(ValidationError);
    expect(() => listNetworks(client, { changedSince: "yesterday" })).toThrow(/changedSince/);
    expect(() => getNetwork(client, "")).toThrow(/id: must be a non-empty string/);
    expect(() => updateNetwork(client, "n1", {})).toThrow(/changes: nothing to update/);
    expect(client.calls).toHaveLength(0);
  });

  it("gets, creates, updates and deletes", async () => {
    const show = fixture<{ network: NetworkWire }>("network/networks/network-provider-show-response.json");
    const created = fixture("network/networks/network-provider-create-response.json");
    const updated = fixture("network/networks/network-update-response.json");
    const client = scriptedClient(
      [
        { method: "GET", path: "/networks/d32019d3-bc6e-4319-9c1d-6722fc136a22", response: show },
        {
          method: "POST",
          path: "/networks",
          json: fixture("network/networks/network-provider-create-request.json"),
          status: 201,
          response: created,
        },
        {
          method: "PUT",
          path: "/networks/n%2F1",
          json: { network: { name: "sample_network_5_updated", mtu: 1300, "router:external": true } },
          response: updated,
        },
        { method: "DELETE", path: "/networks/n1", status: 204 },
      ],
      init,
    );
    const got = await getNetwork(client, "d32019d3-bc6e-4319-9c1d-6722fc136a22");
    expect(got["provider:network_type"]).toBe("local");
    const made = await createNetwork(client, {
      adminStateUp: true,
      name: "net1",
      providerNetworkType: "vlan",
      providerPhysicalNetwork: "public",
      providerSegmentationId: 2,
      qosPolicyId: "6a8454ade84346f59e8d40665f878b2e",
    });
    expect(made.name).toBe("net1");
    const changed = await updateNetwork(client, "n/1", {
      name: "sample_network_5_updated",
      mtu: 1300,
      routerExternal: true,
    });
    expect(changed.mtu).toBe(1300);
    await deleteNetwork(client, "n1");
    client.assertDone();
  });
});
