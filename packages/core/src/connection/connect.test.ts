import { afterEach, describe, expect, it, vi } from "vitest";
import { type CannedResponse, cloudConfig, fakeHandler, fixture } from "../catalog/testdata/fixtures.js";
import { NotSupportedError } from "../errors.js";
import type { HttpRequest } from "../http/types.js";
import { connect, REDISCOVER_GUESS_AFTER_MS } from "./connect.js";

const KS = "https://identity.example.com";
const P = "1c36b64c840a42cd9e9b931a369337f0";

/** A cloud answering like openstacksdk's catalog-v3.json fixture, with real version documents. */
function cloud(extra: Record<string, CannedResponse | ((r: HttpRequest) => CannedResponse)> = {}) {
  let issued = 0;
  const transport = fakeHandler({
    [`GET ${KS}/`]: { status: 300, body: fixture("openstacksdk-unit-fixtures/discovery.json") },
    [`POST ${KS}/v3/auth/tokens`]: () => {
      issued++;
      return {
        status: 201,
        headers: { "x-subject-token": `tok-${issued}` },
        body: fixture("openstacksdk-unit-fixtures-2019/catalog-v3.json"),
      };
    },
    "GET https://compute.example.com/": { body: fixture("openstacksdk-unit-fixtures/compute-version.json") },
    "GET https://volume.example.com/": { body: fixture("cinder/v3/samples/versions/versions-response.json") },
    "GET https://image.example.com/": { body: fixture("openstacksdk-unit-fixtures/image-version.json") },
    "GET https://network.example.com/": {
      body: fixture("neutron/v2/samples/networks/versions-list-response.json"),
    },
    "GET https://placement.example.com/": { body: fixture("openstacksdk-unit-fixtures/placement.json") },
    "GET https://dns.example.com/": { body: fixture("openstacksdk-unit-fixtures/dns.json") },
    "GET https://clustering.example.com/": { body: fixture("openstacksdk-unit-fixtures/clustering.json") },
    "GET https://bare-metal.example.com/": { body: fixture("openstacksdk-unit-fixtures/baremetal.json") },
    ...extra,
  });
  return transport;
}

const config = (extra: Parameters<typeof cloudConfig>[1] = {}) =>
  cloudConfig({ authUrl: KS, username: "u", password: "p", projectName: "Default Project" }, extra);

describe("connect", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("a service guessed while its document timed out is discovered again after a while, not kept", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    let roots = 0;
    const transport = cloud({
      "GET https://network.example.com/": () => {
        roots += 1;
        if (roots === 1) throw Object.assign(new Error("timed out after 2000 ms"), { name: "TimeoutError" });
        return { body: fixture("neutron/v2/samples/networks/versions-list-response.json") };
      },
    });
    const conn = await connect(config(), { transport, retry: false });
    const guessed = (await conn.services()).find((s) => s.serviceType === "network");
    expect(guessed).toMatchObject({ endpoint: "https://network.example.com/v2.0", source: "catalog" });
    await conn.serviceClient("network");
    expect(roots).toBe(1);
    vi.setSystemTime(Date.now() + REDISCOVER_GUESS_AFTER_MS + 1);
    await conn.serviceClient("network");
    expect(roots).toBe(2);
    const discovered = (await conn.services()).find((s) => s.serviceType === "network");
    expect(discovered).toMatchObject({
      endpoint: "https://network.example.com/v2.0",
      source: "root-document",
    });
    await conn.close();
  });

  it("authenticates at once and exposes the token's project", async () => {
    const transport = cloud();
    const conn = await connect(config(), { transport, retry: false });
    expect(conn.project).toEqual({
      id: P,
      name: "Default Project",
      domainId: "default",
      domainName: "default",
    });
    expect(conn.normalizeContext()).toEqual({ cloud: "test", project: conn.project });
    expect(transport.requests.map((r) => r.method)).toEqual(["GET", "POST"]);
    await conn.close();
  });

  it("lazy: nothing is sent until a token is needed", async () => {
    const transport = cloud();
    const conn = await connect(config(), { transport, lazy: true });
    expect(transport.requests).toHaveLength(0);
    expect(conn.project).toBeUndefined();
    expect((await conn.token()).project?.id).toBe(P);
  });

  it("serviceClient: discovered endpoint, negotiated microversion, the service's headers and the token", async () => {
    const transport = cloud({
      "GET https://compute.example.com/v2.1/servers": (r) => ({
        body: { seen: Object.fromEntries(r.headers) },
      }),
    });
    const conn = await connect(config(), { transport, retry: false });
    const compute = await conn.serviceClient("compute");
    expect(compute).toMatchObject({
      serviceType: "compute",
      endpoint: "https://compute.example.com/v2.1",
      version: "2.1",
      microversions: { min: "2.10", max: "2.53" },
      microversion: "2.53",
    });
    const seen = (await compute.request({ method: "GET", path: "/servers" })).json<{
      seen: Record<string, string>;
    }>().seen;
    expect(seen["x-auth-token"]).toBe("tok-1");
    expect(seen["x-openstack-nova-api-version"]).toBe("2.53");
    expect(seen["openstack-api-version"]).toBe("compute 2.53");
    // Cached: asking again sends nothing more.
    const before = transport.requests.length;
    expect(await conn.serviceClient("compute")).toBe(compute);
    expect(transport.requests.length).toBe(before);
  });

  it("a microversion outside the negotiated range fails before any request", async () => {
    const transport = cloud();
    const conn = await connect(config(), { transport, retry: false });
    const compute = await conn.serviceClient("compute");
    const before = transport.requests.length;
    await expect(compute.request({ method: "GET", path: "/servers", microversion: "2.60" })).rejects.toThrow(
      NotSupportedError,
    );
    await expect(compute.request({ method: "GET", path: "/servers", microversion: "2.9" })).rejects.toThrow(
      /2.10 to 2.53/,
    );
    expect(transport.requests.length).toBe(before);
  });

  it("block-storage by any alias: v3 from a volumev2 catalog, project id kept, volume header", async () => {
    const conn = await connect(config(), { transport: cloud(), retry: false });
    for (const alias of ["block-storage", "volume", "volumev3"]) {
      const client = await conn.serviceClient(alias);
      expect(client).toMatchObject({
        serviceType: "block-storage",
        endpoint: `https://volume.example.com/v3/${P}`,
        version: "3",
        microversion: "3.70",
        microversions: { min: "3.0", max: "3.70" },
      });
    }
  });

  it("honours <service>_api_version and <service>_endpoint_override with project templating", async () => {
    const transport = cloud({
      "GET https://override.example.com/": { body: fixture("openstacksdk-unit-fixtures/image-version.json") },
    });
    const conn = await connect(
      config({
        apiVersions: { image: "1" },
        endpointOverrides: {
          "block-storage": "https://volume.example.com/v3/%(project_id)s",
          image: "https://override.example.com",
        },
      }),
      { transport, retry: false },
    );
    expect(await conn.serviceClient("image")).toMatchObject({
      endpoint: "https://override.example.com/v1",
      version: "1",
    });
    expect((await conn.serviceClient("block-storage")).endpoint).toBe(`https://volume.example.com/v3/${P}`);
  });

  it("no endpoint for the interface or region: NotSupportedError naming them", async () => {
    const conn = await connect(config({ region: "RegionTwo" }), { transport: cloud(), retry: false });
    await expect(conn.serviceClient("compute")).rejects.toThrow(
      'cloud "test" region RegionTwo has no public compute endpoint in its catalog',
    );
    const internal = await connect(config({ interface: "internal" }), { transport: cloud(), retry: false });
    expect((await internal.serviceClient("compute")).endpoint).toBe(
      "https://internal.compute.example.com/v2.1",
    );
  });

  it("services(): every catalog service, with what could not be discovered explained", async () => {
    const conn = await connect(config(), { transport: cloud(), retry: false });
    const services = await conn.services();
    const byType = Object.fromEntries(services.map((s) => [s.serviceType, s]));
    expect(Object.keys(byType).sort()).toEqual(
      [
        "baremetal",
        "block-storage",
        "clustering",
        "compute",
        "container-infrastructure-management",
        "dns",
        "identity",
        "image",
        "network",
        "object-store",
        "orchestration",
        "placement",
      ].sort(),
    );
    expect(byType.compute).toMatchObject({ version: "2.1", microversions: { min: "2.10", max: "2.53" } });
    expect(byType.image).toMatchObject({ endpoint: "https://image.example.com/v2", version: "2" });
    expect(byType.network).toMatchObject({ endpoint: "https://network.example.com/v2.0", version: "2.0" });
    expect(byType.placement).toMatchObject({
      version: "1",
      microversions: { min: "1.0", max: "1.17" },
      microversion: "1.17",
    });
    expect(byType["block-storage"]).toMatchObject({
      catalogType: "volumev2",
      name: "cinderv2",
      version: "3",
    });
    expect(byType.dns).toMatchObject({ endpoint: "https://dns.example.com/v2", version: "2" });
    // Services oaktree has no microversion table for: the server's range is still reported.
    expect(byType.baremetal).toMatchObject({ serverMicroversions: { min: "1.1", max: "1.33" } });
    expect(byType.baremetal?.microversion).toBeUndefined();
    expect(byType["object-store"]).toMatchObject({ version: "1", source: "catalog" });
    // No route for orchestration's root in this fake cloud: a fallback with the reason.
    expect(byType.orchestration).toMatchObject({ source: "catalog", version: "1" });
    expect(byType.orchestration?.note).toContain("ECONNREFUSED");
  });

  it("services() reports a service it cannot use instead of failing", async () => {
    const transport = cloud({
      "GET https://compute.example.com/": {
        body: { versions: [{ id: "v2.1", status: "CURRENT", version: "2.200", min_version: "2.150" }] },
      },
    });
    const conn = await connect(config(), { transport, retry: false });
    const compute = (await conn.services()).find((s) => s.serviceType === "compute");
    expect(compute).toMatchObject({ catalogType: "compute", name: "nova" });
    expect(compute?.error).toContain("requires microversion 2.150 or newer");
  });

  it("a 401 from a service: one re-authentication, the request retried once", async () => {
    let calls = 0;
    const transport = cloud({
      "GET https://compute.example.com/v2.1/flavors": (r) => {
        calls++;
        return r.headers.get("x-auth-token") === "tok-1"
          ? { status: 401, body: { error: { message: "token revoked", code: 401 } } }
          : { body: { flavors: [] } };
      },
    });
    const conn = await connect(config(), { transport, retry: false });
    const compute = await conn.serviceClient("compute");
    expect((await compute.request({ method: "GET", path: "/flavors" })).json()).toEqual({ flavors: [] });
    expect(calls).toBe(2);
    expect(conn.auth.current?.token).toBe("tok-2");
  });
});
