import { createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fakeContext } from "../testing/fake-context.js";
import { fixture } from "../testing/fixtures.js";
import { scriptedClient } from "../testing/scripted-client.js";
import {
  createKeypair,
  deleteKeypair,
  findKeypair,
  generateRsaKeypair,
  getKeypair,
  listKeypairs,
} from "./keypairs.js";

describe("keypairs", () => {
  it("nova generates the key before 2.92: the private key comes back", async () => {
    const compute = scriptedClient(
      [
        {
          method: "POST",
          path: "/os-keypairs",
          json: { keypair: { name: "k1" } },
          response: fixture("compute/os-keypairs/keypairs-post-resp.json"),
        },
      ],
      { microversion: "2.1" },
    );
    const keypair = await createKeypair(fakeContext({ clients: { compute } }), { name: "k1" });
    expect(keypair.privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    compute.assertDone();
  });

  it("from 2.92 oaktree generates the pair and imports the public key", async () => {
    const compute = scriptedClient(
      [
        {
          method: "POST",
          path: "/os-keypairs",
          status: 201,
          response: fixture("compute/os-keypairs/v2.92/keypairs-import-post-resp.json"),
        },
      ],
      { microversion: "2.92" },
    );
    const keypair = await createKeypair(fakeContext({ clients: { compute } }), { name: "k2" });
    const sent = compute.calls[0]?.json as { keypair: { name: string; public_key: string } };
    expect(sent.keypair.name).toBe("k2");
    expect(sent.keypair.public_key).toMatch(/^ssh-rsa AAAA/);
    expect(keypair.privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
  });

  it("imports a given public key; rejects one that is not OpenSSH before any I/O", async () => {
    const ctx = fakeContext({ clients: { compute: scriptedClient([]) } });
    await expect(createKeypair(ctx, { name: "k", publicKey: "-----BEGIN PUBLIC KEY-----" })).rejects.toThrow(
      "publicKey: must be an OpenSSH public key",
    );
  });

  it("the generated public key is the private key's", () => {
    const { publicKey, privateKey } = generateRsaKeypair();
    const fromPrivate = createPublicKey(privateKey).export({ format: "jwk" });
    const blob = Buffer.from(publicKey.split(" ")[1] ?? "", "base64");
    // The modulus is the last field of the ssh-rsa blob.
    const eLength = blob.readUInt32BE(11);
    const nLength = blob.readUInt32BE(15 + eLength);
    const n = blob.subarray(19 + eLength, 19 + eLength + nLength);
    expect(Buffer.from(n[0] === 0 ? n.subarray(1) : n).toString("base64url")).toBe(fromPrivate.n);
  });

  it("get, find, list, delete", async () => {
    const compute = scriptedClient([
      {
        method: "GET",
        path: "/os-keypairs/nope",
        status: 404,
        response: { itemNotFound: { message: "gone" } },
      },
      {
        method: "GET",
        path: "/os-keypairs/nope",
        status: 404,
        response: { itemNotFound: { message: "gone" } },
      },
      {
        method: "GET",
        path: "/os-keypairs",
        response: fixture("compute/os-keypairs/keypairs-list-resp.json"),
      },
      { method: "DELETE", path: "/os-keypairs/k1", status: 202 },
      {
        method: "DELETE",
        path: "/os-keypairs/k1",
        status: 404,
        response: { itemNotFound: { message: "gone" } },
      },
    ]);
    const ctx = fakeContext({ clients: { compute } });
    expect(await findKeypair(ctx, "nope")).toBeUndefined();
    await expect(getKeypair(ctx, "nope")).rejects.toThrow('keypair "nope" not found');
    expect((await listKeypairs(ctx)).length).toBeGreaterThan(0);
    expect(await deleteKeypair(ctx, "k1")).toBe(true);
    expect(await deleteKeypair(ctx, "k1")).toBe(false);
    compute.assertDone();
  });
});
