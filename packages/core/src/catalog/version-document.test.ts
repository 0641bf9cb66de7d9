import { describe, expect, it } from "vitest";
import { fixture } from "./testdata/fixtures.js";
import { parseVersionDocument, parseVersionId } from "./version-document.js";

describe("parseVersionDocument on real documents", () => {
  it("nova: legacy v2.0 without microversions and v2.1 with a range", () => {
    const versions = parseVersionDocument(fixture("nova/api_samples/versions/versions-get-resp.json"));
    expect(versions).toEqual([
      { id: "v2.0", major: 2, minor: 0, status: "deprecated", href: "http://openstack.example.com/v2/" },
      {
        id: "v2.1",
        major: 2,
        minor: 1,
        status: "current",
        href: "http://openstack.example.com/v2.1/",
        microversions: { min: "2.1", max: "2.104" },
      },
    ]);
  });

  it("nova: one version (GET /v2.1/)", () => {
    const versions = parseVersionDocument(fixture("nova/api_samples/versions/v21-version-get-resp.json"));
    expect(versions?.map((v) => [v.id, v.microversions])).toEqual([["v2.1", { min: "2.1", max: "2.104" }]]);
  });

  it("glance: many v2.x entries, no microversions", () => {
    const versions = parseVersionDocument(fixture("glance/versions/samples/image-versions-response.json"));
    expect(versions).toHaveLength(19);
    expect(versions?.[0]).toEqual({
      id: "v2.18",
      major: 2,
      minor: 18,
      status: "current",
      href: "http://glance.openstack.example.org/v2/",
    });
    expect(versions?.every((v) => v.microversions === undefined)).toBe(true);
  });

  it("cinder v3: min/max from min_version/version", () => {
    const versions = parseVersionDocument(fixture("cinder/v3/samples/versions/versions-response.json"));
    expect(versions?.[0]?.microversions).toEqual({ min: "3.0", max: "3.71" });
    expect(versions?.[0]?.href).toBe("http://127.0.0.1:45697/v3/");
  });

  it("cinder v2 sample: a placeholder max is not a microversion", () => {
    const versions = parseVersionDocument(fixture("cinder/v2/samples/versions-response.json"));
    expect(versions?.map((v) => [v.id, v.microversions])).toEqual([
      ["v2.0", undefined],
      ["v3.0", undefined],
    ]);
  });

  it("keystone: versions.values, status stable", () => {
    const versions = parseVersionDocument(
      fixture("keystone/v3/samples/admin/identity-versions-response.json"),
    );
    expect(versions?.map((v) => [v.id, v.major, v.minor, v.status, v.href])).toEqual([
      ["v3.4", 3, 4, "stable", "http://example.com/identity/v3/"],
      ["v2.0", 2, 0, "stable", "http://example.com/identity/v2.0/"],
    ]);
    expect(
      parseVersionDocument(fixture("keystone/v3/samples/admin/identity-version-response.json"))?.[0]?.id,
    ).toBe("v3.4");
  });

  it("neutron: one v2.0 entry; its resource list is not a version document", () => {
    const versions = parseVersionDocument(fixture("neutron/v2/samples/networks/versions-list-response.json"));
    expect(versions?.map((v) => [v.id, v.href])).toEqual([["v2.0", "http://23.253.228.211:9696/v2.0"]]);
    expect(
      parseVersionDocument(fixture("neutron/v2/samples/networks/version-show-response.json")),
    ).toBeUndefined();
  });

  it("placement: max_version, and an empty self link is no link", () => {
    const versions = parseVersionDocument(fixture("openstacksdk-unit-fixtures/placement.json"));
    expect(versions).toEqual([
      { id: "v1.0", major: 1, minor: 0, status: "current", microversions: { min: "1.0", max: "1.17" } },
    ]);
    expect(parseVersionDocument(fixture("openstacksdk-unit-fixtures/bad-placement.json"))?.[0]?.status).toBe(
      "unknown",
    );
  });

  it("ironic: versions beside default_version; ids without a v", () => {
    expect(
      parseVersionDocument(fixture("openstacksdk-unit-fixtures/baremetal.json"))?.[0]?.microversions,
    ).toEqual({
      min: "1.1",
      max: "1.33",
    });
    expect(parseVersionDocument(fixture("openstacksdk-unit-fixtures/accelerator.json"))?.[0]).toMatchObject({
      id: "2.0",
      major: 2,
      href: "/v2/",
    });
  });

  it("rejects what is not a version document", () => {
    expect(parseVersionDocument("<html>Not Found</html>")).toBeUndefined();
    expect(parseVersionDocument({})).toBeUndefined();
    expect(parseVersionDocument(null)).toBeUndefined();
    expect(parseVersionDocument({ versions: [{ id: "latest" }, { nope: 1 }] })).toEqual([]);
  });
});

describe("parseVersionId", () => {
  it.each([
    ["v2.1", [2, 1]],
    ["v3", [3, 0]],
    ["2.0", [2, 0]],
    ["V1", [1, 0]],
    ["AUTH_abc", undefined],
    ["v2.1.3", undefined],
  ] as const)("%s -> %o", (id, expected) => {
    expect(parseVersionId(id)).toEqual(expected);
  });
});
