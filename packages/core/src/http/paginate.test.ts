import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { scriptedClient } from "../testing/scripted-client.js";
import {
  collect,
  linksStrategy,
  markerStrategy,
  nextPathStrategy,
  PaginationLoopError,
  paginate,
} from "./paginate.js";

const FIXTURES = fileURLToPath(new URL("../../testdata/upstream", import.meta.url));

function fixture<T>(path: string): T {
  return JSON.parse(readFileSync(`${FIXTURES}/${path}`, "utf8")) as T;
}

interface Named {
  readonly id: string;
  readonly name?: string;
}

describe("linksStrategy", () => {
  it("follows nova's servers_links (fixture) and stops on a page without a next link", async () => {
    const page1 = fixture<{ servers: Named[]; servers_links: { href: string; rel: string }[] }>(
      "nova/api_samples/servers/servers-list-resp.json",
    );
    const next = page1.servers_links.find((l) => l.rel === "next")!.href;
    expect(next).toContain("marker=");
    const client = scriptedClient(
      [
        { method: "GET", path: "/servers", query: { limit: 1 }, response: page1 },
        {
          method: "GET",
          path: next,
          response: { servers: [{ id: "second", name: "b" }], servers_links: [] },
        },
      ],
      // The fixture's links are on the same host as this endpoint, so they are followed verbatim.
      { endpoint: "http://openstack.example.com/v2.1/6f70656e737461636b20342065766572" },
    );
    const servers = await collect(
      paginate<Named>(
        client,
        { method: "GET", path: "/servers", query: { limit: 1 } },
        linksStrategy("servers"),
      ),
    );
    expect(servers.map((s) => s.id)).toEqual([page1.servers[0]!.id, "second"]);
    client.assertDone();
  });

  it("follows neutron's networks_links, ignoring the previous link", async () => {
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/v2.0/networks",
          response: {
            networks: [{ id: "n1" }, { id: "n2" }],
            networks_links: [
              { href: "https://net.example:9696/v2.0/networks?limit=2&marker=n2", rel: "next" },
              {
                href: "https://net.example:9696/v2.0/networks?limit=2&marker=n1&page_reverse=True",
                rel: "previous",
              },
            ],
          },
        },
        {
          method: "GET",
          path: "https://net.example:9696/v2.0/networks?limit=2&marker=n2",
          response: {
            networks: [{ id: "n3" }],
            networks_links: [
              {
                href: "https://net.example:9696/v2.0/networks?limit=2&marker=n3&page_reverse=True",
                rel: "previous",
              },
            ],
          },
        },
      ],
      { serviceType: "network", endpoint: "https://net.example:9696" },
    );
    const networks = await collect(
      paginate<Named>(
        client,
        { method: "GET", path: "/v2.0/networks", query: { limit: 2 } },
        linksStrategy("networks"),
      ),
    );
    expect(networks.map((n) => n.id)).toEqual(["n1", "n2", "n3"]);
    client.assertDone();
  });

  it("stops instead of looping when the cloud links back to a page already read", async () => {
    const loop = {
      servers: [{ id: "a" }],
      servers_links: [{ href: "https://cloud.example/v2.1/servers?marker=a", rel: "next" }],
    };
    const client = scriptedClient([
      { method: "GET", path: "/servers", response: loop },
      { method: "GET", path: "https://cloud.example/v2.1/servers?marker=a", response: loop },
    ]);
    const seen: string[] = [];
    const run = async () => {
      for await (const server of paginate<Named>(
        client,
        { method: "GET", path: "/servers" },
        linksStrategy("servers"),
      )) {
        seen.push(server.id);
      }
    };
    await expect(run()).rejects.toBeInstanceOf(PaginationLoopError);
    expect(seen).toEqual(["a", "a"]);
  });

  it("fetches lazily: a consumer that stops early makes no further calls", async () => {
    const client = scriptedClient([
      {
        method: "GET",
        path: "/servers",
        response: {
          servers: [{ id: "a" }, { id: "b" }],
          servers_links: [{ href: "https://cloud.example/v2.1/servers?marker=b", rel: "next" }],
        },
      },
    ]);
    for await (const server of paginate<Named>(
      client,
      { method: "GET", path: "/servers" },
      linksStrategy("servers"),
    )) {
      expect(server.id).toBe("a");
      break;
    }
    expect(client.calls).toHaveLength(1);
  });

  it("treats an empty or non-object body as an empty page", async () => {
    const client = scriptedClient([{ method: "GET", path: "/servers", status: 200 }]);
    expect(
      await collect(paginate(client, { method: "GET", path: "/servers" }, linksStrategy("servers"))),
    ).toEqual([]);
  });
});

describe("nextPathStrategy", () => {
  it("reads glance's image list (fixture: no next, one page)", async () => {
    const page = fixture<{ images: Named[]; first: string }>("glance/v2/samples/images-list-response.json");
    const client = scriptedClient([{ method: "GET", path: "/images", response: page }], {
      serviceType: "image",
      endpoint: "https://glance.example:9292/v2",
    });
    const images = await collect(
      paginate<Named>(client, { method: "GET", path: "/images" }, nextPathStrategy("images")),
    );
    expect(images.map((i) => i.id)).toEqual(page.images.map((i) => i.id));
    client.assertDone();
  });

  it("follows glance's next path relative to the versioned endpoint", async () => {
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/images",
          query: { limit: 1, visibility: "public" },
          response: {
            images: [{ id: "i1" }],
            next: "/v2/images?limit=1&visibility=public&marker=i1",
            first: "/v2/images",
          },
        },
        {
          method: "GET",
          path: "/images?limit=1&visibility=public&marker=i1",
          response: { images: [{ id: "i2" }], first: "/v2/images" },
        },
      ],
      { serviceType: "image", endpoint: "https://cloud.example/image/v2" },
    );
    const images = await collect(
      paginate<Named>(
        client,
        { method: "GET", path: "/images", query: { limit: 1, visibility: "public" } },
        nextPathStrategy("images"),
      ),
    );
    expect(images.map((i) => i.id)).toEqual(["i1", "i2"]);
    // The original query is not appended twice to a next path that already carries it.
    expect(client.calls[1]?.query).toBeUndefined();
  });
});

describe("markerStrategy", () => {
  it("sends the limit from the first page and pages by the last id until a short page", async () => {
    const client = scriptedClient([
      {
        method: "GET",
        path: "/os-floating-ips",
        query: { limit: 2 },
        response: { floating_ips: [{ id: "f1" }, { id: "f2" }] },
      },
      {
        method: "GET",
        path: "/os-floating-ips",
        query: { limit: 2, marker: "f2" },
        response: { floating_ips: [{ id: "f3" }] },
      },
    ]);
    const ips = await collect(
      paginate<Named>(
        client,
        { method: "GET", path: "/os-floating-ips" },
        markerStrategy("floating_ips", 2, (ip) => ip.id),
      ),
    );
    expect(ips.map((ip) => ip.id)).toEqual(["f1", "f2", "f3"]);
    client.assertDone();
  });

  it("makes one more call after a full last page and stops on the empty one", async () => {
    const client = scriptedClient([
      {
        method: "GET",
        path: "/c",
        query: { limit: 1, format: "json" },
        response: { objects: [{ id: "o1" }] },
      },
      {
        method: "GET",
        path: "/c",
        query: { limit: 1, format: "json", marker: "o1" },
        response: { objects: [] },
      },
    ]);
    const objects = await collect(
      paginate<Named>(
        client,
        { method: "GET", path: "/c", query: { format: "json" } },
        markerStrategy("objects", 1, (o) => o.id),
      ),
    );
    expect(objects.map((o) => o.id)).toEqual(["o1"]);
    client.assertDone();
  });
});
