import { isAdmin } from "../../core/auth.js";
import { badRequest, conflict, forbidden, notFound } from "../../core/errors.js";
import { empty, json, member, readJson } from "../../core/http.js";
import { atLeast } from "../../core/microversion.js";
import type { ServerRecord } from "../../core/records.js";
import type { RouteGroup, SimContext, SimState } from "../../core/service.js";
import { associateFloatingIp, disassociateFloatingIp } from "../network/ops.js";
import { transition } from "./lifecycle.js";
import { checkDescription, checkKnownKeys, checkMetadata, checkServerName } from "./request-schemas.js";
import { computeUsage, findServer, viewCtx } from "./servers.js";
import { addressesOf, basicAddresses, updatedServerView } from "./views.js";

function requireState(s: ServerRecord, action: string, vmStates: string[]): void {
  if (s.task_state !== null || !vmStates.includes(s.vm_state)) {
    throw conflict(
      `Cannot '${action}' instance ${s.id} while it is in ${s.task_state !== null ? `task_state ${s.task_state}` : `vm_state ${s.vm_state}`}`,
    );
  }
}

function floatingAction(
  c: SimContext,
  s: ServerRecord,
  body: Record<string, unknown>,
  add: boolean,
): Response {
  const { world } = c.var.sim;
  // NOTE: nova removed addFloatingIp/removeFloatingIp in microversion 2.44.
  if (atLeast(c.var.microversion, "2.44")) throw notFound("The resource could not be found.");
  const address = String(body.address ?? "");
  const fip = world.floatingIps.find((f) => f.floating_ip_address === address);
  if (!fip || (fip.project_id !== s.project_id && !isAdmin(c))) throw notFound(`floating IP not found`);
  if (!add) {
    const port = fip.port_id ? world.ports.get(fip.port_id) : undefined;
    if (!port || port.device_id !== s.id)
      throw conflict(`Floating IP ${address} is not associated with instance ${s.id}.`);
    disassociateFloatingIp(world, fip);
    return empty(c, 202);
  }
  const fixed = typeof body.fixed_address === "string" ? body.fixed_address : undefined;
  const ports = world.portsOfDevice(s.id);
  const port = ports.find((p) =>
    p.fixed_ips.some((f) => (fixed ? f.ip_address === fixed : !f.ip_address.includes(":"))),
  );
  if (!port)
    throw badRequest(
      fixed ? `Specified fixed address not assigned to instance` : `Instance network is not ready yet`,
    );
  if (c.var.sim.profile.compute.novaNetwork) {
    // nova-network: no routers, any fixed IP can be NATed.
    fip.port_id = port.id;
    fip.fixed_ip_address = fixed ?? port.fixed_ips[0]!.ip_address;
    fip.status = "ACTIVE";
    fip.updated = world.clock.now();
  } else {
    try {
      associateFloatingIp(world, fip, port.id, fixed);
    } catch (e) {
      throw badRequest(
        `Unable to associate floating IP ${address} to fixed IP for instance ${s.id}. Error: ${(e as Error).message}`,
      );
    }
  }
  s.updated = world.clock.now();
  return empty(c, 202);
}

/** Servers in VERIFY_RESIZE and the flavor they came from (for revertResize). */
const resizeFrom = new Map<string, string>();

function checkResizeQuota(c: SimContext, s: ServerRecord, cores: number, ram: number): void {
  const world = c.var.sim.world;
  const used = computeUsage(world, s.project_id);
  for (const [r, add] of [
    ["cores", cores],
    ["ram", ram],
  ] as const) {
    const limit = world.quota("compute", s.project_id, r);
    if (add > 0 && limit >= 0 && used[r] + add > limit) {
      throw forbidden(
        `Quota exceeded for ${r}: Requested ${add}, but already used ${used[r]} of ${limit} ${r}`,
      );
    }
  }
}

/** `rebuild`: new image (and optionally name, metadata, ...), REBUILD then ACTIVE; answers the server. */
function rebuild(c: SimContext, s: ServerRecord, arg: Record<string, unknown>): Response {
  const world = c.var.sim.world;
  checkKnownKeys(c, "rebuild", arg);
  requireState(s, "rebuild", ["active", "stopped", "error"]);
  const ref =
    String(arg.imageRef ?? "")
      .split("/")
      .pop() ?? "";
  const image = world.images.get(ref);
  if (!ref) throw badRequest("Invalid input for field/attribute imageRef. 'imageRef' is a required property");
  if (!image) throw badRequest("Cannot find image for rebuild");
  const name = arg.name === undefined ? undefined : checkServerName(c, arg.name);
  const metadata = arg.metadata === undefined ? undefined : checkMetadata(arg.metadata);
  const description = checkDescription(c, arg);
  if (name !== undefined) s.name = name;
  if (metadata !== undefined) s.metadata = metadata;
  if (description !== undefined) s.description = description;
  s.image_id = image.id;
  s.fault = null;
  transition(
    world,
    s,
    { status: "REBUILD", task: "rebuilding" },
    { status: "ACTIVE", vm: "active", power: 1 },
  );
  const view = updatedServerView(viewCtx(c), s);
  // NOTE: nova's rebuild answers the server with a new adminPass (unless the deployment disables it).
  view.adminPass = Math.random().toString(36).slice(2, 14);
  return json(c, 202, { server: view });
}

/** `POST /servers/{id}/action`, metadata, ips. */
export function registerActions(g: RouteGroup, sim: SimState): void {
  const world = sim.world;
  g.post("/servers/:server_id/action", async (c) => {
    const s = findServer(c, c.req.param("server_id")!);
    const body = await readJson(c);
    const action = Object.keys(body)[0];
    const arg = (body[action ?? ""] ?? {}) as Record<string, unknown>;
    switch (action) {
      case "reboot": {
        const type = String(arg.type ?? "SOFT").toUpperCase();
        if (type !== "SOFT" && type !== "HARD")
          throw badRequest(`Invalid input for field/attribute type. Value: ${type}.`);
        requireState(s, "reboot", ["active", "stopped", "error"]);
        transition(
          world,
          s,
          {
            status: type === "HARD" ? "HARD_REBOOT" : "REBOOT",
            task: type === "HARD" ? "rebooting_hard" : "rebooting",
          },
          { status: "ACTIVE", vm: "active", power: 1 },
        );
        return empty(c, 202);
      }
      case "os-stop":
        requireState(s, "stop", ["active", "error"]);
        transition(
          world,
          s,
          { status: s.status, task: "powering-off" },
          { status: "SHUTOFF", vm: "stopped", power: 4 },
        );
        return empty(c, 202);
      case "os-start":
        requireState(s, "start", ["stopped"]);
        transition(
          world,
          s,
          { status: s.status, task: "powering-on" },
          { status: "ACTIVE", vm: "active", power: 1 },
        );
        return empty(c, 202);
      case "lock":
        s.locked = true;
        return empty(c, 202);
      case "unlock":
        s.locked = false;
        return empty(c, 202);
      case "addFloatingIp":
        return floatingAction(c, s, arg, true);
      case "removeFloatingIp":
        return floatingAction(c, s, arg, false);
      case "createImage": {
        requireState(s, "createImage", ["active", "stopped"]);
        const name = typeof arg.name === "string" ? arg.name : "";
        if (!name) throw badRequest("Invalid input for field/attribute name.");
        const now = world.clock.now();
        const base = world.images.get(s.image_id);
        const img = world.images.insert({
          id: world.ids.uuid(),
          project_id: s.project_id,
          seq: world.ids.seq(),
          name,
          status: "queued",
          visibility: "private",
          disk_format: base?.disk_format ?? "qcow2",
          container_format: "bare",
          size: null,
          virtual_size: null,
          checksum: null,
          os_hash_algo: null,
          os_hash_value: null,
          min_disk: base?.min_disk ?? 0,
          min_ram: base?.min_ram ?? 0,
          protected: false,
          os_hidden: false,
          tags: [],
          properties: {
            image_type: "snapshot",
            instance_uuid: s.id,
            ...(base ? { base_image_ref: base.id } : {}),
            ...Object.fromEntries(
              Object.entries((arg.metadata ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
            ),
          },
          created: now,
          updated: now,
          data: base?.data ?? null,
          fail_builds: false,
        });
        s.task_state = "image_snapshot";
        world.schedule(now + Math.min(world.buildDelayMs, 1000), "image", `snapshot:${img.id}`, () => {
          img.status = "active";
          img.size = base?.size ?? 0;
          img.checksum = base?.checksum ?? null;
          img.os_hash_algo = base?.os_hash_algo ?? null;
          img.os_hash_value = base?.os_hash_value ?? null;
          img.updated = world.clock.now();
          if (s.task_state === "image_snapshot") s.task_state = null;
        });
        const href = `${sim.baseUrl}/image/v2/images/${img.id}`;
        // NOTE: nova 2.45+ returns the image id in the body instead of a Location header.
        if (atLeast(c.var.microversion, "2.45")) return json(c, 202, { image_id: img.id });
        return empty(c, 202, { Location: href });
      }
      case "rebuild":
        return rebuild(c, s, arg);
      case "resize": {
        requireState(s, "resize", ["active", "stopped"]);
        const ref =
          String(arg.flavorRef ?? "")
            .split("/")
            .pop() ?? "";
        const flavor = world.flavors.get(ref);
        if (!flavor) throw badRequest(`Flavor ${ref} could not be found.`);
        if (flavor.id === s.flavor_id) throw badRequest("When resizing, instances must change flavor!");
        const old = world.flavors.get(s.flavor_id);
        checkResizeQuota(c, s, flavor.vcpus - (old?.vcpus ?? 0), flavor.ram - (old?.ram ?? 0));
        const previous = s.flavor_id;
        s.flavor_id = flavor.id;
        s.metadata = { ...s.metadata };
        resizeFrom.set(s.id, previous);
        transition(
          world,
          s,
          { status: "RESIZE", task: "resize_prep" },
          { status: "VERIFY_RESIZE", vm: "resized", power: 1 },
        );
        return empty(c, 202);
      }
      case "confirmResize":
      case "revertResize": {
        if (s.vm_state !== "resized" || s.task_state !== null) {
          throw conflict(`Cannot '${action}' instance ${s.id} while it is in vm_state ${s.vm_state}`);
        }
        const previous = resizeFrom.get(s.id);
        resizeFrom.delete(s.id);
        if (action === "revertResize" && previous) {
          s.flavor_id = previous;
          transition(
            world,
            s,
            { status: "REVERT_RESIZE", task: "resize_reverting" },
            { status: "ACTIVE", vm: "active", power: 1 },
          );
        } else {
          s.status = "ACTIVE";
          s.vm_state = "active";
          s.updated = world.clock.now();
        }
        // NOTE: nova answers confirmResize with 204 and revertResize with 202.
        return empty(c, action === "confirmResize" ? 204 : 202);
      }
      case "changePassword":
      case "pause":
      case "unpause":
      case "suspend":
      case "resume":
        return empty(c, 202);
      default:
        throw badRequest(`There is no such action: ${action}`);
    }
  });

  g.get("/servers/:server_id/ips", (c) =>
    json(c, 200, {
      addresses: basicAddresses(addressesOf(sim, findServer(c, c.req.param("server_id")!).id)),
    }),
  );
  g.get("/servers/:server_id/ips/:network", (c) => {
    // NOTE: nova's ips API shows addresses without the OS-EXT-IPS keys the server view has.
    const a = basicAddresses(addressesOf(sim, findServer(c, c.req.param("server_id")!).id));
    const net = c.req.param("network")!;
    if (!(net in a)) throw notFound("Instance is not a member of specified network");
    return json(c, 200, { [net]: a[net] });
  });

  const metaLimit = (s: ServerRecord, md: Record<string, string>) => {
    const limit = world.quota("compute", s.project_id, "metadata_items");
    if (limit >= 0 && Object.keys(md).length > limit) {
      // NOTE: nova (Kilo to Zed) answers a metadata quota overrun with 403 MetadataLimitExceeded.
      throw forbidden(`Maximum number of metadata items exceeds ${limit}`);
    }
  };
  const strMap = (v: unknown, field = "metadata") => checkMetadata(v, field);
  g.get("/servers/:server_id/metadata", (c) =>
    json(c, 200, { metadata: { ...findServer(c, c.req.param("server_id")!).metadata } }),
  );
  g.put("/servers/:server_id/metadata", async (c) => {
    const s = findServer(c, c.req.param("server_id")!);
    const md = strMap((await readJson(c)).metadata);
    metaLimit(s, md);
    s.metadata = md;
    s.updated = world.clock.now();
    return json(c, 200, { metadata: { ...s.metadata } });
  });
  g.post("/servers/:server_id/metadata", async (c) => {
    const s = findServer(c, c.req.param("server_id")!);
    const md = { ...s.metadata, ...strMap((await readJson(c)).metadata) };
    metaLimit(s, md);
    s.metadata = md;
    s.updated = world.clock.now();
    return json(c, 200, { metadata: { ...s.metadata } });
  });
  g.get("/servers/:server_id/metadata/:key", (c) => {
    const s = findServer(c, c.req.param("server_id")!);
    const key = c.req.param("key")!;
    if (!(key in s.metadata)) throw notFound("Metadata item was not found");
    return json(c, 200, { meta: { [key]: s.metadata[key] } });
  });
  g.put("/servers/:server_id/metadata/:key", async (c) => {
    const s = findServer(c, c.req.param("server_id")!);
    const key = c.req.param("key")!;
    const meta = strMap(member(await readJson(c), "meta"), "meta");
    if (Object.keys(meta).length !== 1 || !(key in meta)) throw badRequest("Request body and URI mismatch");
    const md = { ...s.metadata, ...meta };
    metaLimit(s, md);
    s.metadata = md;
    s.updated = world.clock.now();
    return json(c, 200, { meta });
  });
  g.delete("/servers/:server_id/metadata/:key", (c) => {
    const s = findServer(c, c.req.param("server_id")!);
    const key = c.req.param("key")!;
    if (!(key in s.metadata)) throw notFound("Metadata item was not found");
    delete s.metadata[key];
    s.updated = world.clock.now();
    return empty(c, 204);
  });

  const tagsAllowed = (c: SimContext) => {
    if (!atLeast(c.var.microversion, "2.26")) throw notFound("The resource could not be found.");
  };
  g.get("/servers/:server_id/tags", (c) => {
    tagsAllowed(c);
    return json(c, 200, { tags: [...findServer(c, c.req.param("server_id")!).tags] });
  });
  g.put("/servers/:server_id/tags", async (c) => {
    tagsAllowed(c);
    const s = findServer(c, c.req.param("server_id")!);
    const tags = (await readJson(c)).tags;
    if (!Array.isArray(tags) || tags.length > 50) throw badRequest("Invalid input for field/attribute tags.");
    s.tags = [...new Set(tags.map(String))];
    s.updated = world.clock.now();
    return json(c, 200, { tags: s.tags });
  });
  g.put("/servers/:server_id/tags/:tag", (c) => {
    tagsAllowed(c);
    const s = findServer(c, c.req.param("server_id")!);
    const tag = decodeURIComponent(c.req.param("tag")!);
    if (s.tags.includes(tag)) return empty(c, 204);
    if (s.tags.length >= 50) throw badRequest("The number of tags exceeded the per-server limit 50");
    s.tags.push(tag);
    s.updated = world.clock.now();
    return empty(c, 201, {
      Location: `${sim.baseUrl}/compute/v2.1/servers/${s.id}/tags/${encodeURIComponent(tag)}`,
    });
  });
  g.get("/servers/:server_id/tags/:tag", (c) => {
    tagsAllowed(c);
    const s = findServer(c, c.req.param("server_id")!);
    if (!s.tags.includes(decodeURIComponent(c.req.param("tag")!)))
      throw notFound(`Tag ${c.req.param("tag")} could not be found.`);
    return empty(c, 204);
  });
  g.delete("/servers/:server_id/tags/:tag", (c) => {
    tagsAllowed(c);
    const s = findServer(c, c.req.param("server_id")!);
    const tag = decodeURIComponent(c.req.param("tag")!);
    if (!s.tags.includes(tag)) throw notFound(`Tag ${tag} could not be found.`);
    s.tags = s.tags.filter((t) => t !== tag);
    s.updated = world.clock.now();
    return empty(c, 204);
  });
  g.delete("/servers/:server_id/tags", (c) => {
    tagsAllowed(c);
    const s = findServer(c, c.req.param("server_id")!);
    s.tags = [];
    s.updated = world.clock.now();
    return empty(c, 204);
  });
}
