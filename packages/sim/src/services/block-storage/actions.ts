import { isAdmin } from "../../core/auth.js";
import { badRequest, forbidden, SimError } from "../../core/errors.js";
import { empty, type JsonObject, json, optBool, optInt, optString, readJson } from "../../core/http.js";
import type { VolumeRecord } from "../../core/records.js";
import type { RouteGroup, SimContext, SimState } from "../../core/service.js";
import { extraOf, volumeState } from "./state.js";
import { mvAtLeast } from "./views.js";
import { checkVolumeQuota, deleteVolume, findVolume, settleVolume } from "./volumes.js";

function requireStatus(v: VolumeRecord, action: string, allowed: string[]): void {
  if (!allowed.includes(v.status)) {
    throw badRequest(
      `Invalid volume: Volume ${v.id} status must be ${allowed.join(" or ")} to ${action}, but current status is: ${v.status}.`,
    );
  }
}

function requireAdmin(c: SimContext, action: string): void {
  if (!isAdmin(c)) throw forbidden(`Policy doesn't allow volume_extension:${action} to be performed.`);
}

function obj(body: JsonObject, key: string): JsonObject {
  const v = body[key];
  if (v === null || v === undefined) return {};
  if (typeof v !== "object" || Array.isArray(v))
    throw badRequest(`Invalid input for field/attribute ${key}. is not of type 'object'`);
  return v as JsonObject;
}

/** Attaches a volume to a server in the shared record (what nova's os-volume_attachments also reads). */
export function attachToServer(
  c: SimContext,
  v: VolumeRecord,
  serverId: string,
  device: string,
  attachmentId?: string,
): string {
  const world = c.var.sim.world;
  const now = world.clock.now();
  const id = attachmentId ?? world.ids.uuid();
  v.attachments.push({
    attachment_id: id,
    server_id: serverId,
    device,
    host_name: "sim-compute",
    attached_at: now,
  });
  v.status = "in-use";
  v.updated = now;
  const s = world.servers.get(serverId);
  // NOTE: nova lists a server's volumes from its block device mappings; keep them in step with cinder.
  if (s && !s.block_devices.some((b) => b.volume_id === v.id)) {
    s.block_devices.push({
      volume_id: v.id,
      boot_index: null,
      delete_on_termination: false,
      device,
      tag: null,
    });
  }
  return id;
}

/** Detaches one attachment (or all) of a volume; the volume becomes `available` when none is left. */
export function detachFromServer(c: SimContext, v: VolumeRecord, attachmentId?: string): void {
  const world = c.var.sim.world;
  const gone = v.attachments.filter((a) => attachmentId === undefined || a.attachment_id === attachmentId);
  v.attachments = v.attachments.filter((a) => !gone.includes(a));
  for (const a of gone) {
    const s = world.servers.get(a.server_id);
    if (s) s.block_devices = s.block_devices.filter((b) => b.volume_id !== v.id);
  }
  if (v.attachments.length === 0) v.status = "available";
  v.updated = world.clock.now();
}

async function volumeAction(c: SimContext): Promise<Response> {
  const { world } = c.var.sim;
  const v = findVolume(c, c.req.param("volume_id")!);
  const body = await readJson(c);
  const keys = Object.keys(body);
  if (keys.length !== 1)
    throw badRequest("There is no such action: expected exactly one action in the body.");
  const action = keys[0]!;
  const args = obj(body, action);
  switch (action) {
    case "os-extend": {
      const newSize = optInt(args, "new_size", "os-extend.new_size");
      if (newSize === undefined)
        throw badRequest("Invalid input for field/attribute new_size. 'new_size' is a required property");
      // NOTE: cinder extends in-use volumes from 3.42 on.
      requireStatus(v, "extend", mvAtLeast(c, "3.42") ? ["available", "in-use"] : ["available"]);
      if (newSize <= v.size) {
        throw badRequest(
          `Invalid input received: New size for extend must be greater than current size. (current: ${v.size}, extended: ${newSize}).`,
        );
      }
      checkVolumeQuota(world, v.project_id, newSize - v.size, 0);
      const back = v.status;
      v.status = "extending";
      settleVolume(world, v, back, () => {
        v.size = newSize;
      });
      return empty(c, 202);
    }
    case "os-set_bootable": {
      const b = optBool(args, "bootable", "os-set_bootable.bootable");
      if (b === undefined) throw badRequest("Must specify bootable in request.");
      v.bootable = b;
      v.updated = world.clock.now();
      return empty(c, 200);
    }
    case "os-update_readonly_flag": {
      const ro = optBool(args, "readonly", "os-update_readonly_flag.readonly");
      if (ro === undefined) throw badRequest("Must specify readonly in request.");
      extraOf(world, v).readonly_flag = ro;
      return empty(c, 202);
    }
    case "os-reset_status": {
      requireAdmin(c, "volume_admin_actions:reset_status");
      const status = optString(args, "status", "os-reset_status.status");
      const valid = [
        "creating",
        "available",
        "deleting",
        "error",
        "error_deleting",
        "error_managing",
        "managing",
        "attaching",
        "in-use",
        "detaching",
        "maintenance",
        "reserved",
      ];
      if (status !== undefined && !valid.includes(status))
        throw badRequest(`Invalid input received: Must specify a valid status`);
      const attach = optString(args, "attach_status", "os-reset_status.attach_status");
      if (attach === "detached") detachFromServer(c, v);
      if (status !== undefined) v.status = status;
      const mig = optString(args, "migration_status", "os-reset_status.migration_status");
      if (mig !== undefined) extraOf(world, v).migration_status = mig === "none" ? null : mig;
      world.cancel(`volume:${v.id}`);
      v.updated = world.clock.now();
      return empty(c, 202);
    }
    case "os-force_delete": {
      requireAdmin(c, "volume_admin_actions:force_delete");
      detachFromServer(c, v);
      deleteVolume(world, v);
      return empty(c, 202);
    }
    case "os-reserve":
      requireStatus(v, "reserve", v.multiattach ? ["available", "in-use"] : ["available"]);
      v.status = "attaching";
      v.updated = world.clock.now();
      return empty(c, 202);
    case "os-unreserve":
      if (v.status === "attaching") v.status = v.attachments.length > 0 ? "in-use" : "available";
      v.updated = world.clock.now();
      return empty(c, 202);
    case "os-begin_detaching":
      requireStatus(v, "begin detaching", ["in-use"]);
      v.status = "detaching";
      v.updated = world.clock.now();
      return empty(c, 202);
    case "os-roll_detaching":
      if (v.status === "detaching") v.status = "in-use";
      return empty(c, 202);
    case "os-initialize_connection": {
      const connector = obj(args, "connector");
      if (Object.keys(connector).length === 0) throw badRequest("Must specify 'connector'");
      return json(c, 200, {
        connection_info: {
          driver_volume_type: "iscsi",
          data: {
            target_discovered: false,
            target_iqn: `iqn.2010-10.org.openstack:volume-${v.id}`,
            target_portal: "127.0.0.1:3260",
            target_lun: 1,
            volume_id: v.id,
            auth_method: "CHAP",
            access_mode: extraOf(world, v).readonly_flag ? "ro" : "rw",
            encrypted: false,
          },
        },
      });
    }
    case "os-terminate_connection":
      if (Object.keys(obj(args, "connector")).length === 0) throw badRequest("Must specify 'connector'");
      return empty(c, 202);
    case "os-attach": {
      const server = optString(args, "instance_uuid", "os-attach.instance_uuid");
      const host = optString(args, "host_name", "os-attach.host_name");
      if (!server && !host) throw badRequest("Invalid request to attach volume to an invalid target");
      const mountpoint = optString(args, "mountpoint", "os-attach.mountpoint");
      if (!mountpoint) throw badRequest("Must specify 'mountpoint'");
      requireStatus(
        v,
        "attach",
        v.multiattach ? ["available", "attaching", "in-use"] : ["available", "attaching"],
      );
      attachToServer(c, v, server ?? "", mountpoint);
      return empty(c, 202);
    }
    case "os-detach": {
      const attachmentId = optString(args, "attachment_id", "os-detach.attachment_id");
      if (v.attachments.length === 0) throw badRequest(`Invalid volume: Volume ${v.id} is not attached.`);
      if (attachmentId !== undefined && !v.attachments.some((a) => a.attachment_id === attachmentId)) {
        throw new SimError(
          400,
          `Invalid volume: attachment ${attachmentId} is not an attachment of volume ${v.id}.`,
        );
      }
      detachFromServer(c, v, attachmentId);
      volumeState(world).attachments.forEach((a) => {
        if (a.volume_id === v.id && (attachmentId === undefined || a.id === attachmentId))
          a.status = "detached";
      });
      return empty(c, 202);
    }
    default:
      throw badRequest(`There is no such action: ${action}`);
  }
}

/** `POST /volumes/{id}/action`: extend, bootable, admin resets, force delete, and nova's attach protocol. */
export function registerActions(g: RouteGroup, _sim: SimState): void {
  g.post("/volumes/:volume_id/action", volumeAction);
}
