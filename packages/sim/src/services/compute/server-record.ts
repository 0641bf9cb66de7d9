import { createHash } from "node:crypto";
import type { ServerRecord } from "../../core/records.js";
import type { World } from "../../core/world.js";

/** Fields a caller chooses when creating a server record; the rest get nova's defaults. */
export type NewServer = Pick<ServerRecord, "name" | "project_id" | "user_id" | "image_id" | "flavor_id"> &
  Partial<Omit<ServerRecord, "id" | "seq">>;

let instanceCounter = 0;

/** nova's `hostId`: sha224 of project id and host name. */
export function hostIdOf(projectId: string, host: string): string {
  return createHash("sha224")
    .update(projectId + host)
    .digest("hex");
}

/** Builds and stores a server record (ACTIVE unless `status` says otherwise). */
export function insertServer(world: World, s: NewServer): ServerRecord {
  const now = world.clock.now();
  instanceCounter += 1;
  const id = world.ids.uuid();
  const status = s.status ?? "ACTIVE";
  const record: ServerRecord = {
    id,
    seq: world.ids.seq(),
    vm_state: status === "BUILD" ? "building" : "active",
    task_state: status === "BUILD" ? "scheduling" : null,
    power_state: status === "ACTIVE" ? 1 : 0,
    created: now,
    updated: now,
    launched_at: status === "ACTIVE" ? now : null,
    terminated_at: null,
    deleted_at: null,
    metadata: {},
    key_name: null,
    security_groups: ["default"],
    availability_zone: "nova",
    host_id: hostIdOf(s.project_id, "sim-compute"),
    hypervisor_hostname: "sim-compute",
    instance_name: `instance-${instanceCounter.toString(16).padStart(8, "0")}`,
    user_data: null,
    config_drive: "",
    access_ipv4: "",
    access_ipv6: "",
    tags: [],
    fault: null,
    locked: false,
    description: null,
    hostname:
      s.name
        .replace(/[^A-Za-z0-9-]/g, "-")
        .toLowerCase()
        .slice(0, 63) || "server",
    block_devices: [],
    scheduler_hints: {},
    server_group_id: null,
    progress: status === "ACTIVE" ? 100 : 0,
    nova_port_ids: [],
    build_until: null,
    build_fault: null,
    ...s,
    status,
  };
  return world.servers.insert(record);
}
