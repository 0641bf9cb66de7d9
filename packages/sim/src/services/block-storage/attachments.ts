import { isAdmin, projectOf } from "../../core/auth.js";
import { badRequest, notFound } from "../../core/errors.js";
import { empty, type JsonObject, json, member, optString, readJson } from "../../core/http.js";
import type { RouteGroup, SimContext, SimState } from "../../core/service.js";
import { attachToServer, detachFromServer } from "./actions.js";
import { type CinderAttachment, volumeState } from "./state.js";
import { cinderTime, mvAtLeast } from "./views.js";
import { findVolume } from "./volumes.js";

function requireVersion(c: SimContext, min: string): void {
  // NOTE: cinder answers a route below its microversion with 404 (VersionNotFoundForAPIMethod).
  if (!mvAtLeast(c, min))
    throw notFound(`API version ${c.var.microversion ?? "3.0"} is not supported on this method.`);
}

function connectionInfo(a: CinderAttachment): Record<string, unknown> {
  if (!a.connector) return {};
  return {
    driver_volume_type: "iscsi",
    target_iqn: `iqn.2010-10.org.openstack:volume-${a.volume_id}`,
    target_portal: "127.0.0.1:3260",
    target_lun: 1,
    volume_id: a.volume_id,
    attachment_id: a.id,
    access_mode: a.attach_mode,
  };
}

function view(a: CinderAttachment, detail: boolean): Record<string, unknown> {
  const summary = { status: a.status, instance: a.instance, id: a.id, volume_id: a.volume_id };
  if (!detail) return summary;
  return {
    ...summary,
    attached_at: cinderTime(a.attached_at),
    detached_at: cinderTime(a.detached_at),
    attach_mode: a.attach_mode,
    connection_info: connectionInfo(a),
  };
}

/** The cinder attachment with this id: its own record, or one nova made through os-volume_attachments. */
function findAttachment(c: SimContext, id: string): CinderAttachment {
  const { world } = c.var.sim;
  const own = volumeState(world).attachments.get(id);
  if (own) {
    findVolume(c, own.volume_id);
    return own;
  }
  const pid = projectOf(c);
  const admin = isAdmin(c);
  for (const v of admin ? world.volumes.all() : world.volumes.ofProject(pid)) {
    const a = v.attachments.find((x) => x.attachment_id === id);
    if (a) {
      const rec: CinderAttachment = {
        id,
        volume_id: v.id,
        instance: a.server_id,
        status: "attached",
        attach_mode: "rw",
        connector: { host: a.host_name },
        attached_at: a.attached_at,
        detached_at: null,
        mountpoint: a.device,
      };
      volumeState(world).attachments.set(id, rec);
      return rec;
    }
  }
  throw notFound(`VolumeAttachment ${id} could not be found.`);
}

function connectorOf(body: JsonObject): Record<string, unknown> | null {
  const c = body.connector;
  if (c === undefined || c === null) return null;
  if (typeof c !== "object" || Array.isArray(c))
    throw badRequest("Invalid input for field/attribute connector. is not of type 'object'");
  return c as Record<string, unknown>;
}

/** cinder v3 attachments (3.27+, complete 3.44+), sharing the volume's attachments with nova. */
export function registerAttachments(g: RouteGroup, sim: SimState): void {
  const world = sim.world;
  const st = () => volumeState(world);
  g.post("/attachments", async (c) => {
    requireVersion(c, "3.27");
    const body = member(await readJson(c), "attachment");
    const volumeId = optString(body, "volume_uuid", "attachment.volume_uuid");
    if (!volumeId)
      throw badRequest("Invalid input for field/attribute volume_uuid. 'volume_uuid' is a required property");
    const v = findVolume(c, volumeId);
    const instance = optString(body, "instance_uuid", "attachment.instance_uuid") ?? null;
    const mode = optString(body, "mode", "attachment.mode") ?? "rw";
    if (mode !== "rw" && mode !== "ro")
      throw badRequest(`Invalid input for field/attribute mode. Value: ${mode}. 'rw' or 'ro'`);
    const allowed = v.multiattach ? ["available", "reserved", "in-use"] : ["available"];
    if (!allowed.includes(v.status)) {
      throw badRequest(
        `Invalid volume: Volume ${v.id} status must be available or downloading to reserve, but the current status is ${v.status}.`,
      );
    }
    const connector = connectorOf(body);
    const a: CinderAttachment = {
      id: world.ids.uuid(),
      volume_id: v.id,
      instance,
      status: connector ? "attaching" : "reserved",
      attach_mode: mode,
      connector,
      attached_at: null,
      detached_at: null,
      mountpoint: typeof connector?.mountpoint === "string" ? connector.mountpoint : null,
    };
    st().attachments.set(a.id, a);
    if (v.status !== "in-use") v.status = connector ? "attaching" : "reserved";
    v.updated = world.clock.now();
    return json(c, 200, { attachment: view(a, true) });
  });
  g.get("/attachments", (c) => {
    requireVersion(c, "3.27");
    const pid = projectOf(c);
    const rows = [...st().attachments.values()].filter((a) => {
      const v = world.volumes.get(a.volume_id);
      return v && (v.project_id === pid || isAdmin(c)) && a.status !== "detached";
    });
    return json(c, 200, { attachments: rows.map((a) => view(a, false)) });
  });
  g.get("/attachments/detail", (c) => {
    requireVersion(c, "3.27");
    const pid = projectOf(c);
    const rows = [...st().attachments.values()].filter((a) => {
      const v = world.volumes.get(a.volume_id);
      return v && (v.project_id === pid || isAdmin(c)) && a.status !== "detached";
    });
    return json(c, 200, { attachments: rows.map((a) => view(a, true)) });
  });
  g.get("/attachments/:attachment_id", (c) => {
    requireVersion(c, "3.27");
    return json(c, 200, { attachment: view(findAttachment(c, c.req.param("attachment_id")!), true) });
  });
  g.put("/attachments/:attachment_id", async (c) => {
    requireVersion(c, "3.27");
    const a = findAttachment(c, c.req.param("attachment_id")!);
    const body = member(await readJson(c), "attachment");
    const connector = connectorOf(body);
    if (!connector)
      throw badRequest("Invalid input for field/attribute connector. 'connector' is a required property");
    a.connector = connector;
    if (typeof connector.mountpoint === "string") a.mountpoint = connector.mountpoint;
    if (a.status === "reserved") a.status = "attaching";
    const v = findVolume(c, a.volume_id);
    if (v.status === "reserved") v.status = "attaching";
    return json(c, 200, { attachment: view(a, true) });
  });
  g.post("/attachments/:attachment_id/action", async (c) => {
    requireVersion(c, "3.44");
    const a = findAttachment(c, c.req.param("attachment_id")!);
    const body = await readJson(c);
    if (!("os-complete" in body))
      throw badRequest("There is no such action on attachments; expected 'os-complete'.");
    const v = findVolume(c, a.volume_id);
    if (a.status !== "attached") {
      a.status = "attached";
      a.attached_at = world.clock.now();
      if (a.instance) attachToServer(c, v, a.instance, a.mountpoint ?? "/dev/vdb", a.id);
      else {
        v.status = "in-use";
        v.updated = world.clock.now();
      }
    }
    return empty(c, 204);
  });
  g.delete("/attachments/:attachment_id", (c) => {
    requireVersion(c, "3.27");
    const a = findAttachment(c, c.req.param("attachment_id")!);
    const v = findVolume(c, a.volume_id);
    st().attachments.delete(a.id);
    if (v.attachments.some((x) => x.attachment_id === a.id)) detachFromServer(c, v, a.id);
    else if (v.attachments.length === 0 && ["reserved", "attaching"].includes(v.status)) {
      v.status = "available";
      v.updated = world.clock.now();
    }
    const left = [...st().attachments.values()].filter(
      (x) => x.volume_id === v.id && x.status !== "detached",
    );
    return json(c, 200, { attachments: left.map((x) => view(x, false)) });
  });
}
