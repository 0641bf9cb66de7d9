import { describe, expect, it } from "vitest";
import {
  catalogRegions,
  catalogServiceTypes,
  hasProjectTemplate,
  parseV2Catalog,
  parseV3Catalog,
  type ServiceCatalog,
  selectEndpoint,
  substituteProjectId,
} from "./catalog.js";
import { fixture } from "./testdata/fixtures.js";

const PROJECT = "1c36b64c840a42cd9e9b931a369337f0";

function v3(path: string): ServiceCatalog {
  return parseV3Catalog(fixture<{ token: { catalog: unknown } }>(path).token.catalog);
}

describe("parseV3Catalog", () => {
  it("parses openstacksdk's multi-service v3 catalog", () => {
    const catalog = v3("openstacksdk-unit-fixtures-2019/catalog-v3.json");
    expect(catalogServiceTypes(catalog)).toEqual([
      "compute",
      "block-storage",
      "image",
      "identity",
      "network",
      "container-infrastructure-management",
      "object-store",
      "baremetal",
      "orchestration",
      "placement",
      "dns",
      "clustering",
    ]);
    const compute = catalog.find((e) => e.type === "compute");
    expect(compute?.name).toBe("nova");
    expect(compute?.endpoints).toContainEqual({
      interface: "internal",
      region: "RegionOne",
      url: "https://internal.compute.example.com/v2.1/",
    });
    expect(catalogRegions(catalog)).toEqual(["RegionOne"]);
  });

  it("parses keystone's own token samples (region_id and region)", () => {
    const catalog = v3("keystone/v3/samples/auth/responses/project-scoped-password.json");
    expect(catalog).toHaveLength(1);
    expect(catalog[0]?.serviceType).toBe("identity");
    expect(catalog[0]?.endpoints.map((e) => e.interface)).toEqual(["public", "admin", "internal"]);
    const listed = parseV3Catalog(
      fixture<{ catalog: unknown }>("keystone/v3/samples/admin/get-service-catalog-response.json").catalog,
    );
    expect(listed[0]?.endpoints[0]).toEqual({
      interface: "public",
      region: "RegionOne",
      url: "http://localhost:5000",
    });
  });

  it("skips malformed entries instead of failing the whole catalog", () => {
    const catalog = parseV3Catalog([
      {
        type: "compute",
        endpoints: [{ interface: "public", url: "https://c/v2.1" }, { interface: "public" }],
      },
      { endpoints: [] },
      null,
      { type: "image", endpoints: [{ interface: "weird", url: "https://i" }] },
    ]);
    expect(catalog).toEqual([
      {
        type: "compute",
        serviceType: "compute",
        endpoints: [{ interface: "public", url: "https://c/v2.1" }],
      },
      { type: "image", serviceType: "image", endpoints: [] },
    ]);
    expect(parseV3Catalog(undefined)).toEqual([]);
  });
});

describe("parseV2Catalog", () => {
  it("turns publicURL/internalURL/adminURL into interfaces", () => {
    const catalog = parseV2Catalog(
      fixture<{ access: { serviceCatalog: unknown } }>("openstacksdk-unit-fixtures-2019/catalog-v2.json")
        .access.serviceCatalog,
    );
    const compute = catalog.find((e) => e.type === "compute");
    expect(compute?.endpoints).toEqual([
      { interface: "public", region: "RegionOne", url: `https://compute.example.com/v2.1/${PROJECT}` },
      { interface: "internal", region: "RegionOne", url: `https://compute.example.com/v2.1/${PROJECT}` },
      { interface: "admin", region: "RegionOne", url: `https://compute.example.com/v2.1/${PROJECT}` },
    ]);
    expect(catalog.filter((e) => e.serviceType === "block-storage").map((e) => e.type)).toEqual([
      "volumev2",
      "volume",
    ]);
  });

  it("parses keystone's historical v2.0 token response (unknown types kept as they are)", () => {
    const access = fixture<{ access: { serviceCatalog: unknown } }>(
      "keystone-v2.0-historical/v2/samples/admin/authenticate-response.json",
    ).access;
    const catalog = parseV2Catalog(access.serviceCatalog);
    expect(catalog.map((e) => e.serviceType)).toEqual([
      "compute",
      "network",
      "block-storage",
      "computev3",
      "s3",
      "image",
      "block-storage",
      "ec2",
      "object-store",
      "identity",
    ]);
    const swift = catalog.find((e) => e.type === "object-store");
    expect(swift?.endpoints.find((e) => e.interface === "admin")?.url).toBe("http://23.253.72.207:8080");
  });
});

describe("selectEndpoint", () => {
  const v2Catalog = parseV2Catalog(
    fixture<{ access: { serviceCatalog: unknown } }>(
      "keystone-v2.0-historical/v2/samples/admin/authenticate-response.json",
    ).access.serviceCatalog,
  );
  const catalog: ServiceCatalog = [
    {
      type: "volume",
      serviceType: "block-storage",
      endpoints: [{ interface: "public", region: "R1", url: "https://v/v1/%(tenant_id)s" }],
    },
    {
      type: "volumev2",
      serviceType: "block-storage",
      endpoints: [{ interface: "public", region: "R1", url: "https://v/v2/%(tenant_id)s" }],
    },
    {
      type: "volumev3",
      serviceType: "block-storage",
      endpoints: [
        { interface: "public", region: "R1", url: "https://v/v3/%(project_id)s" },
        { interface: "internal", region: "R1", url: "https://v-int/v3/%(project_id)s" },
        { interface: "public", region: "R2", url: "https://v.r2/v3/%(project_id)s" },
      ],
    },
    {
      type: "compute",
      serviceType: "compute",
      endpoints: [{ interface: "public", region: "R2", url: "https://c.r2/v2.1" }],
    },
  ];

  it.each([
    [{ serviceType: "block-storage" }, "https://v/v3/%(project_id)s"],
    [{ serviceType: "block-storage", major: 2 }, "https://v/v2/%(tenant_id)s"],
    [{ serviceType: "block-storage", major: 3 }, "https://v/v3/%(project_id)s"],
    [{ serviceType: "volume" }, "https://v/v1/%(tenant_id)s"],
    [{ serviceType: "volumev2" }, "https://v/v2/%(tenant_id)s"],
    [{ serviceType: "block-storage", interface: "internal" }, "https://v-int/v3/%(project_id)s"],
    [{ serviceType: "block-storage", region: "R2" }, "https://v.r2/v3/%(project_id)s"],
    [{ serviceType: "compute" }, "https://c.r2/v2.1"],
    [{ serviceType: "compute", region: "R1" }, undefined],
    [{ serviceType: "compute", interface: "admin" }, undefined],
    [{ serviceType: "image" }, undefined],
  ] as const)("%o -> %s", (query, url) => {
    expect(selectEndpoint(catalog, query)?.endpoint.url).toBe(url);
  });

  it("finds a type the authority does not know under either spelling (compute_legacy)", () => {
    const legacy: ServiceCatalog = parseV3Catalog([
      { type: "compute_legacy", endpoints: [{ interface: "public", url: "https://c/v2/P" }] },
    ]);
    expect(legacy[0]?.serviceType).toBe("compute-legacy");
    expect(selectEndpoint(legacy, { serviceType: "compute-legacy" })?.endpoint.url).toBe("https://c/v2/P");
    expect(selectEndpoint(legacy, { serviceType: "compute_legacy" })?.endpoint.url).toBe("https://c/v2/P");
  });

  it("prefers volumev2 over v1 `volume` on a Kilo-era catalog", () => {
    const selected = selectEndpoint(v2Catalog, { serviceType: "block-storage" });
    expect(selected?.entry.type).toBe("volumev2");
    expect(selected?.endpoint.url).toBe("http://23.253.72.207:8776/v2/73f0aa26640f4971864919d0eb0f0880");
  });
});

describe("project id templating", () => {
  it.each([
    ["https://c/v2/%(tenant_id)s", "https://c/v2/P"],
    ["https://c/v2/%(project_id)s", "https://c/v2/P"],
    ["https://c/v2/$(tenant_id)s", "https://c/v2/P"],
    ["https://c/v2/$(project_id)s", "https://c/v2/P"],
    ["https://c/v2/{project_id}", "https://c/v2/P"],
    ["https://c/v2/{tenant_id}/x", "https://c/v2/P/x"],
    ["https://o/v1/AUTH_%(tenant_id)s", "https://o/v1/AUTH_P"],
    ["https://c/v2.1", "https://c/v2.1"],
  ])("%s -> %s", (url, expected) => {
    expect(substituteProjectId(url, "P")).toBe(expected);
    expect(hasProjectTemplate(substituteProjectId(url, "P"))).toBe(false);
  });

  it("leaves the template when there is no project (unscoped token)", () => {
    expect(substituteProjectId("https://c/v3/%(project_id)s", undefined)).toBe("https://c/v3/%(project_id)s");
    expect(hasProjectTemplate("https://c/v3/%(project_id)s")).toBe(true);
  });
});
