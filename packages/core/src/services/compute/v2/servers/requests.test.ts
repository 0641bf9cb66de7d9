import { describe, expect, it } from "vitest";
import { NotSupportedError, ValidationError } from "../../../../errors.js";
import { collect } from "../../../../http/paginate.js";
import { fixture, fixtureFiles } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import {
  createServer,
  createServerBody,
  deleteServer,
  getServer,
  listServers,
  listServersDetail,
  updateServer,
} from "./requests.js";

const sample = (path: string) => fixture(`compute/servers/${path}`);

/** An upstream create request without the keys oaktree does not send (personality, diskConfig). */
function upstreamCreate(path: string): unknown {
  const body = structuredClone(sample(path)) as { server: Record<string, unknown> } & Record<string, unknown>;
  delete body.server.personality;
  delete body.server["OS-DCF:diskConfig"];
  body["os:scheduler_hints"] = body["OS-SCH-HNT:scheduler_hints"];
  delete body["OS-SCH-HNT:scheduler_hints"];
  return body;
}

const baseCreate = {
  name: "new-server-test",
  imageRef: "70a599e0-31e7-49b7-b260-868f441e862b",
  accessIPv4: "1.2.3.4",
  accessIPv6: "80fe::",
  availabilityZone: "us-west",
  metadata: { "My Server Name": "Apache1" },
  securityGroups: ["default"],
  userData: "IyEvYmluL2Jhc2gKL2Jpbi9zdQplY2hvICJJIGFtIGluIHlvdSEiCg==",
  schedulerHints: { same_host: "48e6a9f6-30af-47e0-bc04-acaed113bb4e" },
};

describe("listServers / listServersDetail", () => {
  it("maps filters through the query table and follows servers_links", async () => {
    const page1 = sample("servers-list-resp.json") as { servers_links: { href: string }[] };
    const next = page1.servers_links[0]!.href;
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/servers",
          query: {
            "changes-since": "2024-01-02T03:04:05.000Z",
            name: "^web",
            status: "ACTIVE",
            all_tenants: true,
            limit: 1,
            tags: "a,b",
          },
          response: page1,
        },
        { method: "GET", path: next, response: { servers: [] } },
      ],
      { microversion: "2.26" },
    );
    const servers = await collect(
      listServers(client, {
        changesSince: new Date("2024-01-02T03:04:05Z"),
        name: "^web",
        status: "ACTIVE",
        allTenants: true,
        limit: 1,
        tags: ["a", "b"],
      }),
    );
    expect(servers.map((s) => s.id)).toEqual(["22c91117-08de-4894-9aa9-6ef382400985"]);
    client.assertDone();
  });

  it("lists details from every upstream details sample, following the next link", async () => {
    for (const path of fixtureFiles("compute/servers", /servers-details-resp\.json$/)) {
      const body = fixture<{ servers: { id: string }[]; servers_links?: { href: string }[] }>(path);
      const next = body.servers_links?.[0]?.href;
      const client = scriptedClient([
        { method: "GET", path: "/servers/detail", query: {}, response: body },
        ...(next ? [{ method: "GET" as const, path: next, response: { servers: [] } }] : []),
      ]);
      const servers = await collect(listServersDetail(client));
      expect(
        servers.map((s) => s.id),
        path,
      ).toEqual(body.servers.map((s) => s.id));
      client.assertDone();
    }
  });

  it("validates and gates before any I/O", () => {
    const client = scriptedClient([], { microversion: "2.1" });
    expect(() => listServers(client, { limit: 0 })).toThrow(ValidationError);
    expect(() => listServers(client, { changesSince: "yesterday" })).toThrow(/changesSince/);
    expect(() => listServers(client, { changesBefore: "2024-01-01T00:00:00Z" })).toThrow(NotSupportedError);
    expect(() => listServers(client, { tags: ["x"] })).toThrow(/2\.26/);
    expect(client.calls).toHaveLength(0);
  });
});

describe("getServer / updateServer / deleteServer", () => {
  it("gets one server", async () => {
    const client = scriptedClient([
      {
        method: "GET",
        path: "/servers/0e44cc9c-e052-415d-afbf-469b0d384170",
        response: sample("server-get-resp.json"),
      },
    ]);
    const server = await getServer(client, "0e44cc9c-e052-415d-afbf-469b0d384170");
    expect(server["OS-EXT-AZ:availability_zone"]).toBe("us-west");
    client.assertDone();
    await expect(getServer(client, " ")).rejects.toThrow("id: must be a non-empty string");
  });

  it("updates with the upstream request body", async () => {
    const client = scriptedClient(
      [
        {
          method: "PUT",
          path: "/servers/s1",
          json: sample("v2.19/server-put-req.json"),
          response: sample("v2.19/server-put-resp.json"),
        },
      ],
      { microversion: "2.19" },
    );
    const req = (sample("v2.19/server-put-req.json") as { server: { name: string; description: string } })
      .server;
    const server = await updateServer(client, "s1", { name: req.name, description: req.description });
    expect(server.description).toBe(req.description);
    client.assertDone();
    await expect(updateServer(scriptedClient([]), "s1", { description: "x" })).rejects.toThrow(
      NotSupportedError,
    );
    await expect(updateServer(client, "s1", {})).rejects.toThrow("options: nothing to update");
  });

  it("deletes with 204", async () => {
    const client = scriptedClient([{ method: "DELETE", path: "/servers/a%2Fb", status: 204 }]);
    await deleteServer(client, "a/b");
    expect(client.calls[0]?.okStatus).toEqual([204]);
    client.assertDone();
  });
});

describe("createServer", () => {
  it("sends the upstream base request (scheduler hints at the top level) and expects 202", async () => {
    const client = scriptedClient([
      {
        method: "POST",
        path: "/servers",
        json: upstreamCreate("server-create-req.json"),
        status: 202,
        response: sample("server-create-resp.json"),
      },
    ]);
    const created = await createServer(client, { ...baseCreate, flavorRef: "1" });
    expect(created).toMatchObject({ id: "f5dc173b-6804-445a-a6d8-c705dad5b5eb", adminPass: "6NpUwoz2QDRN" });
    expect(client.calls[0]?.okStatus).toEqual([202]);
    client.assertDone();
  });

  it("sends networks auto and tags at 2.52", () => {
    const client = scriptedClient([], { microversion: "2.52" });
    const body = createServerBody(client, {
      ...baseCreate,
      flavorRef: "http://openstack.example.com/flavors/1",
      networks: "auto",
      tags: ["tag1", "tag2"],
    });
    expect(body).toEqual(upstreamCreate("v2.52/server-create-req.json"));
  });

  it("sends boot from volume with a tagged network and a volume type at 2.67", () => {
    const client = scriptedClient([], { microversion: "2.67" });
    const body = createServerBody(client, {
      name: "bfv-server-with-volume-type",
      flavorRef: "http://openstack.example.com/flavors/1",
      networks: [{ uuid: "3cb9bc59-5699-4588-a4b1-b87f96708bc6", tag: "nic1" }],
      blockDeviceMappings: [
        {
          uuid: "70a599e0-31e7-49b7-b260-868f441e862b",
          sourceType: "image",
          destinationType: "volume",
          bootIndex: 0,
          volumeSize: 1,
          tag: "disk1",
          volumeType: "lvm-1",
        },
      ],
    });
    // NOTE: the upstream sample sends volume_size as the string "1"; oaktree sends a number.
    const expected = sample("v2.67/server-create-req.json") as {
      server: { block_device_mapping_v2: Record<string, unknown>[] };
    };
    expected.server.block_device_mapping_v2[0]!.volume_size = 1;
    expect(body).toEqual(expected);
  });

  it("maps ports, fixed IPs, counts, config drive and key name", () => {
    const client = scriptedClient([], { microversion: "2.1" });
    expect(
      createServerBody(client, {
        name: "n",
        imageRef: "img",
        flavorRef: "f",
        networks: [{ port: "p1" }, { uuid: "net", fixedIp: "10.0.0.5" }],
        keyName: "k",
        configDrive: true,
        minCount: 1,
        maxCount: 2,
      }),
    ).toEqual({
      server: {
        name: "n",
        imageRef: "img",
        flavorRef: "f",
        networks: [{ port: "p1" }, { uuid: "net", fixed_ip: "10.0.0.5" }],
        key_name: "k",
        config_drive: true,
        min_count: 1,
        max_count: 2,
      },
    });
  });

  it("gates and validates fields before any I/O", async () => {
    const old = scriptedClient([], { microversion: "2.36" });
    const base = { name: "n", imageRef: "i", flavorRef: "f" };
    expect(() => createServerBody(old, { ...base, networks: "auto" })).toThrow(
      'networks "auto" needs compute microversion 2.37 or later; this cloud offers 2.36',
    );
    expect(() => createServerBody(old, { ...base, description: "d" })).not.toThrow();
    expect(() => createServerBody(old, { ...base, tags: ["t"] })).toThrow(NotSupportedError);
    expect(() => createServerBody(old, { ...base, networks: [{ uuid: "n", tag: "t" }] })).toThrow(/2\.42/);
    const v232 = scriptedClient([], { microversion: "2.32" });
    expect(() => createServerBody(v232, { ...base, networks: [{ uuid: "n", tag: "t" }] })).not.toThrow();
    const v233 = scriptedClient([], { microversion: "2.33" });
    expect(() => createServerBody(v233, { ...base, networks: [{ uuid: "n", tag: "t" }] })).toThrow(
      NotSupportedError,
    );
    const modern = scriptedClient([], { microversion: "2.90" });
    expect(() => createServerBody(modern, base)).toThrow(
      /^networks: is required from compute microversion 2\.37/,
    );
    expect(() => createServerBody(modern, { ...base, networks: [{}] })).toThrow(
      "networks[0]: needs a uuid or a port",
    );
    expect(() => createServerBody(modern, { ...base, networks: "none", userData: "#!/bin/sh" })).toThrow(
      /^userData: must be base64/,
    );
    expect(() => createServerBody(modern, { name: "n", flavorRef: "f", networks: "none" })).toThrow(
      /^imageRef/,
    );
    expect(() => createServerBody(modern, { ...base, networks: "none", minCount: 3, maxCount: 2 })).toThrow(
      "minCount: must not exceed maxCount",
    );
    expect(() =>
      createServerBody(modern, {
        ...base,
        networks: "none",
        blockDeviceMappings: [{ sourceType: "volume", bootIndex: 0 }],
      }),
    ).toThrow("blockDeviceMappings[0].uuid: is required for a volume");
    await expect(createServer(modern, base)).rejects.toThrow(ValidationError);
    expect(modern.calls).toHaveLength(0);
  });
});
