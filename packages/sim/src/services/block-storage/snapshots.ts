import { isAdmin, projectOf } from "../../core/auth.js";
import { badRequest, notFound } from "../../core/errors.js";
import { empty, json, member, optBool, optString, readJson } from "../../core/http.js";
import type { RouteGroup, SimContext, SimState } from "../../core/service.js";
import { type SnapshotRecord, volumeState } from "./state.js";
import { snapshotView, withoutExtensionAttributes } from "./views.js";
import { findVolume, overQuota, volumeUsage } from "./volumes.js";

function findSnapshot(c: SimContext, id: string): SnapshotRecord {
  const s = volumeState(c.var.sim.world).snapshots.get(id);
  if (!s || (s.project_id !== projectOf(c) && !isAdmin(c)))
    throw notFound(`Snapshot ${id} could not be found.`);
  return s;
}

/** cinder snapshots: create (creating -> available), list, detail, get, update, delete (deleting -> gone). */
export function registerSnapshots(g: RouteGroup, sim: SimState): void {
  const world = sim.world;
  const st = () => volumeState(world);
  g.post("/snapshots", async (c) => {
    const body = member(await readJson(c), "snapshot");
    const volumeId = optString(body, "volume_id", "snapshot.volume_id");
    if (!volumeId)
      throw badRequest("Invalid input for field/attribute volume_id. 'volume_id' is a required property");
    const v = findVolume(c, volumeId);
    const force = optBool(body, "force", "snapshot.force") ?? false;
    if (!(v.status === "available" || (force && v.status === "in-use"))) {
      throw badRequest(
        `Invalid volume: Volume ${v.id} status must be available, but current status is: ${v.status}.`,
      );
    }
    const pid = v.project_id;
    const max = world.quota("volume", pid, "snapshots");
    if (max >= 0 && st().snapshots.ofProject(pid).length + 1 > max) {
      throw overQuota(`Maximum number of snapshots allowed (${max}) exceeded`);
    }
    const maxGb = world.quota("volume", pid, "gigabytes");
    const used = volumeUsage(world, pid).gigabytes;
    if (maxGb >= 0 && used + v.size > maxGb) {
      throw overQuota(
        `Requested volume or snapshot exceeds allowed gigabytes quota. Requested ${v.size}G, quota is ${maxGb}G and ${used}G has been consumed.`,
      );
    }
    const now = world.clock.now();
    const s = st().snapshots.insert({
      id: world.ids.uuid(),
      project_id: pid,
      seq: world.ids.seq(),
      name:
        optString(body, "name", "snapshot.name") ??
        optString(body, "display_name", "snapshot.display_name") ??
        null,
      description: optString(body, "description", "snapshot.description") ?? null,
      volume_id: v.id,
      user_id: c.var.token.user_id,
      size: v.size,
      status: "creating",
      metadata: Object.fromEntries(
        Object.entries((body.metadata ?? {}) as Record<string, unknown>).map(([k, x]) => [k, String(x)]),
      ),
      created: now,
      updated: null,
    });
    const finish = () => {
      if (st().snapshots.get(s.id) !== s) return;
      s.status = "available";
      s.updated = world.clock.now();
    };
    if (st().delayMs <= 0) finish();
    else world.schedule(now + st().delayMs, "volume", `snapshot:${s.id}`, finish);
    return json(c, 202, { snapshot: withoutExtensionAttributes(snapshotView(c, s)) });
  });
  const list = (c: SimContext, detail: boolean) => {
    const admin = isAdmin(c);
    const all = admin && ["1", "true", "True"].includes(c.req.query("all_tenants") ?? "");
    const rows = (all ? st().snapshots.all() : st().snapshots.ofProject(projectOf(c))).filter((s) => {
      const vid = c.req.query("volume_id");
      const status = c.req.query("status");
      const name = c.req.query("name");
      return (
        (vid === undefined || s.volume_id === vid) &&
        (status === undefined || s.status === status) &&
        (name === undefined || s.name === name)
      );
    });
    const views = [...rows].reverse().map((s) => {
      const v = snapshotView(c, s);
      if (detail) return v;
      const {
        "os-extended-snapshot-attributes:progress": _p,
        "os-extended-snapshot-attributes:project_id": _q,
        ...summary
      } = v;
      return summary;
    });
    return json(c, 200, { snapshots: views });
  };
  g.get("/snapshots", (c) => list(c, false));
  g.get("/snapshots/detail", (c) => list(c, true));
  g.get("/snapshots/:snapshot_id", (c) =>
    json(c, 200, { snapshot: snapshotView(c, findSnapshot(c, c.req.param("snapshot_id")!)) }),
  );
  g.put("/snapshots/:snapshot_id", async (c) => {
    const s = findSnapshot(c, c.req.param("snapshot_id")!);
    const body = member(await readJson(c), "snapshot");
    const name = optString(body, "name", "snapshot.name");
    const description = optString(body, "description", "snapshot.description");
    if (name !== undefined) s.name = name;
    if (description !== undefined) s.description = description;
    s.updated = world.clock.now();
    return json(c, 200, { snapshot: withoutExtensionAttributes(snapshotView(c, s)) });
  });
  g.delete("/snapshots/:snapshot_id", (c) => {
    const s = findSnapshot(c, c.req.param("snapshot_id")!);
    if (!["available", "error"].includes(s.status)) {
      throw badRequest(
        `Invalid snapshot: Volume Snapshot status must be available or error, but current status is: ${s.status}.`,
      );
    }
    s.status = "deleting";
    const finish = () => void st().snapshots.remove(s.id);
    if (st().delayMs <= 0) finish();
    else world.schedule(world.clock.now() + st().delayMs, "volume", `snapshot:${s.id}`, finish);
    return empty(c, 202);
  });
}
