import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { collect } from "../../../http/paginate.js";
import { fixture, fixtureText } from "../../../testing/fixtures.js";
import { scriptedClient } from "../../../testing/scripted-client.js";
import { headAccount, listContainers } from "./account/requests.js";
import { createContainer, deleteContainer, headContainer, listObjects } from "./containers/requests.js";
import { getSwiftInfo } from "./info/requests.js";
import { deleteObject, downloadObject, headObject, uploadObject } from "./objects/requests.js";
import { infoUrl } from "./urls.js";

const init = { serviceType: "object-store", endpoint: "https://swift.example/v1/AUTH_p1", version: "1" };

/** The headers of an upstream `HTTP/1.1 ...` sample exchange. */
function sampleHeaders(path: string): Record<string, string> {
  const lines = fixtureText(path).split(/\r?\n/).slice(1);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(":");
    if (at > 0) headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return headers;
}

describe("swift account and containers", () => {
  it("reads account totals and metadata from the upstream sample headers", async () => {
    const client = scriptedClient(
      [
        {
          method: "HEAD",
          path: "",
          status: 204,
          headers: sampleHeaders("object-store/account-containers-list-http-response-json.txt"),
        },
      ],
      init,
    );
    const account = await headAccount(client);
    expect(account).toMatchObject({
      containerCount: 2,
      objectCount: 1,
      bytesUsed: 14,
      metadata: { subject: "Literature" },
    });
    client.assertDone();
  });

  it("lists containers by marker until an empty page", async () => {
    const page = fixture<{ name: string }[]>("object-store/account-containers-list-response.json");
    const client = scriptedClient(
      [
        { method: "GET", path: "", query: { format: "json", prefix: "j" }, response: page },
        { method: "GET", path: "", query: { format: "json", prefix: "j", marker: "marktwain" }, status: 204 },
      ],
      init,
    );
    expect((await collect(listContainers(client, { prefix: "j" }))).map((c) => c.name)).toEqual([
      "janeausten",
      "marktwain",
    ]);
    client.assertDone();
  });

  it("stops on a short page when a limit is given", async () => {
    const page = fixture("object-store/objects-list-response.json");
    const client = scriptedClient(
      [{ method: "GET", path: "/images%20v1", query: { format: "json", limit: 3 }, response: page }],
      init,
    );
    const objects = await collect(listObjects(client, "images v1", { limit: 3 }));
    expect(objects.map((o) => [o.name, o.bytes, o.hash])).toEqual([
      ["goodbye", 14, "451e372e48e0f6b1114fa0724aa79fa1"],
      ["helloworld", 12, "ed076287532e86365e841e92bfc50d8c"],
    ]);
    client.assertDone();
  });

  it("creates (with ACL and metadata headers), heads and deletes a container", async () => {
    const client = scriptedClient(
      [
        { method: "PUT", path: "/marktwain", status: 201 },
        {
          method: "HEAD",
          path: "/marktwain",
          status: 204,
          headers: sampleHeaders("object-store/objects-list-http-response-json.txt"),
        },
        { method: "DELETE", path: "/marktwain", status: 204 },
      ],
      init,
    );
    await createContainer(client, "marktwain", { read: ".r:*", metadata: { Book: "TomSawyer" } });
    expect(client.calls[0]?.headers).toEqual({
      "X-Container-Meta-Book": "TomSawyer",
      "X-Container-Read": ".r:*",
    });
    expect(await headContainer(client, "marktwain")).toMatchObject({
      objectCount: 2,
      bytesUsed: 26,
      metadata: { book: "TomSawyer" },
    });
    await deleteContainer(client, "marktwain");
    client.assertDone();
  });
});

describe("swift objects", () => {
  it("uploads bytes with a computed ETag, heads, downloads and deletes", async () => {
    const content = new TextEncoder().encode(fixtureText("object-store/helloworld.txt"));
    const md5 = createHash("md5").update(content).digest("hex");
    const client = scriptedClient(
      [
        { method: "PUT", path: "/marktwain/dir/hello%20world.txt", status: 201, headers: { etag: md5 } },
        {
          method: "HEAD",
          path: "/marktwain/dir/hello%20world.txt",
          headers: { etag: md5, "content-length": "19", "x-object-meta-owner": "oaktree" },
        },
        {
          method: "GET",
          path: "/marktwain/dir/hello%20world.txt",
          response: "Hello World Again!\n",
          headers: { etag: md5 },
        },
        { method: "DELETE", path: "/marktwain/dir/hello%20world.txt", status: 204 },
      ],
      init,
    );
    const stored = await uploadObject(client, "marktwain", "dir/hello world.txt", content, {
      contentType: "text/plain",
      metadata: { owner: "oaktree" },
      deleteAfter: 3600,
    });
    expect(stored.etag).toBe(md5);
    expect(client.calls[0]?.headers).toEqual({
      "Content-Type": "text/plain",
      ETag: md5,
      "X-Delete-After": "3600",
      "X-Object-Meta-owner": "oaktree",
    });
    expect(client.calls[0]?.body).toEqual({ kind: "bytes", value: content, contentType: "text/plain" });
    expect(await headObject(client, "marktwain", "dir/hello world.txt")).toMatchObject({
      etag: md5,
      contentLength: 19,
      metadata: { owner: "oaktree" },
    });
    const got = await downloadObject(client, "marktwain", "dir/hello world.txt");
    expect(new TextDecoder().decode(got.bytes)).toBe("Hello World Again!\n");
    await deleteObject(client, "marktwain", "dir/hello world.txt");
    client.assertDone();
  });

  it("streams an upload without computing an ETag unless one is given", async () => {
    const client = scriptedClient([{ method: "PUT", path: "/c/image.qcow2", status: 201 }], init);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1, 2, 3]));
        controller.close();
      },
    });
    await uploadObject(client, "c", "image.qcow2", stream);
    expect(client.calls[0]?.headers).toEqual({ "Content-Type": "application/octet-stream" });
    expect(client.calls[0]?.body?.kind).toBe("stream");
  });

  it("validates before any I/O", async () => {
    const client = scriptedClient([], init);
    const bytes = new Uint8Array(1);
    await expect(uploadObject(client, "a/b", "o", bytes)).rejects.toThrow(
      /container: must not contain a slash/,
    );
    await expect(uploadObject(client, "c", "", bytes)).rejects.toThrow(/name/);
    await expect(uploadObject(client, "c", "o", bytes, { etag: "nope" })).rejects.toThrow(/etag/);
    await expect(uploadObject(client, "c", "o", bytes, { metadata: { "bad key": "x" } })).rejects.toThrow(
      /metadata.bad key/,
    );
    await expect(uploadObject(client, "c", "o", "text" as unknown as Uint8Array)).rejects.toThrow(/content/);
    expect(client.calls).toHaveLength(0);
  });
});

describe("swift /info", () => {
  it("lives at the proxy root, outside /v1/AUTH_x, keeping a path prefix", () => {
    expect(infoUrl("https://swift.example/v1/AUTH_p1")).toBe("https://swift.example/info");
    expect(infoUrl("https://rgw.example:8080/swift/v1/AUTH_p1/")).toBe("https://rgw.example:8080/swift/info");
    expect(infoUrl("https://swift.example/object-store/v1")).toBe("https://swift.example/object-store/info");
  });

  it("reads the capabilities document", async () => {
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "https://swift.example/info",
          response: fixture("object-store/capabilities-list-response.json"),
        },
      ],
      init,
    );
    const info = await getSwiftInfo(client);
    expect(info.swift.version).toBe("1.11.0");
    expect(info.slo).toEqual({
      max_manifest_segments: 1000,
      max_manifest_size: 2097152,
      min_segment_size: 1,
    });
    client.assertDone();
  });
});
