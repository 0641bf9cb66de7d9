import { describe, expect, it } from "vitest";
import { NotSupportedError, ValidationError } from "../errors.js";
import { checkMicroversion, compareMicroversions } from "./microversion.js";
import { createServiceClient, rebaseLink, resolveUrl } from "./service-client.js";
import { makeResponse } from "./transport.js";
import type { Handler, HttpRequest } from "./types.js";

/** A handler that records requests and answers 200 {}. */
function recorder() {
  const requests: HttpRequest[] = [];
  const handler: Handler = async (request) => {
    requests.push(request);
    return makeResponse(request.method, request.url, 200, new Headers(), new TextEncoder().encode("{}"));
  };
  return { handler, requests };
}

const novaHeaders = (v: string) => ({
  "X-OpenStack-Nova-API-Version": v,
  "OpenStack-API-Version": `compute ${v}`,
});

describe("resolveUrl", () => {
  it("appends relative paths to the endpoint's path, with or without a slash", () => {
    expect(resolveUrl("https://h/compute/v2.1", "/servers")).toBe("https://h/compute/v2.1/servers");
    expect(resolveUrl("https://h/compute/v2.1/", "servers/detail")).toBe(
      "https://h/compute/v2.1/servers/detail",
    );
    expect(resolveUrl("https://h/v2.1", "")).toBe("https://h/v2.1");
  });

  it("keeps a path's own query and appends `query`, repeating array keys and dropping undefined", () => {
    expect(
      resolveUrl("https://h/v2", "/images?marker=abc", {
        limit: 5,
        status: ["active", "queued"],
        name: undefined,
        all: true,
      }),
    ).toBe("https://h/v2/images?marker=abc&limit=5&status=active&status=queued&all=true");
  });

  it("uses absolute URLs as they are and encodes query values", () => {
    expect(
      resolveUrl("https://h/v2.1", "https://h/v2.1/servers?marker=x", {
        "changes-since": "2026-01-01T00:00:00+00:00",
      }),
    ).toBe("https://h/v2.1/servers?marker=x&changes-since=2026-01-01T00%3A00%3A00%2B00%3A00");
  });
});

describe("createServiceClient", () => {
  it("sends JSON with Accept, the service type and the default microversion", async () => {
    const { handler, requests } = recorder();
    const compute = createServiceClient({
      handler,
      serviceType: "compute",
      endpoint: "https://nova.example/v2.1",
      version: "2.1",
      microversions: { min: "2.1", max: "2.90" },
      microversion: "2.90",
      microversionHeaders: novaHeaders,
    });
    await compute.request({
      method: "POST",
      path: "/servers",
      json: { server: { name: "a" } },
      okStatus: [202],
      idempotent: true,
    });
    const sent = requests[0]!;
    expect(sent.url).toBe("https://nova.example/v2.1/servers");
    expect(sent.headers.get("accept")).toBe("application/json");
    expect(sent.headers.get("x-openstack-nova-api-version")).toBe("2.90");
    expect(sent.headers.get("openstack-api-version")).toBe("compute 2.90");
    expect(sent.body).toEqual({ kind: "json", value: { server: { name: "a" } } });
    expect(sent.serviceType).toBe("compute");
    expect(sent.okStatus).toEqual([202]);
    expect(sent.idempotent).toBe(true);
    expect(compute.microversion).toBe("2.90");
  });

  it("lets a call pick a microversion inside the range and its own headers win", async () => {
    const { handler, requests } = recorder();
    const compute = createServiceClient({
      handler,
      serviceType: "compute",
      endpoint: "https://nova.example/v2.1",
      version: "2.1",
      microversions: { min: "2.1", max: "2.90" },
      microversion: "2.90",
      microversionHeaders: novaHeaders,
    });
    await compute.request({
      method: "GET",
      path: "/servers",
      microversion: "2.37",
      headers: { "X-Custom": "1" },
    });
    expect(requests[0]?.headers.get("x-openstack-nova-api-version")).toBe("2.37");
    expect(requests[0]?.headers.get("x-custom")).toBe("1");
  });

  it("rejects a microversion outside the range before any I/O", async () => {
    const { handler, requests } = recorder();
    const compute = createServiceClient({
      handler,
      serviceType: "compute",
      endpoint: "https://nova.example/v2.1",
      version: "2.1",
      microversions: { min: "2.1", max: "2.60" },
      microversionHeaders: novaHeaders,
    });
    await expect(compute.request({ method: "GET", path: "/servers", microversion: "2.96" })).rejects.toThrow(
      NotSupportedError,
    );
    await expect(compute.request({ method: "GET", path: "/servers", microversion: "2.96" })).rejects.toThrow(
      "compute microversion 2.96 is not supported by this cloud (supported: 2.1 to 2.60)",
    );
    expect(requests).toHaveLength(0);
  });

  it("passes bytes and streams through, and refuses json and body together", async () => {
    const { handler, requests } = recorder();
    const image = createServiceClient({
      handler,
      serviceType: "image",
      endpoint: "https://g/v2",
      version: "2",
    });
    const bytes = {
      kind: "bytes" as const,
      value: new Uint8Array([1, 2]),
      contentType: "application/octet-stream",
    };
    await image.request({ method: "PUT", path: "/images/x/file", body: bytes, okStatus: [204] });
    expect(requests[0]?.body).toBe(bytes);
    expect(requests[0]?.headers.has("openstack-api-version")).toBe(false);
    await expect(image.request({ method: "PUT", path: "/x", body: bytes, json: {} })).rejects.toThrow(
      ValidationError,
    );
  });

  it("refuses an endpoint that is not an http(s) URL, naming the field", () => {
    expect(() =>
      createServiceClient({
        handler: recorder().handler,
        serviceType: "compute",
        endpoint: "nova:8774",
        version: "2.1",
      }),
    ).toThrow("endpoint: not an http(s) URL: nova:8774");
  });
});

describe("microversions", () => {
  it("compares numerically, not as strings", () => {
    expect(compareMicroversions("2.10", "2.9")).toBeGreaterThan(0);
    expect(compareMicroversions("3.0", "2.99")).toBeGreaterThan(0);
    expect(compareMicroversions("2.1", "2.1")).toBe(0);
  });
  it("checks the range and the syntax", () => {
    expect(() => checkMicroversion("compute", "2.1", { min: "2.1", max: "2.90" })).not.toThrow();
    expect(() => checkMicroversion("compute", "2.0", { min: "2.1", max: "2.90" })).toThrow(NotSupportedError);
    expect(() => checkMicroversion("image", "2.5", undefined)).toThrow("image has no microversions here");
    expect(() => checkMicroversion("compute", "latest", { min: "2.1", max: "2.90" })).toThrow(
      'microversion: "latest" is not of the form X.Y',
    );
  });
});

describe("rebaseLink", () => {
  it("keeps links on the endpoint's origin untouched", () => {
    expect(rebaseLink("https://c.example/v2.1/servers?marker=x", "https://c.example/v2.1")).toBe(
      "https://c.example/v2.1/servers?marker=x",
    );
  });
  it("moves http links and internal hosts under the endpoint, keeping its path prefix", () => {
    expect(rebaseLink("http://c.example/v2.1/servers?marker=x", "https://c.example/v2.1")).toBe(
      "https://c.example/v2.1/servers?marker=x",
    );
    expect(
      rebaseLink("http://nova-api:8774/v2.1/p/servers/detail?marker=x", "https://c.example/compute/v2.1/p"),
    ).toBe("https://c.example/compute/v2.1/p/servers/detail?marker=x");
  });
  it("leaves URLs alone whose path is not under the endpoint's version", () => {
    expect(rebaseLink("http://neutron:9696/v2.0/ports?marker=x", "https://c.example:9696")).toBe(
      "http://neutron:9696/v2.0/ports?marker=x",
    );
    expect(rebaseLink("https://swift.example/v1/AUTH_p/c", "https://c.example/v2.1")).toBe(
      "https://swift.example/v1/AUTH_p/c",
    );
  });
  it("sends a paginated next link from a proxied backend to the endpoint", async () => {
    const { handler, requests } = recorder();
    const volume = createServiceClient({
      handler,
      serviceType: "block-storage",
      endpoint: "https://cloud.example/volume/v3/p1",
      version: "3",
    });
    await volume.request({ method: "GET", path: "http://controller:8776/v3/p1/volumes/detail?marker=v1" });
    expect(requests[0]?.url).toBe("https://cloud.example/volume/v3/p1/volumes/detail?marker=v1");
  });
});
