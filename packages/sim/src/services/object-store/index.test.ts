import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { swiftStore } from "./store.js";
import { startTestCloud, type TestCloud } from "./test-client.js";

let cloud: TestCloud;
let acct: string;
beforeAll(async () => {
  cloud = await startTestCloud({ profile: "rackspace" });
  acct = `/object-store/v1/AUTH_${cloud.projectId}`;
});
afterAll(() => cloud.sim.stop());

describe("object-store (swift)", () => {
  it("serves /info without a token", async () => {
    const res = await fetch(`${cloud.sim.url}/object-store/info`);
    expect(res.status).toBe(200);
    const info = (await res.json()) as { swift: { version: string } };
    expect(typeof info.swift.version).toBe("string");
  });

  it("creates containers and objects with md5 ETags, lists and reads them", async () => {
    expect((await cloud.call("PUT", `${acct}/images`)).status).toBe(201);
    expect((await cloud.call("PUT", `${acct}/images`)).status).toBe(202);
    const put = await cloud.call("PUT", `${acct}/images/dir/disk.vhd`, {
      body: "0123456789",
      headers: { "content-type": "application/octet-stream", "x-object-meta-color": "blue" },
    });
    expect(put.status).toBe(201);
    expect(put.headers.get("etag")).toBe("781e5e245d69b566979b86e28d23f2c7");

    const head = await cloud.call("HEAD", `${acct}/images/dir/disk.vhd`);
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("10");
    expect(head.headers.get("x-object-meta-color")).toBe("blue");
    const get = await cloud.call("GET", `${acct}/images/dir/disk.vhd`);
    expect(await get.text()).toBe("0123456789");

    const listing = (await (await cloud.call("GET", `${acct}/images?format=json`)).json()) as {
      name: string;
      bytes: number;
      hash: string;
    }[];
    expect(listing).toEqual([
      expect.objectContaining({ name: "dir/disk.vhd", bytes: 10, hash: "781e5e245d69b566979b86e28d23f2c7" }),
    ]);
    const delim = (await (
      await cloud.call("GET", `${acct}/images?format=json&delimiter=/`)
    ).json()) as unknown[];
    expect(delim).toEqual([{ subdir: "dir/" }]);

    const acctHead = await cloud.call("HEAD", acct);
    expect(acctHead.status).toBe(204);
    expect(acctHead.headers.get("x-account-object-count")).toBe("1");
    const plain = await cloud.call("GET", acct);
    expect(await plain.text()).toBe("images\n");
  });

  it("refuses to delete a non-empty container (409), then deletes", async () => {
    await cloud.call("PUT", `${acct}/c2`);
    await cloud.call("PUT", `${acct}/c2/o`, { body: "x" });
    const res = await cloud.call("DELETE", `${acct}/c2`);
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect((await cloud.call("DELETE", `${acct}/c2/o`)).status).toBe(204);
    expect((await cloud.call("DELETE", `${acct}/c2`)).status).toBe(204);
    expect((await cloud.call("GET", `${acct}/c2`)).status).toBe(404);
  });

  it("rejects other projects' accounts, bad ETags and oversized bodies", async () => {
    expect((await cloud.call("GET", `/object-store/v1/AUTH_${cloud.adminProjectId}`)).status).toBe(403);
    await cloud.call("PUT", `${acct}/c3`);
    expect(
      (await cloud.call("PUT", `${acct}/c3/o`, { body: "abc", headers: { etag: "0".repeat(32) } })).status,
    ).toBe(422);
    expect((await cloud.call("PUT", `${acct}/missing/o`, { body: "abc" })).status).toBe(404);
    const store = swiftStore(cloud.sim.admin.state.world);
    store.maxObjectBytes = 4;
    expect((await cloud.call("PUT", `${acct}/c3/big`, { body: "too large" })).status).toBe(413);
    store.maxObjectBytes = 1024 ** 3;
  });
});
