import { projectOf } from "../../core/auth.js";
import { badRequest, forbidden, notFound, SimError } from "../../core/errors.js";
import { empty, json, optString, readJson } from "../../core/http.js";
import type { RouteGroup, SimContext, SimState } from "../../core/service.js";
import { findImage, ownImage } from "./images-v2.js";
import { imageState, type MemberRecord, type MemberStatus } from "./state.js";

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function memberView(imageId: string, memberId: string, m: MemberRecord) {
  return {
    created_at: iso(m.created),
    image_id: imageId,
    member_id: memberId,
    schema: "/v2/schemas/member",
    status: m.status,
    updated_at: iso(m.updated),
  };
}

function membersOf(c: SimContext, imageId: string): Map<string, MemberRecord> {
  const all = imageState(c.var.sim.world).members;
  let m = all.get(imageId);
  if (!m) {
    m = new Map();
    all.set(imageId, m);
  }
  return m;
}

/** glance v2 image members (sharing `shared` images with other projects). */
export function registerMembersV2(v2: RouteGroup, sim: SimState): void {
  const world = sim.world;
  v2.get("/images/:image_id/members", (c) => {
    const img = findImage(c, c.req.param("image_id")!);
    const pid = projectOf(c);
    const rows = [...membersOf(c, img.id)].filter(([id]) => img.project_id === pid || id === pid);
    return json(c, 200, {
      members: rows.map(([id, m]) => memberView(img.id, id, m)),
      schema: "/v2/schemas/members",
    });
  });
  v2.post("/images/:image_id/members", async (c) => {
    const img = ownImage(c, c.req.param("image_id")!, "add_member");
    if (img.visibility !== "shared") {
      throw forbidden(`Only shared images have members. Image ${img.id} has visibility ${img.visibility}.`);
    }
    const memberId = optString(await readJson(c), "member");
    if (!memberId) throw badRequest("Member to be added not specified");
    const members = membersOf(c, img.id);
    if (members.has(memberId))
      throw new SimError(409, `Member ${memberId} already associated with image ${img.id}`);
    const now = world.clock.now();
    const m: MemberRecord = { status: "pending", created: now, updated: now };
    members.set(memberId, m);
    return json(c, 200, memberView(img.id, memberId, m));
  });
  v2.get("/images/:image_id/members/:member_id", (c) => {
    const img = findImage(c, c.req.param("image_id")!);
    const id = c.req.param("member_id")!;
    const m = membersOf(c, img.id).get(id);
    if (!m || (img.project_id !== projectOf(c) && id !== projectOf(c)))
      throw notFound(`Member ${id} not found`);
    return json(c, 200, memberView(img.id, id, m));
  });
  v2.put("/images/:image_id/members/:member_id", async (c) => {
    const img = findImage(c, c.req.param("image_id")!);
    const id = c.req.param("member_id")!;
    const m = membersOf(c, img.id).get(id);
    if (!m) throw notFound(`Member ${id} not found`);
    // NOTE: only the member itself may accept or reject a share (glance's modify_member policy).
    if (id !== projectOf(c)) throw forbidden("You are not authorized to complete modify_member action.");
    const status = optString(await readJson(c), "status");
    if (!status || !["pending", "accepted", "rejected"].includes(status)) {
      throw badRequest(
        `Provided object does not match schema 'member': ${JSON.stringify(status)} is not one of ['pending', 'accepted', 'rejected']`,
      );
    }
    m.status = status as MemberStatus;
    m.updated = world.clock.now();
    return json(c, 200, memberView(img.id, id, m));
  });
  v2.delete("/images/:image_id/members/:member_id", (c) => {
    const img = ownImage(c, c.req.param("image_id")!, "delete_member");
    const id = c.req.param("member_id")!;
    if (!membersOf(c, img.id).delete(id)) throw notFound(`Member ${id} not found`);
    return empty(c, 204);
  });
}
