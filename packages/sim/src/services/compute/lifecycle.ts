import type { ServerRecord } from "../../core/records.js";
import type { World } from "../../core/world.js";
import { deletePort } from "../network/ops.js";

/** Schedules the end of a server's BUILD: ACTIVE, or ERROR with a fault when `build_fault` is set. */
export function scheduleBuild(world: World, s: ServerRecord, delayMs: number): void {
  const finish = () => {
    if (s.deleted_at !== null || s.status !== "BUILD") return;
    const now = world.clock.now();
    s.updated = Math.max(now, s.created);
    s.build_until = null;
    if (s.build_fault) {
      s.status = "ERROR";
      s.vm_state = "error";
      s.task_state = null;
      s.power_state = 0;
      s.fault = { code: 500, message: s.build_fault, details: "simulated build failure", created: now };
      return;
    }
    s.status = "ACTIVE";
    s.vm_state = "active";
    s.task_state = null;
    s.power_state = 1;
    s.progress = 100;
    s.launched_at = now;
    for (const p of world.portsOfDevice(s.id)) p.status = "ACTIVE";
  };
  s.build_until = world.clock.now() + delayMs;
  s.task_state = "spawning";
  if (delayMs <= 0) finish();
  else world.schedule(s.build_until, "build", `server-build:${s.id}`, finish);
}

/** Deletes a server the way nova shows it: `deleting`, then gone (404) but listed by `changes-since`. */
export function deleteServer(world: World, s: ServerRecord): void {
  s.task_state = "deleting";
  s.updated = world.clock.now();
  const finish = () => {
    const now = world.clock.now();
    world.cancel(`server-build:${s.id}`);
    for (const p of world.portsOfDevice(s.id)) {
      // NOTE: nova deletes the ports it created and only unbinds the ones the user passed in.
      if (s.nova_port_ids.includes(p.id)) deletePort(world, p.id);
      else {
        p.device_id = "";
        p.device_owner = "";
        p.status = "DOWN";
        world.indexPortDevice(p, s.id);
      }
    }
    for (const vol of world.volumes.ofProject(s.project_id)) {
      const before = vol.attachments.length;
      vol.attachments = vol.attachments.filter((a) => a.server_id !== s.id);
      if (vol.attachments.length !== before) {
        vol.updated = now;
        if (vol.attachments.length === 0) vol.status = "available";
        if (s.block_devices.some((b) => b.volume_id === vol.id && b.delete_on_termination))
          world.volumes.remove(vol.id);
      }
    }
    for (const g of world.serverGroups.all()) g.members = g.members.filter((m) => m !== s.id);
    s.status = "DELETED";
    s.vm_state = "deleted";
    s.task_state = null;
    s.power_state = 0;
    s.deleted_at = now;
    s.terminated_at = now;
    s.updated = now;
  };
  if (world.deleteDelayMs <= 0) finish();
  else world.schedule(world.clock.now() + world.deleteDelayMs, "delete", `server-delete:${s.id}`, finish);
}

/** Moves a server through a transient status (REBOOT, ...) back to a final one after the build delay. */
export function transition(
  world: World,
  s: ServerRecord,
  during: { status: string; task: string },
  after: { status: string; vm: string; power: number },
): void {
  s.status = during.status;
  s.task_state = during.task;
  s.updated = world.clock.now();
  const finish = () => {
    if (s.deleted_at !== null) return;
    s.status = after.status;
    s.vm_state = after.vm;
    s.power_state = after.power;
    s.task_state = null;
    s.updated = world.clock.now();
  };
  const delay = Math.min(world.buildDelayMs, 1000);
  if (delay <= 0) finish();
  else world.schedule(world.clock.now() + delay, "action", `server-action:${s.id}`, finish);
}
