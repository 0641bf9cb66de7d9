import { describe, expect, it } from "vitest";
import { collect } from "../../../../http/paginate.js";
import { fixture } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import {
  addRouterInterface,
  createRouter,
  deleteRouter,
  getRouter,
  listRouters,
  removeRouterInterface,
  updateRouter,
} from "./requests.js";

const init = { serviceType: "network", endpoint: "https://net.example/v2.0", version: "2.0" };

describe("routers", () => {
  it("creates with an external gateway, exactly like the upstream sample request", async () => {
    const client = scriptedClient(
      [
        {
          method: "POST",
          path: "/routers",
          json: fixture("network/routers/router-create-request.json"),
          status: 201,
          response: fixture("network/routers/router-create-response.json"),
        },
      ],
      init,
    );
    const router = await createRouter(client, {
      name: "router1",
      adminStateUp: true,
      externalGateway: {
        networkId: "ae34051f-aa6c-4c75-abf5-50dc9ac99ef3",
        enableSnat: true,
        externalFixedIps: [{ ipAddress: "172.24.4.6", subnetId: "b930d7f6-ceb7-40a0-8b81-a425dd994ccf" }],
      },
    });
    expect(router.external_gateway_info?.network_id).toBe("ae34051f-aa6c-4c75-abf5-50dc9ac99ef3");
    client.assertDone();
  });

  it("lists, gets, updates (clearing the gateway) and deletes", async () => {
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/routers",
          query: { name: "router1", "tags-any": "x,y" },
          response: fixture("network/routers/routers-list-response.json"),
        },
        {
          method: "GET",
          path: "/routers/r1",
          response: fixture("network/routers/router-show-response.json"),
        },
        {
          method: "PUT",
          path: "/routers/r1",
          json: { router: { external_gateway_info: {}, routes: [] } },
          response: fixture("network/routers/router-update-response.json"),
        },
        { method: "DELETE", path: "/routers/r1", status: 204 },
      ],
      init,
    );
    const routers = await collect(listRouters(client, { name: "router1", tagsAny: ["x", "y"] }));
    expect(routers.length).toBeGreaterThan(0);
    expect((await getRouter(client, "r1")).routes).toEqual([
      { destination: "179.24.1.0/24", nexthop: "172.24.3.99" },
    ]);
    await updateRouter(client, "r1", { externalGateway: null, routes: [] });
    await deleteRouter(client, "r1");
    client.assertDone();
  });

  it("adds and removes interfaces by subnet or port", async () => {
    const client = scriptedClient(
      [
        {
          method: "PUT",
          path: "/routers/r1/add_router_interface",
          json: fixture("network/routers/router-add-interface-request.json"),
          response: fixture("network/routers/router-add-interface-response.json"),
        },
        {
          method: "PUT",
          path: "/routers/r1/remove_router_interface",
          json: fixture("network/routers/router-remove-interface-request-with-port.json"),
          response: fixture("network/routers/router-remove-interface-response.json"),
        },
      ],
      init,
    );
    const added = await addRouterInterface(client, "r1", {
      subnetId: "a2f1f29d-571b-4533-907f-5803ab96ead1",
    });
    expect(added.port_id).toBe("2dc46bcc-d1f2-4077-b99e-91ee28afaff0");
    const removePort = fixture<{ port_id: string }>(
      "network/routers/router-remove-interface-request-with-port.json",
    );
    const removed = await removeRouterInterface(client, "r1", { portId: removePort.port_id });
    expect(removed.subnet_ids).toEqual(["4e5fe97c-82bc-432e-87d8-06d7e157dffa"]);
    client.assertDone();
  });

  it("validates before any I/O", () => {
    const client = scriptedClient([], init);
    expect(() => addRouterInterface(client, "r1", {} as { subnetId: string })).toThrow(
      /interface: give exactly/,
    );
    expect(() => createRouter(client, { externalGateway: { networkId: "" } })).toThrow(
      /externalGateway.networkId/,
    );
    expect(() => updateRouter(client, "r1", {})).toThrow(/nothing to update/);
    expect(client.calls).toHaveLength(0);
  });
});
