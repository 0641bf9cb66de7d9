import { describe, expect, it } from "vitest";
import {
  chooseVersion,
  createDocumentCache,
  type DiscoveryContext,
  discoverVersion,
  splitServiceUrl,
} from "./discovery.js";
import { type CannedResponse, type FakeHandler, fakeHandler, fixture } from "./testdata/fixtures.js";
import { parseVersionDocument } from "./version-document.js";

const P = "1c36b64c840a42cd9e9b931a369337f0";

function context(
  routes: Parameters<typeof fakeHandler>[0],
): DiscoveryContext & { send: FakeHandler; logs: string[] } {
  const logs: string[] = [];
  return {
    send: fakeHandler(routes),
    documents: createDocumentCache(),
    logger: { debug: (fields) => logs.push(String(fields.note)) },
    logs,
  };
}

const doc = (path: string, status = 200): CannedResponse => ({ status, body: fixture(path) });

describe("splitServiceUrl", () => {
  it.each([
    ["https://c/v2.1/", undefined, { root: "https://c", versioned: "https://c/v2.1", version: [2, 1] }],
    [
      `https://v/volume/v3/${P}`,
      P,
      { root: "https://v/volume", versioned: "https://v/volume/v3", projectSegment: P },
    ],
    // Without knowing the project id, a segment after a version segment is one (keystoneauth's rule).
    [`https://o/v1/AUTH_${P}`, undefined, { root: "https://o", projectSegment: `AUTH_${P}` }],
    ["https://i.example.com", undefined, { root: "https://i.example.com" }],
    ["https://x/ec2/services/Cloud", undefined, { root: "https://x/ec2/services/Cloud" }],
  ] as const)("%s", (url, project, expected) => {
    expect(splitServiceUrl(url, project)).toMatchObject(expected);
  });
});

describe("discoverVersion", () => {
  it("nova: root document, catalog URL already at v2.1, microversion range", async () => {
    const ctx = context({
      "GET https://compute.example.com/": doc("openstacksdk-unit-fixtures/compute-version.json"),
    });
    const found = await discoverVersion(ctx, {
      serviceType: "compute",
      url: "https://compute.example.com/v2.1/",
    });
    expect(found).toMatchObject({
      endpoint: "https://compute.example.com/v2.1",
      version: "2.1",
      microversions: { min: "2.10", max: "2.53" },
      source: "root-document",
    });
    expect(found.note).toBeUndefined();
    // Roots are fetched without a token.
    expect(ctx.send.requests.map((r) => [r.url, r.skipAuth])).toEqual([
      ["https://compute.example.com/", true],
    ]);
  });

  it("nova: a legacy /v2/<project> catalog URL is moved to v2.1 (same major, other endpoint)", async () => {
    const ctx = context({
      "GET https://c.example.com/": doc("nova/api_samples/versions/versions-get-resp.json"),
    });
    const found = await discoverVersion(ctx, {
      serviceType: "compute",
      url: `https://c.example.com/v2/${P}`,
      projectId: P,
    });
    expect(found).toMatchObject({ endpoint: `https://c.example.com/v2.1/${P}`, version: "2.1" });
  });

  it("a type oaktree has no table for keeps the version its catalog URL names (devstack's compute_legacy)", async () => {
    const ctx = context({
      "GET https://c.example.com/": doc("nova/api_samples/versions/versions-get-resp.json"),
    });
    const found = await discoverVersion(ctx, {
      serviceType: "compute-legacy",
      url: `https://c.example.com/v2/${P}`,
      projectId: P,
    });
    expect(found).toMatchObject({
      endpoint: `https://c.example.com/v2/${P}`,
      version: "2",
      source: "root-document",
    });
    expect(found.microversions).toBeUndefined();
  });

  it("glance: unversioned catalog URL, v2 preferred, v1 when configured", async () => {
    const routes = { "GET https://image.example.com/": doc("openstacksdk-unit-fixtures/image-version.json") };
    const v2 = await discoverVersion(context(routes), {
      serviceType: "image",
      url: "https://image.example.com",
    });
    expect(v2).toMatchObject({ endpoint: "https://image.example.com/v2", version: "2" });
    expect(v2.microversions).toBeUndefined();
    const v1 = await discoverVersion(context(routes), {
      serviceType: "image",
      url: "https://image.example.com",
      apiVersion: "1",
    });
    expect(v1).toMatchObject({ endpoint: "https://image.example.com/v1", version: "1" });
  });

  it("glance: the real api-ref document (v2.18 ... v2.0) on a sub-URL", async () => {
    const ctx = context({
      "GET https://example.com/image/": doc("glance/versions/samples/image-versions-response.json"),
    });
    const found = await discoverVersion(ctx, { serviceType: "image", url: "https://example.com/image" });
    expect(found).toMatchObject({ endpoint: "https://example.com/image/v2", version: "2" });
    expect(found.offered).toHaveLength(19);
  });

  it("glance: links to another host (localhost) are not followed; the catalog host stays", async () => {
    const ctx = context({
      "GET https://image.example.com/": doc("openstacksdk-unit-fixtures/image-version-broken.json"),
    });
    const found = await discoverVersion(ctx, { serviceType: "image", url: "https://image.example.com/" });
    expect(found.endpoint).toBe("https://image.example.com/v2");
  });

  it("a document offering no supported version falls back to the catalog URL", async () => {
    const ctx = context({
      "GET https://example.com/image/": doc("openstacksdk-unit-fixtures/bad-glance-version.json"),
    });
    const found = await discoverVersion(ctx, { serviceType: "image", url: "https://example.com/image/" });
    expect(found).toMatchObject({
      endpoint: "https://example.com/image/v2",
      source: "catalog",
      version: "2",
    });
    expect(found.passing).toBeUndefined();
    expect(found.note).toContain("no supported version (offered: v7)");
    expect(ctx.logs).toHaveLength(1);
  });

  it("cinder: v3 chosen from a volumev2 catalog URL; project id carried over", async () => {
    const ctx = context({
      "GET https://volume.example.com/": doc("cinder/v3/samples/versions/versions-response.json"),
    });
    const found = await discoverVersion(ctx, {
      serviceType: "block-storage",
      url: `https://volume.example.com/v2/${P}`,
      projectId: P,
    });
    expect(found).toMatchObject({
      endpoint: `https://volume.example.com/v3/${P}`,
      version: "3",
      microversions: { min: "3.0", max: "3.71" },
    });
  });

  it("cinder on Kilo: only v1 and v2 offered, v2 used, configured v3 unavailable", async () => {
    const kilo = {
      versions: [
        { id: "v1.0", status: "SUPPORTED", links: [{ rel: "self", href: "http://cinder:8776/v1/" }] },
        { id: "v2.0", status: "CURRENT", links: [{ rel: "self", href: "http://cinder:8776/v2/" }] },
      ],
    };
    const ctx = context({ "GET http://cinder:8776/": { body: kilo } });
    const found = await discoverVersion(ctx, {
      serviceType: "block-storage",
      url: `http://cinder:8776/v2/${P}`,
      projectId: P,
      apiVersion: "3",
    });
    expect(found).toMatchObject({ endpoint: `http://cinder:8776/v2/${P}`, version: "2" });
    expect(found.microversions).toBeUndefined();
  });

  it("keystone: the root answers 300 Multiple Choices; v3 chosen over v2.0", async () => {
    const ctx = context({
      "GET http://example.com/identity/": doc(
        "keystone/v3/samples/admin/identity-versions-response.json",
        300,
      ),
    });
    const found = await discoverVersion(ctx, {
      serviceType: "identity",
      url: "http://example.com/identity/v2.0",
    });
    expect(found).toMatchObject({ endpoint: "http://example.com/identity/v3", version: "3" });
    const v2 = await discoverVersion(ctx, {
      serviceType: "identity",
      url: "http://example.com/identity",
      apiVersion: "2.0",
    });
    expect(v2).toMatchObject({ endpoint: "http://example.com/identity/v2.0", version: "2.0" });
    // One document for both: cached per URL.
    expect(ctx.send.requests).toHaveLength(1);
  });

  it("neutron: unversioned catalog URL", async () => {
    const ctx = context({
      "GET http://23.253.228.211:9696/": doc("neutron/v2/samples/networks/versions-list-response.json"),
    });
    const found = await discoverVersion(ctx, { serviceType: "network", url: "http://23.253.228.211:9696/" });
    expect(found).toMatchObject({ endpoint: "http://23.253.228.211:9696/v2.0", version: "2.0" });
  });

  it("placement: no version in its URLs, max_version", async () => {
    const ctx = context({
      "GET https://placement.example.com/": doc("openstacksdk-unit-fixtures/placement.json"),
    });
    const found = await discoverVersion(ctx, {
      serviceType: "placement",
      url: "https://placement.example.com",
    });
    expect(found).toMatchObject({
      endpoint: "https://placement.example.com",
      version: "1",
      microversions: { min: "1.0", max: "1.17" },
    });
  });

  it("a service oaktree has no table for: its CURRENT version", async () => {
    const ctx = context({ "GET https://dns.example.com/": doc("openstacksdk-unit-fixtures/dns.json") });
    const found = await discoverVersion(ctx, { serviceType: "dns", url: "https://dns.example.com" });
    expect(found).toMatchObject({ endpoint: "https://dns.example.com/v2", version: "2" });
  });

  it("a missing root: the versioned document, fetched with a token", async () => {
    const ctx = context({
      "GET https://c.example.com/": { status: 404, body: "<html>Not Found</html>" },
      "GET https://c.example.com": { status: 404, body: "<html>Not Found</html>" },
      "GET https://c.example.com/v2.1/": doc("nova/api_samples/versions/v21-version-get-resp.json"),
    });
    const found = await discoverVersion(ctx, {
      serviceType: "compute",
      url: `https://c.example.com/v2.1/${P}`,
      projectId: P,
    });
    expect(found).toMatchObject({
      endpoint: `https://c.example.com/v2.1/${P}`,
      version: "2.1",
      microversions: { min: "2.1", max: "2.104" },
      source: "versioned-document",
    });
    expect(found.note).toContain("https://c.example.com: HTTP 404");
    expect(ctx.send.requests.map((r) => [r.url, r.skipAuth])).toEqual([
      ["https://c.example.com/", true],
      ["https://c.example.com", true],
      ["https://c.example.com/v2.1/", false],
    ]);
  });

  it("root and versioned documents broken: the catalog URL as it is, version from its path", async () => {
    const ctx = context({
      "GET https://c.example.com/": { status: 401, body: { error: { message: "unauthorized" } } },
      "GET https://c.example.com/v2.1/": { status: 200, body: "<html>proxy</html>" },
    });
    const found = await discoverVersion(ctx, { serviceType: "compute", url: "https://c.example.com/v2.1" });
    expect(found).toMatchObject({
      endpoint: "https://c.example.com/v2.1",
      version: "2.1",
      source: "catalog",
    });
    expect(found.microversions).toBeUndefined();
    expect(found.note).toContain("HTTP 401");
    expect(found.note).toContain("not JSON");
    expect(ctx.logs).toHaveLength(1);
  });

  it("a root that 404s with a trailing slash is asked once more without it", async () => {
    const ctx = context({
      "GET http://sim/identity/": { status: 404 },
      "GET http://sim/identity": doc("keystone/v3/samples/admin/identity-versions-response.json", 300),
    });
    const found = await discoverVersion(ctx, { serviceType: "identity", url: "http://sim/identity" });
    expect(found).toMatchObject({ endpoint: "http://sim/identity/v3", source: "root-document" });
    expect(found.note).toBeUndefined();
  });

  it("a thrown transport error (connection refused, or the http stack's typed error) is a fallback too", async () => {
    const ctx = context({
      "GET https://n.example.com/": () => {
        throw Object.assign(new Error("Not Found (404 GET https://n.example.com/)"), { status: 404 });
      },
    });
    const found = await discoverVersion(ctx, { serviceType: "network", url: "https://n.example.com" });
    // neutron's API is under /v2.0 whatever its catalog URL says.
    expect(found).toMatchObject({
      endpoint: "https://n.example.com/v2.0",
      version: "2.0",
      source: "catalog",
    });
  });

  it("a root that timed out: the fallback is marked passing (found by the soak: it was kept for good)", async () => {
    const ctx = context({
      "GET https://n.example.com/": () => {
        throw Object.assign(new Error("timed out after 2000 ms (GET https://n.example.com/)"), {
          name: "TimeoutError",
        });
      },
    });
    const found = await discoverVersion(ctx, { serviceType: "network", url: "https://n.example.com" });
    expect(found).toMatchObject({ endpoint: "https://n.example.com/v2.0", source: "catalog", passing: true });
  });

  it("object-store: no request at all, v1 from the URL", async () => {
    const ctx = context({});
    const found = await discoverVersion(ctx, { serviceType: "object-store", url: `https://o/v1/AUTH_${P}` });
    expect(found).toMatchObject({ endpoint: `https://o/v1/AUTH_${P}`, version: "1", source: "catalog" });
    expect(ctx.send.requests).toHaveLength(0);
  });

  it("retries a root that failed with a connection error, but not one that said 404", async () => {
    let calls = 0;
    const ctx = context({
      "GET https://g/": () => {
        calls++;
        if (calls === 1) throw new Error("ECONNRESET");
        return doc("openstacksdk-unit-fixtures/image-version-v2.json");
      },
      "GET https://h/": { status: 404 },
      "GET https://h": { status: 404 },
    });
    expect((await discoverVersion(ctx, { serviceType: "image", url: "https://g" })).source).toBe("catalog");
    expect((await discoverVersion(ctx, { serviceType: "image", url: "https://g" })).source).toBe(
      "root-document",
    );
    await discoverVersion(ctx, { serviceType: "image", url: "https://h" });
    await discoverVersion(ctx, { serviceType: "image", url: "https://h" });
    expect(ctx.send.requests.map((r) => r.url)).toEqual([
      "https://g/",
      "https://g/",
      "https://h/",
      "https://h",
    ]);
  });

  it("aborting the signal aborts discovery", async () => {
    const controller = new AbortController();
    const ctx = context({
      "GET https://g/": () => {
        controller.abort();
        throw new DOMException("aborted", "AbortError");
      },
    });
    await expect(
      discoverVersion(ctx, { serviceType: "image", url: "https://g" }, controller.signal),
    ).rejects.toThrow("aborted");
  });
});

describe("chooseVersion", () => {
  it("prefers v2.1 over nova's deprecated v2.0 and ignores majors oaktree lacks", () => {
    const versions = parseVersionDocument(fixture("nova/api_samples/versions/versions-get-resp.json")) ?? [];
    expect(chooseVersion(versions, [2])?.id).toBe("v2.1");
    expect(chooseVersion(versions, [3])).toBeUndefined();
  });
});
