import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCloud, type TestCloud } from "../object-store/test-client.js";
import { volumeState } from "./state.js";

type Json = Record<string, unknown>;
const V3 = { "openstack-api-version": "volume 3.70" };

describe("block-storage (cinder v3, modern)", () => {
  let cloud: TestCloud;
  let base: string;
  beforeAll(async () => {
    cloud = await startTestCloud({ profile: "modern" });
    base = `/volume/v3/${cloud.projectId}`;
    volumeState(cloud.sim.admin.state.world).delayMs = 50;
  });
  afterAll(() => cloud.sim.stop());
  const world = () => cloud.sim.admin.state.world;

  const createVolume = async (body: Json) => {
    const res = await cloud.callJson("POST", `${base}/volumes`, { volume: body }, V3);
    expect(res.status).toBe(202);
    return ((await res.json()) as { volume: Json }).volume;
  };
  const getVolume = async (id: unknown) =>
    ((await (await cloud.call("GET", `${base}/volumes/${id}`, { headers: V3 })).json()) as { volume: Json })
      .volume;

  it("answers its root with 300 and v3.0 up to 3.70", async () => {
    const res = await fetch(`${cloud.sim.url}/volume/`);
    expect(res.status).toBe(300);
    expect(await res.json()).toMatchObject({
      versions: [{ id: "v3.0", min_version: "3.0", version: "3.70" }],
    });
  });

  it("negotiates microversions: 406 out of range, header echoed", async () => {
    const bad = await cloud.call("GET", `${base}/volumes`, {
      headers: { "openstack-api-version": "volume 3.99" },
    });
    expect(bad.status).toBe(406);
    const ok = await cloud.call("GET", `${base}/volumes`, { headers: V3 });
    expect(ok.headers.get("openstack-api-version")).toBe("volume 3.70");
  });

  it("creates a volume: creating -> available, then deletes it: deleting -> gone", async () => {
    const v = await createVolume({ size: 1, name: "v1" });
    expect(v).toMatchObject({ status: "creating", bootable: "false", volume_type: "lvmdriver-1", size: 1 });
    expect(v).toHaveProperty("consumes_quota", true);
    world().finish("volume");
    expect((await getVolume(v.id)).status).toBe("available");
    expect((await cloud.call("DELETE", `${base}/volumes/${v.id}`)).status).toBe(202);
    expect((await getVolume(v.id)).status).toBe("deleting");
    world().finish("volume");
    expect((await cloud.call("GET", `${base}/volumes/${v.id}`)).status).toBe(404);
  });

  it("creates a bootable volume from an image with volume_image_metadata; a failing image ends in error", async () => {
    const cirros = world().images.all()[0]!;
    const v = await createVolume({ size: 1, imageRef: cirros.id });
    world().finish("volume");
    const got = await getVolume(v.id);
    expect(got).toMatchObject({
      status: "available",
      bootable: "true",
      volume_image_metadata: { image_id: cirros.id },
    });
    cloud.sim.admin.markFailing({ image: cirros.id });
    const bad = await createVolume({ size: 1, imageRef: cirros.id });
    world().finish("volume");
    expect((await getVolume(bad.id)).status).toBe("error");
    cloud.sim.admin.markFailing({ image: cirros.id }, false);
  });

  it("creates from a snapshot and from a source volume", async () => {
    const src = await createVolume({ size: 2, name: "src" });
    world().finish("volume");
    const snapRes = await cloud.callJson(
      "POST",
      `${base}/snapshots`,
      { snapshot: { volume_id: src.id, name: "s" } },
      V3,
    );
    expect(snapRes.status).toBe(202);
    const snap = ((await snapRes.json()) as { snapshot: Json }).snapshot;
    expect(snap.status).toBe("creating");
    world().finish("volume");
    const fromSnap = await createVolume({ snapshot_id: snap.id });
    const clone = await createVolume({ source_volid: src.id });
    world().finish("volume");
    expect(await getVolume(fromSnap.id)).toMatchObject({
      size: 2,
      snapshot_id: snap.id,
      status: "available",
    });
    expect(await getVolume(clone.id)).toMatchObject({ size: 2, source_volid: src.id });
    // A volume with snapshots is not deleted without cascade.
    expect((await cloud.call("DELETE", `${base}/volumes/${src.id}`)).status).toBe(400);
  });

  it("lists with filters and volumes_links pages", async () => {
    for (let i = 0; i < 3; i++) await createVolume({ size: 1, name: `pg-${i}`, metadata: { group: "pg" } });
    const page = (await (
      await cloud.call("GET", `${base}/volumes?limit=2&metadata={"group":"pg"}`, { headers: V3 })
    ).json()) as {
      volumes: Json[];
      volumes_links: { href: string; rel: string }[];
    };
    expect(page.volumes.map((v) => v.name)).toEqual(["pg-2", "pg-1"]);
    expect(page.volumes_links[0]?.rel).toBe("next");
    const next = new URL(page.volumes_links[0]!.href);
    const rest = (await (
      await cloud.call("GET", `${next.pathname}${next.search}`, { headers: V3 })
    ).json()) as { volumes: Json[] };
    expect(rest.volumes.map((v) => v.name)).toEqual(["pg-0"]);
  });

  it("runs nova's attach protocol and the 3.27 attachments API; attached volumes refuse deletion", async () => {
    const v = await createVolume({ size: 1 });
    world().finish("volume");
    const act = (body: Json) => cloud.callJson("POST", `${base}/volumes/${v.id}/action`, body, V3);
    expect((await act({ "os-reserve": null })).status).toBe(202);
    expect((await getVolume(v.id)).status).toBe("attaching");
    const conn = await act({ "os-initialize_connection": { connector: { host: "h" } } });
    expect(((await conn.json()) as { connection_info: Json }).connection_info.driver_volume_type).toBe(
      "iscsi",
    );
    expect((await act({ "os-attach": { instance_uuid: "srv-1", mountpoint: "/dev/vdb" } })).status).toBe(202);
    const attached = await getVolume(v.id);
    expect(attached).toMatchObject({
      status: "in-use",
      attachments: [{ server_id: "srv-1", device: "/dev/vdb" }],
    });
    expect((await cloud.call("DELETE", `${base}/volumes/${v.id}`)).status).toBe(400);
    expect((await act({ "os-begin_detaching": null })).status).toBe(202);
    expect((await act({ "os-detach": {} })).status).toBe(202);
    expect((await getVolume(v.id)).status).toBe("available");

    const created = await cloud.callJson(
      "POST",
      `${base}/attachments`,
      { attachment: { volume_uuid: v.id, instance_uuid: "srv-2" } },
      V3,
    );
    expect(created.status).toBe(200);
    const att = ((await created.json()) as { attachment: Json }).attachment;
    expect(att.status).toBe("reserved");
    expect((await getVolume(v.id)).status).toBe("reserved");
    await cloud.callJson(
      "PUT",
      `${base}/attachments/${att.id}`,
      { attachment: { connector: { host: "h", mountpoint: "/dev/vdc" } } },
      V3,
    );
    expect(
      (await cloud.callJson("POST", `${base}/attachments/${att.id}/action`, { "os-complete": null }, V3))
        .status,
    ).toBe(204);
    expect(await getVolume(v.id)).toMatchObject({
      status: "in-use",
      attachments: [{ attachment_id: att.id, server_id: "srv-2" }],
    });
    expect((await cloud.call("DELETE", `${base}/attachments/${att.id}`, { headers: V3 })).status).toBe(200);
    expect((await getVolume(v.id)).status).toBe("available");
    const old = await cloud.callJson(
      "POST",
      `${base}/attachments`,
      { attachment: { volume_uuid: v.id } },
      {
        "openstack-api-version": "volume 3.20",
      },
    );
    expect(old.status).toBe(404);
  });

  it("extends (extending -> available with the new size), admin-only reset-status", async () => {
    const v = await createVolume({ size: 1 });
    world().finish("volume");
    const act = (body: Json, token?: string) =>
      cloud.call("POST", `${base}/volumes/${v.id}/action`, {
        body: JSON.stringify(body),
        headers: { "content-type": "application/json", ...V3 },
        ...(token ? { token } : {}),
      });
    expect((await act({ "os-extend": { new_size: 1 } })).status).toBe(400);
    expect((await act({ "os-extend": { new_size: 3 } })).status).toBe(202);
    expect((await getVolume(v.id)).status).toBe("extending");
    world().finish("volume");
    expect(await getVolume(v.id)).toMatchObject({ status: "available", size: 3 });
    expect((await act({ "os-reset_status": { status: "error" } })).status).toBe(403);
  });

  it("enforces quotas with 413 overLimit and Retry-After", async () => {
    cloud.sim.admin.setQuota("volume", "demo", { gigabytes: 5 });
    const res = await cloud.callJson("POST", `${base}/volumes`, { volume: { size: 100 } }, V3);
    expect(res.status).toBe(413);
    expect(res.headers.get("retry-after")).toBe("0");
    const body = (await res.json()) as { overLimit: { code: number; message: string; retryAfter: string } };
    expect(body.overLimit).toMatchObject({ code: 413, retryAfter: "0" });
    expect(body.overLimit.message).toContain("gigabytes quota");
    cloud.sim.admin.setQuota("volume", "demo", { gigabytes: 1000 });
    const limits = (await (await cloud.call("GET", `${base}/limits`, { headers: V3 })).json()) as {
      limits: { absolute: Json };
    };
    expect(limits.limits.absolute.maxTotalVolumeGigabytes).toBe(1000);
  });

  it("lists types (default lvmdriver-1) and rejects a foreign project in the URL", async () => {
    const types = (await (await cloud.call("GET", `${base}/types`, { headers: V3 })).json()) as {
      volume_types: Json[];
    };
    expect(types.volume_types.map((t) => t.name)).toEqual(["__DEFAULT__", "lvmdriver-1"]);
    const def = (await (await cloud.call("GET", `${base}/types/default`, { headers: V3 })).json()) as {
      volume_type: Json;
    };
    expect(def.volume_type.name).toBe("lvmdriver-1");
    expect((await cloud.call("GET", `/volume/v3/${cloud.adminProjectId}/volumes`)).status).toBe(400);
  });
});

describe("block-storage (cinder v2, kilo)", () => {
  it("serves v2 without microversions and lists volumev2 in the catalog", async () => {
    const cloud = await startTestCloud({ profile: "kilo" });
    try {
      const res = await cloud.callJson("POST", `/volume/v2/${cloud.projectId}/volumes`, {
        volume: { size: 1 },
      });
      expect(res.status).toBe(202);
      const { volume } = (await res.json()) as { volume: Json };
      expect(volume).not.toHaveProperty("consumes_quota");
      expect((await cloud.call("GET", `/volume/v3/${cloud.projectId}/volumes`)).status).toBe(404);
    } finally {
      await cloud.sim.stop();
    }
  });
});

describe("block-storage and nova share the volume record", () => {
  it("attaching through nova's os-volume_attachments turns the volume in-use; detaching makes it available", async () => {
    const cloud = await startTestCloud({ profile: "modern" });
    try {
      const base = `/volume/v3/${cloud.projectId}`;
      const world = cloud.sim.admin.state.world;
      const image = world.images.all()[0]!.id;
      const net = world.networks.find((n) => n.name === "private")!.id;
      const srv = await cloud.callJson("POST", "/compute/v2.1/servers", {
        server: { name: "s", flavorRef: "1", imageRef: image, networks: [{ uuid: net }] },
      });
      const serverId = ((await srv.json()) as { server: { id: string } }).server.id;
      const vol = await cloud.callJson("POST", `${base}/volumes`, { volume: { size: 1 } });
      const volumeId = ((await vol.json()) as { volume: { id: string } }).volume.id;
      world.finish();
      const att = await cloud.callJson("POST", `/compute/v2.1/servers/${serverId}/os-volume_attachments`, {
        volumeAttachment: { volumeId },
      });
      expect(att.status).toBe(200);
      const shown = (await (await cloud.call("GET", `${base}/volumes/${volumeId}`)).json()) as {
        volume: Json;
      };
      expect(shown.volume).toMatchObject({ status: "in-use", attachments: [{ server_id: serverId }] });
      const det = await cloud.call(
        "DELETE",
        `/compute/v2.1/servers/${serverId}/os-volume_attachments/${volumeId}`,
      );
      expect(det.status).toBe(202);
      world.finish();
      const after = (await (await cloud.call("GET", `${base}/volumes/${volumeId}`)).json()) as {
        volume: Json;
      };
      expect(after.volume).toMatchObject({ status: "available", attachments: [] });
    } finally {
      await cloud.sim.stop();
    }
  });
});
