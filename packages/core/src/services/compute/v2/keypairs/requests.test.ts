import { describe, expect, it } from "vitest";
import { NotSupportedError } from "../../../../errors.js";
import { collect } from "../../../../http/paginate.js";
import { fixture } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import { createKeypair, deleteKeypair, getKeypair, listKeypairs } from "./requests.js";

const sample = (path: string) => fixture(`compute/os-keypairs/${path}`);

describe("keypairs", () => {
  it("lists, unwrapping entries and following keypairs_links (2.35)", async () => {
    const page = sample("v2.35/keypairs-list-resp.json") as { keypairs_links: { href: string }[] };
    const client = scriptedClient(
      [
        { method: "GET", path: "/os-keypairs", query: { user_id: "user1", limit: 1 }, response: page },
        { method: "GET", path: page.keypairs_links[0]!.href, response: { keypairs: [] } },
      ],
      { microversion: "2.35" },
    );
    const keypairs = await collect(listKeypairs(client, { userId: "user1", limit: 1 }));
    expect(keypairs.map((k) => [k.name, k.type])).toEqual([
      ["keypair-5d935425-31d5-48a7-a0f1-e76e9813f2c3", "ssh"],
    ]);
    client.assertDone();
  });

  it("creates (generated and imported) with the upstream bodies and accepts 200 or 201", async () => {
    const imported = sample("v2.2/keypairs-import-post-req.json") as {
      keypair: { name: string; public_key: string };
    };
    const client = scriptedClient(
      [
        {
          method: "POST",
          path: "/os-keypairs",
          json: sample("keypairs-post-req.json"),
          response: sample("keypairs-post-resp.json"),
        },
        {
          method: "POST",
          path: "/os-keypairs",
          json: imported,
          status: 201,
          response: sample("v2.2/keypairs-import-post-resp.json"),
        },
        {
          method: "POST",
          path: "/os-keypairs",
          json: sample("v2.10/keypairs-post-req.json"),
          status: 201,
          response: sample("v2.10/keypairs-post-resp.json"),
        },
      ],
      { microversion: "2.10" },
    );
    const generated = await createKeypair(client, { name: "keypair-ab9ff2e6-a6d7-4915-a241-044c369c07f9" });
    expect(generated.private_key).toMatch(/PRIVATE KEY/);
    const made = await createKeypair(client, {
      name: imported.keypair.name,
      type: "ssh",
      publicKey: imported.keypair.public_key,
    });
    expect(made.fingerprint).toBeTruthy();
    await createKeypair(client, {
      name: "keypair-ab9ff2e6-a6d7-4915-a241-044c369c07f9",
      type: "ssh",
      userId: "fake",
    });
    client.assertDone();
  });

  it("gates type, userId and key generation", async () => {
    const v21 = scriptedClient([], { microversion: "2.1" });
    await expect(createKeypair(v21, { name: "k", type: "ssh" })).rejects.toThrow(/2\.2/);
    await expect(createKeypair(v21, { name: "k", userId: "u" })).rejects.toThrow(/2\.10/);
    await expect(collect(listKeypairs(v21, { limit: 5 }))).rejects.toThrow(NotSupportedError);
    const v292 = scriptedClient([], { microversion: "2.92" });
    await expect(createKeypair(v292, { name: "k" })).rejects.toThrow(/removed in compute microversion 2\.92/);
    expect(v21.calls.length + v292.calls.length).toBe(0);
  });

  it("gets and deletes (202 or 204)", async () => {
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/os-keypairs/k%201",
          query: {},
          response: sample("v2.2/keypairs-get-resp.json"),
        },
        { method: "DELETE", path: "/os-keypairs/k%201", query: { user_id: "u" }, status: 204 },
      ],
      { microversion: "2.10" },
    );
    expect((await getKeypair(client, "k 1")).type).toBe("ssh");
    await deleteKeypair(client, "k 1", { userId: "u" });
    expect(client.calls[1]?.okStatus).toEqual([202, 204]);
    client.assertDone();
  });
});
