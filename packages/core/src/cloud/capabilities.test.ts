import { describe, expect, it } from "vitest";
import { fakeContext } from "../testing/fake-context.js";
import { fixture } from "../testing/fixtures.js";
import { type ScriptedCall, scriptedClient } from "../testing/scripted-client.js";
import {
  decideFloatingIpModel,
  decideGetMeANetwork,
  decideImageUploadMethods,
  decideSecurityGroupModel,
  getCapabilities,
  imageCapabilities,
} from "./capabilities.js";

const extensions = (...aliases: string[]) => ({
  extensions: aliases.map((alias) => ({ alias, name: alias, description: alias, links: [] })),
});
const network = (script: ScriptedCall[]) =>
  scriptedClient(script, { serviceType: "network", endpoint: "https://net.example/v2.0", version: "2.0" });

describe("decision tables", () => {
  it("floating IPs: config, neutron with an external network, nova pools, none", () => {
    const base = { neutron: true, neutronL3: true, externalNetworks: 1 };
    expect(decideFloatingIpModel({ ...base, configured: "none" }).model).toBe("none");
    expect(decideFloatingIpModel(base).model).toBe("neutron");
    expect(decideFloatingIpModel({ ...base, externalNetworks: 0 })).toEqual({
      model: "none",
      reason: "neutron has no external network",
    });
    expect(decideFloatingIpModel({ ...base, neutronL3: false }).model).toBe("none");
    expect(
      decideFloatingIpModel({ neutron: false, neutronL3: false, externalNetworks: 0, novaPools: 2 }).model,
    ).toBe("nova");
    expect(
      decideFloatingIpModel({ neutron: false, neutronL3: false, externalNetworks: 0, novaPools: 0 }).reason,
    ).toBe("no neutron, and nova-network has no floating IP pool");
  });

  it("security groups: config, neutron extension, nova proxy", () => {
    expect(
      decideSecurityGroupModel({
        configured: "None",
        neutron: true,
        neutronSecurityGroups: true,
        novaProxy: false,
      }).model,
    ).toBe("none");
    expect(
      decideSecurityGroupModel({ neutron: true, neutronSecurityGroups: true, novaProxy: false }).model,
    ).toBe("neutron");
    expect(
      decideSecurityGroupModel({ neutron: false, neutronSecurityGroups: false, novaProxy: true }).model,
    ).toBe("nova");
    expect(
      decideSecurityGroupModel({ neutron: false, neutronSecurityGroups: false, novaProxy: false }).model,
    ).toBe("none");
  });

  it("image upload methods by glance version, import methods, tasks and object storage", () => {
    const v2 = {
      apiVersion: "2",
      importMethods: ["glance-direct", "web-download"],
      useTasks: false,
      objectStore: true,
    };
    expect(decideImageUploadMethods(v2).methods).toEqual(["v2-put", "v2-import", "task-import"]);
    expect(decideImageUploadMethods({ ...v2, importMethods: [], objectStore: false }).methods).toEqual([
      "v2-put",
    ]);
    expect(decideImageUploadMethods({ ...v2, useTasks: true }).methods).toEqual([
      "task-import",
      "v2-put",
      "v2-import",
    ]);
    expect(decideImageUploadMethods({ ...v2, useTasks: true, objectStore: false }).methods).toEqual([
      "v2-put",
      "v2-import",
    ]);
    expect(decideImageUploadMethods({ ...v2, apiVersion: "1" }).methods).toEqual(["v1-post"]);
  });

  it("get-me-a-network: nova 2.37 needs neutron's extension too", () => {
    const facts = { neutron: true, autoAllocatedTopology: true, routers: true, externalNetworks: 1 };
    expect(decideGetMeANetwork({ ...facts, computeMaxMicroversion: "2.37" }).method).toBe("nova-auto");
    expect(decideGetMeANetwork({ ...facts, computeMaxMicroversion: "2.36" }).method).toBe(
      "auto-allocated-topology",
    );
    expect(
      decideGetMeANetwork({ ...facts, computeMaxMicroversion: "2.90", autoAllocatedTopology: false }).method,
    ).toBe("build");
    expect(decideGetMeANetwork({ ...facts, autoAllocatedTopology: false, externalNetworks: 0 }).method).toBe(
      "none",
    );
    expect(decideGetMeANetwork({ ...facts, neutron: false, autoAllocatedTopology: false }).method).toBe(
      "none",
    );
  });
});

describe("getCapabilities", () => {
  it("probes a neutron cloud once, whatever the number of callers", async () => {
    const schema = fixture("image/schemas-image-show-response.json");
    const ctx = fakeContext({
      clients: {
        network: network([
          {
            method: "GET",
            path: "/extensions",
            response: extensions("router", "security-group", "standard-attr-tag"),
          },
          {
            method: "GET",
            path: "/networks",
            query: { "router:external": true },
            response: { networks: [{ id: "ext-1", name: "public", "router:external": true }] },
          },
        ]),
        compute: scriptedClient(
          [{ method: "GET", path: "/limits", response: fixture("compute/limits/limit-get-resp.json") }],
          { microversion: "2.90" },
        ),
        image: scriptedClient(
          [
            { method: "GET", path: "/schemas/image", response: schema },
            { method: "GET", path: "/info/import", status: 404, response: { message: "not found" } },
          ],
          { serviceType: "image", version: "2" },
        ),
      },
    });
    const [caps, again] = await Promise.all([getCapabilities(ctx), getCapabilities(ctx)]);
    expect(again).toBe(caps);
    expect(caps.floatingIps).toMatchObject({ model: "neutron", externalNetworkIds: ["ext-1"] });
    expect(caps.securityGroups.model).toBe("neutron");
    expect(caps.getMeANetwork.method).toBe("build");
    expect(caps.images).toMatchObject({ apiVersion: "2", uploadMethods: ["v2-put"], importMethods: [] });
    expect(caps.images.diskFormats).toContain("qcow2");
    expect(caps.images.diskFormats).not.toContain(null);
    expect(caps.networkExtensions).toEqual(["router", "security-group", "standard-attr-tag"]);
    expect(caps.services.map((service) => service.serviceType).sort()).toEqual([
      "compute",
      "image",
      "network",
    ]);
    expect(caps.computeLimits?.maxTotalInstances).toBe(10);
    expect(caps.location.project.id).toBe("p-demo");
  });

  it("a nova-network cloud: floating IPs and security groups through nova, glance v1 formats", async () => {
    const ctx = fakeContext({
      clients: {
        compute: scriptedClient(
          [
            {
              method: "GET",
              path: "/os-floating-ip-pools",
              response: { floating_ip_pools: [{ name: "nova" }] },
            },
            { method: "GET", path: "/limits", response: fixture("compute/limits/limit-get-resp.json") },
          ],
          { microversion: "2.12" },
        ),
        image: scriptedClient([], { serviceType: "image", version: "1" }),
      },
    });
    const caps = await getCapabilities(ctx);
    expect(caps.floatingIps).toMatchObject({ model: "nova", novaPools: ["nova"], externalNetworkIds: [] });
    expect(caps.securityGroups.model).toBe("nova");
    expect(caps.getMeANetwork.method).toBe("none");
    expect(caps.images.uploadMethods).toEqual(["v1-post"]);
    expect(caps.images.diskFormats).toContain("vhd");
  });

  it("image_api_use_tasks from the vendor profile puts task import first", async () => {
    const ctx = fakeContext({
      config: { extra: { image_api_use_tasks: true }, imageFormat: "vhd" },
      clients: {
        image: scriptedClient(
          [
            {
              method: "GET",
              path: "/schemas/image",
              response: fixture("image/schemas-image-show-response.json"),
            },
            {
              method: "GET",
              path: "/info/import",
              response: fixture("image/image-info-import-response.json"),
            },
          ],
          { serviceType: "image", version: "2" },
        ),
        "object-store": scriptedClient([], { serviceType: "object-store", version: "1" }),
      },
    });
    const images = await imageCapabilities(ctx);
    expect(images.uploadMethods[0]).toBe("task-import");
    expect(images.defaultDiskFormat).toBe("vhd");
  });
});
