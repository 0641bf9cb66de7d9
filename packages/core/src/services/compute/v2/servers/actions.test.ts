import { describe, expect, it } from "vitest";
import { NotSupportedError, ValidationError } from "../../../../errors.js";
import { fixture } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import {
  addFloatingIp,
  createServerImage,
  rebootServer,
  removeFloatingIp,
  serverAction,
  startServer,
  stopServer,
} from "./actions.js";
import {
  attachVolume,
  detachVolume,
  listServerInterfaces,
  listServerIps,
  listVolumeAttachments,
} from "./attachments.js";
import { deleteServerMetadataItem, getServerMetadata, setServerMetadata } from "./metadata.js";

const sample = (path: string) => fixture(`compute/${path}`);
const action = (
  json: unknown,
  extra: { status?: number; response?: unknown; headers?: Record<string, string> } = {},
) => ({
  method: "POST" as const,
  path: "/servers/s1/action",
  json,
  status: 202,
  ...extra,
});

describe("server actions", () => {
  it("sends the upstream bodies of reboot, start, stop and addFloatingIp/removeFloatingIp", async () => {
    const client = scriptedClient(
      [
        action(sample("servers/server-action-reboot.json")),
        action(sample("servers/server-action-start.json")),
        action(sample("servers/server-action-stop.json")),
        action(sample("servers/server-action-addfloatingip-req.json")),
        action(sample("servers/server-action-removefloatingip-req.json")),
      ],
      { microversion: "2.43" },
    );
    await rebootServer(client, "s1", "HARD");
    await startServer(client, "s1");
    await stopServer(client, "s1");
    await addFloatingIp(client, "s1", "10.10.10.10", "192.168.1.30");
    const remove = sample("servers/server-action-removefloatingip-req.json") as {
      removeFloatingIp: { address: string };
    };
    await removeFloatingIp(client, "s1", remove.removeFloatingIp.address);
    client.assertDone();
  });

  it("refuses floating IP actions from 2.44 on, before any I/O", async () => {
    const client = scriptedClient([], { microversion: "2.44" });
    await expect(addFloatingIp(client, "s1", "10.0.0.1")).rejects.toThrow(NotSupportedError);
    await expect(removeFloatingIp(client, "s1", "10.0.0.1")).rejects.toThrow(
      /removed in compute microversion 2\.44/,
    );
    await expect(rebootServer(client, "s1", "HUGE" as "HARD")).rejects.toThrow(ValidationError);
    await expect(serverAction(client, "s1", {})).rejects.toThrow(/exactly one key/);
    expect(client.calls).toHaveLength(0);
  });

  it("createImage reads image_id from 2.45 on and the Location header before", async () => {
    const body = sample("servers/server-action-create-image.json");
    const modern = scriptedClient(
      [
        action(sample("servers/v2.45/server-action-create-image.json"), {
          response: sample("servers/v2.45/server-action-create-image-resp.json"),
        }),
      ],
      { microversion: "2.45" },
    );
    await expect(createServerImage(modern, "s1", "foo-image", { meta_var: "meta_val" })).resolves.toBe(
      "0e7761dd-ee98-41f0-ba35-05994e446431",
    );
    const old = scriptedClient(
      [action(body, { headers: { location: "http://glance.example/v2/images/1b2c3d4e" } })],
      { microversion: "2.1" },
    );
    await expect(createServerImage(old, "s1", "foo-image", { meta_var: "meta_val" })).resolves.toBe(
      "1b2c3d4e",
    );
    const none = scriptedClient([action({ createImage: { name: "x" } })]);
    await expect(createServerImage(none, "s1", "x")).rejects.toThrow(/no image id/);
  });
});

describe("server metadata", () => {
  it("gets, merges, replaces and deletes keys", async () => {
    const client = scriptedClient([
      {
        method: "GET",
        path: "/servers/s1/metadata",
        response: sample("server-metadata/server-metadata-all-resp.json"),
      },
      {
        method: "POST",
        path: "/servers/s1/metadata",
        json: sample("server-metadata/server-metadata-all-req.json"),
        response: sample("server-metadata/server-metadata-all-resp.json"),
      },
      {
        method: "PUT",
        path: "/servers/s1/metadata",
        json: { metadata: { a: "b" } },
        response: { metadata: { a: "b" } },
      },
      { method: "DELETE", path: "/servers/s1/metadata/foo%20bar", status: 204 },
    ]);
    expect(await getServerMetadata(client, "s1")).toEqual({ foo: "Foo Value" });
    expect(await setServerMetadata(client, "s1", { foo: "Foo Value" })).toEqual({ foo: "Foo Value" });
    expect(await setServerMetadata(client, "s1", { a: "b" }, { replace: true })).toEqual({ a: "b" });
    await deleteServerMetadataItem(client, "s1", "foo bar");
    client.assertDone();
    await expect(setServerMetadata(client, "s1", { k: "v".repeat(256) })).rejects.toThrow(/^metadata\.k:/);
  });
});

describe("interfaces, ips and volume attachments", () => {
  it("lists ports, addresses and attachments", async () => {
    const client = scriptedClient([
      {
        method: "GET",
        path: "/servers/s1/os-interface",
        response: sample("os-attach-interfaces/attach-interfaces-list-resp.json"),
      },
      { method: "GET", path: "/servers/s1/ips", response: sample("server-ips/server-ips-resp.json") },
      {
        method: "GET",
        path: "/servers/s1/os-volume_attachments",
        response: sample("os-volume_attachments/v2.89/list-volume-attachments-resp.json"),
      },
    ]);
    expect((await listServerInterfaces(client, "s1"))[0]?.port_id).toBe(
      "ce531f90-199f-48c0-816c-13e38010b442",
    );
    expect(Object.keys(await listServerIps(client, "s1"))).toEqual(["private"]);
    expect((await listVolumeAttachments(client, "s1")).map((a) => a.volumeId)).toEqual([
      "227cc671-f30b-4488-96fd-7d0bf13648d8",
      "a07f71dc-8151-4e7d-a0cc-cd24a3f11113",
    ]);
    client.assertDone();
  });

  it("attaches with the upstream bodies (tag and delete_on_termination gated) and detaches with 202", async () => {
    const client = scriptedClient(
      [
        {
          method: "POST",
          path: "/servers/s1/os-volume_attachments",
          json: sample("os-volume_attachments/attach-volume-to-server-req.json"),
          response: sample("os-volume_attachments/attach-volume-to-server-resp.json"),
        },
        {
          method: "POST",
          path: "/servers/s1/os-volume_attachments",
          json: sample("os-volume_attachments/v2.79/attach-volume-to-server-req.json"),
          response: sample("os-volume_attachments/v2.79/attach-volume-to-server-resp.json"),
        },
        { method: "DELETE", path: "/servers/s1/os-volume_attachments/v1", status: 202 },
      ],
      { microversion: "2.79" },
    );
    const attached = await attachVolume(client, "s1", {
      volumeId: "a07f71dc-8151-4e7d-a0cc-cd24a3f11113",
      device: "/dev/sdb",
    });
    expect(attached.device).toBe("/dev/sdb");
    const tagged = await attachVolume(client, "s1", {
      volumeId: "a07f71dc-8151-4e7d-a0cc-cd24a3f11113",
      tag: "foo",
      deleteOnTermination: true,
    });
    expect(tagged.delete_on_termination).toBe(true);
    await detachVolume(client, "s1", "v1");
    client.assertDone();
    const old = scriptedClient([], { microversion: "2.48" });
    await expect(attachVolume(old, "s1", { volumeId: "v", tag: "t" })).rejects.toThrow(NotSupportedError);
    await expect(attachVolume(old, "s1", { volumeId: "" })).rejects.toThrow(
      "volumeId: must be a non-empty string",
    );
  });
});
