import { isAdmin, projectOf } from "../../core/auth.js";
import { badRequest, conflict, forbidden, notFound, SimError } from "../../core/errors.js";
import { noteFault } from "../../core/fault-effects.js";
import {
  empty,
  type JsonObject,
  json,
  member,
  optBool,
  optInt,
  optString,
  readJson,
} from "../../core/http.js";
import { atLeast } from "../../core/microversion.js";
import type { BlockDeviceRecord, ServerRecord } from "../../core/records.js";
import type { RouteGroup, SimContext, SimState } from "../../core/service.js";
import { pageOf } from "../../core/table.js";
import type { World } from "../../core/world.js";
import { autoAllocatedTopology, createPort, defaultSecurityGroup, deletePort } from "../network/ops.js";
import { flavorVisible } from "./interfaces.js";
import { deleteServer, scheduleBuild } from "./lifecycle.js";
import {
  checkCreateBody,
  checkDescription,
  checkKnownKeys,
  checkMetadata,
  checkServerName,
  checkUserData,
  novaBoolean,
} from "./request-schemas.js";
import { RACKSPACE_PRIVATE_NET, RACKSPACE_PUBLIC_NET } from "./seed.js";
import { insertServer } from "./server-record.js";
import { reservationsOf, serverSummary, serverView, updatedServerView, type ViewContext } from "./views.js";

const MAX_LIMIT = 1000;

/** The view context of a request. */
export function viewCtx(c: SimContext): ViewContext {
  return { sim: c.var.sim, mv: c.var.microversion ?? "2.1", admin: isAdmin(c) };
}

/** A live server the caller may see, or nova's 404. */
export function findServer(c: SimContext, id: string): ServerRecord {
  const s = c.var.sim.world.servers.get(id);
  if (!s || s.deleted_at !== null || (s.project_id !== projectOf(c) && !isAdmin(c))) {
    throw notFound(`Instance ${id} could not be found.`);
  }
  return s;
}

function usage(world: World, projectId: string) {
  let instances = 0;
  let cores = 0;
  let ram = 0;
  for (const s of world.servers.ofProject(projectId)) {
    if (s.deleted_at !== null) continue;
    const f = world.flavors.get(s.flavor_id);
    instances += 1;
    cores += f?.vcpus ?? 0;
    ram += f?.ram ?? 0;
  }
  return { instances, cores, ram };
}

/** Compute usage of a project (instances, cores, ram) for limits and quota sets. */
export const computeUsage = usage;

function fits(c: SimContext, projectId: string, vcpus: number, ram: number, instances: number): boolean {
  const world = c.var.sim.world;
  const used = usage(world, projectId);
  const want = { instances, cores: vcpus, ram };
  return (["instances", "cores", "ram"] as const).every((r) => {
    const limit = world.quota("compute", projectId, r);
    return limit < 0 || used[r] + want[r] <= limit;
  });
}

function checkQuota(c: SimContext, projectId: string, vcpus: number, ram: number, instances = 1): void {
  const world = c.var.sim.world;
  const used = usage(world, projectId);
  const want = { instances, cores: vcpus, ram };
  for (const r of ["instances", "cores", "ram"] as const) {
    const limit = world.quota("compute", projectId, r);
    if (limit >= 0 && used[r] + want[r] > limit) {
      // NOTE: nova answers quota overruns on server create with 403 (413 before Kilo); Retry-After: 0 on old clouds.
      const headers: Record<string, string> =
        c.var.sim.profile.name === "modern" ? {} : { "Retry-After": "0" };
      throw new SimError(
        403,
        `Quota exceeded for ${r}: Requested ${want[r]}, but already used ${used[r]} of ${limit} ${r}`,
        { headers },
      );
    }
  }
}

interface NetworkRequest {
  uuid?: string;
  port?: string;
  fixed_ip?: string;
}

function parseNetworks(c: SimContext, body: JsonObject): "auto" | "none" | NetworkRequest[] | undefined {
  const v = body.networks;
  const mv = c.var.microversion;
  if (v === undefined) {
    if (atLeast(mv, "2.37")) {
      throw badRequest(
        "Invalid input for field/attribute server. Value: ... 'networks' is a required property",
      );
    }
    return undefined;
  }
  if (v === "auto" || v === "none") {
    if (!atLeast(mv, "2.37"))
      throw badRequest(
        `Invalid input for field/attribute networks. Value: ${v}. '${v}' is not of type 'array'`,
      );
    return v;
  }
  if (!Array.isArray(v))
    throw badRequest(
      `Invalid input for field/attribute networks. Value: ${JSON.stringify(v)}. is not of type 'array'`,
    );
  return v.map((n, i) => {
    if (typeof n !== "object" || n === null)
      throw badRequest(`Invalid input for field/attribute networks[${i}].`);
    const o = n as Record<string, unknown>;
    const r: NetworkRequest = {};
    if (typeof o.uuid === "string") r.uuid = o.uuid;
    if (typeof o.port === "string") r.port = o.port;
    if (typeof o.fixed_ip === "string") r.fixed_ip = o.fixed_ip;
    if (!r.uuid && !r.port) throw badRequest("Bad networks format: network uuid is not in proper format");
    return r;
  });
}

function attachNetworks(c: SimContext, s: ServerRecord, req: ReturnType<typeof parseNetworks>): void {
  const { world, profile } = c.var.sim;
  const pid = s.project_id;
  const sgIds = () => {
    if (!profile.network.enabled) return [];
    return s.security_groups.map((name) => {
      if (name === "default") return defaultSecurityGroup(world, pid).id;
      const g = world.securityGroups.ofProject(pid).find((x) => x.name === name || x.id === name);
      if (!g) throw badRequest(`Security group ${name} not found for project ${pid}.`);
      return g.id;
    });
  };
  const addPort = (networkId: string, fixedIp?: string) => {
    const port = createPort(world, pid, {
      network_id: networkId,
      ...(fixedIp ? { fixed_ips: [{ ip_address: fixedIp }] } : {}),
      device_id: s.id,
      device_owner: "compute:nova",
      binding_host_id: "sim-compute",
      security_group_ids: sgIds(),
    });
    port.status = "DOWN";
    s.nova_port_ids.push(port.id);
  };
  if (profile.publicAddressesOnServers) {
    // NOTE: Rackspace attaches PublicNet and ServiceNet to every server whatever was requested.
    addPort(RACKSPACE_PUBLIC_NET);
    addPort(RACKSPACE_PRIVATE_NET);
    for (const n of Array.isArray(req) ? req : []) {
      if (n.uuid && n.uuid !== RACKSPACE_PUBLIC_NET && n.uuid !== RACKSPACE_PRIVATE_NET)
        addPort(n.uuid, n.fixed_ip);
    }
    return;
  }
  if (req === "none") return;
  // NOTE: nova's "auto" (2.37) allocates a topology only when the project has no usable
  // network; with exactly one it boots there, with several it refuses, as with no request.
  const candidates = world.networks.all().filter((n) => !n.external && (n.project_id === pid || n.shared));
  if (req === "auto" && candidates.length === 0) {
    addPort(autoAllocatedTopology(world, pid).id);
    return;
  }
  if (req === undefined || req === "auto") {
    if (candidates.length === 0) return;
    if (candidates.length > 1)
      throw conflict("Multiple possible networks found, use a Network ID to be more specific.");
    addPort(candidates[0]!.id);
    return;
  }
  for (const n of req) {
    if (n.port) {
      const port = world.ports.get(n.port);
      if (!port || (port.project_id !== pid && !isAdmin(c)))
        throw badRequest(`Port id ${n.port} could not be found.`);
      if (port.device_id) throw conflict(`Port ${n.port} is still in use.`);
      port.device_id = s.id;
      port.device_owner = "compute:nova";
      port.binding_host_id = "sim-compute";
      world.indexPortDevice(port);
      continue;
    }
    const net = world.networks.get(n.uuid!);
    if (!net || (net.project_id !== pid && !net.shared && !isAdmin(c)))
      throw badRequest(`Network ${n.uuid} could not be found.`);
    addPort(net.id, n.fixed_ip);
  }
}

function parseBdm(c: SimContext, body: JsonObject): BlockDeviceRecord[] {
  const raw = body.block_device_mapping_v2;
  if (raw === undefined) return [];
  if (!Array.isArray(raw))
    throw badRequest("Invalid input for field/attribute block_device_mapping_v2. is not of type 'array'");
  const world = c.var.sim.world;
  return raw.map((b, i) => {
    const o = (b ?? {}) as Record<string, unknown>;
    const source = o.source_type;
    const dest = o.destination_type ?? "volume";
    const size = Number(o.volume_size ?? 0);
    const bootIndex = o.boot_index === undefined || o.boot_index === null ? null : Number(o.boot_index);
    const del = o.delete_on_termination === true || o.delete_on_termination === "true";
    if (dest !== "volume")
      return { volume_id: "", boot_index: bootIndex, delete_on_termination: true, device: "", tag: null };
    let volumeId: string;
    if (source === "volume") {
      volumeId = String(o.uuid ?? "");
      const vol = world.volumes.get(volumeId);
      if (!vol) throw badRequest(`Block Device Mapping is Invalid: failed to get volume ${volumeId}.`);
      if (vol.status !== "available")
        throw badRequest(`Block Device Mapping is Invalid: volume ${volumeId} status must be 'available'.`);
    } else if (source === "image" || source === "blank" || source === "snapshot") {
      if (!Number.isInteger(size) || size <= 0) {
        throw badRequest(
          `Block Device Mapping is Invalid: You specified more local devices than the limit allows (volume_size required for block_device_mapping_v2[${i}]).`,
        );
      }
      const now = world.clock.now();
      const image = source === "image" ? String(o.uuid ?? "") : null;
      if (image !== null && !world.images.has(image))
        throw badRequest(`Block Device Mapping is Invalid: failed to get image ${image}.`);
      volumeId = world.volumes.insert({
        id: world.ids.uuid(),
        seq: world.ids.seq(),
        project_id: projectOf(c),
        name: "",
        description: null,
        user_id: c.var.token.user_id,
        size,
        status: "available",
        volume_type: "lvmdriver-1",
        availability_zone: "nova",
        bootable: image !== null,
        image_id: image,
        snapshot_id: null,
        source_volid: null,
        metadata: {},
        attachments: [],
        multiattach: false,
        encrypted: false,
        created: now,
        updated: now,
      }).id;
    } else {
      throw badRequest(`Block Device Mapping is Invalid: source_type ${String(source)} is not valid.`);
    }
    return {
      volume_id: volumeId,
      boot_index: bootIndex,
      delete_on_termination: del,
      device: `/dev/vd${String.fromCharCode(97 + i)}`,
      tag: typeof o.tag === "string" ? o.tag : null,
    };
  });
}

async function createServer(c: SimContext): Promise<Response> {
  const { world, faults } = c.var.sim;
  const pid = projectOf(c);
  const body = await readJson(c);
  const sv = member(body, "server");
  checkCreateBody(c, body, sv);
  if (!("name" in sv))
    throw badRequest("Invalid input for field/attribute server. 'name' is a required property");
  const name = checkServerName(c, sv.name);
  const description = checkDescription(c, sv) ?? null;
  const flavorRef =
    String(sv.flavorRef ?? "")
      .split("/")
      .pop() ?? "";
  const flavor = world.flavors.get(flavorRef) ?? world.flavors.find((f) => f.name === flavorRef);
  if (!flavor || !flavorVisible(c, flavor)) throw badRequest(`Flavor ${flavorRef} could not be found.`);
  const bdms = parseBdm(c, sv);
  const bootFromVolume = bdms.some((b) => b.boot_index === 0 && b.volume_id !== "");
  const imageRef =
    String(sv.imageRef ?? "")
      .split("/")
      .pop() ?? "";
  const image = imageRef ? world.images.get(imageRef) : undefined;
  if (imageRef && !image) throw badRequest(`Can not find requested image`);
  if (!image && !bootFromVolume)
    throw badRequest(
      "Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination is not valid.",
    );
  if (image && image.status !== "active") throw badRequest(`Image ${image.id} is not active.`);
  if (image && image.visibility === "private" && image.project_id !== pid && !isAdmin(c))
    throw badRequest(`Can not find requested image`);
  const keyName = optString(sv, "key_name", "server.key_name") ?? null;
  if (keyName !== null && !world.keypairs.ofProject(c.var.token.user_id).some((k) => k.name === keyName)) {
    throw badRequest(`Invalid key_name provided.`);
  }
  const md = checkMetadata(sv.metadata ?? {});
  const mdLimit = world.quota("compute", pid, "metadata_items");
  if (mdLimit >= 0 && Object.keys(md).length > mdLimit)
    throw forbidden(`Maximum number of metadata items exceeds ${mdLimit}`);
  const sgs = Array.isArray(sv.security_groups)
    ? sv.security_groups.map((g, i) => {
        const name = typeof g === "object" && g !== null ? (g as { name?: unknown }).name : undefined;
        if (typeof name !== "string" || name === "")
          throw badRequest(
            `Invalid input for field/attribute security_groups[${i}]. 'name' is a required property`,
          );
        return name;
      })
    : ["default"];
  const userData = checkUserData(c, sv.user_data);
  const az = optString(sv, "availability_zone", "server.availability_zone") ?? "nova";
  if (az.split(":")[0] !== "nova") throw badRequest(`The requested availability zone is not available`);
  const networks = parseNetworks(c, sv);
  const hints = (body["os:scheduler_hints"] ?? body["OS-SCH-HNT:scheduler_hints"] ?? {}) as Record<
    string,
    unknown
  >;
  const groupId = typeof hints.group === "string" ? hints.group : null;
  const group = groupId ? world.serverGroups.get(groupId) : undefined;
  if (groupId && !group) throw badRequest(`Invalid server group ${groupId}.`);
  checkQuota(c, pid, flavor.vcpus, flavor.ram);
  if (group) {
    const limit = world.quota("compute", pid, "server_group_members");
    if (limit >= 0 && group.members.length >= limit)
      throw forbidden("Quota exceeded, too many servers in group");
  }
  if (sgs.length > 0 && c.var.sim.profile.network.enabled) {
    for (const name of sgs) {
      if (name === "default") continue;
      if (!world.securityGroups.ofProject(pid).some((g) => g.name === name || g.id === name)) {
        throw badRequest(`Security group ${name} not found for project ${pid}.`);
      }
    }
  }
  const delayMeta = md["sim:build_delay_ms"];
  const delay = delayMeta !== undefined && /^\d+$/.test(delayMeta) ? Number(delayMeta) : world.buildDelayMs;
  const failRule = faults.takeBuildFailure("compute", "POST /servers");
  if (failRule !== undefined) noteFault(c, "failBuild");
  // A stuck build never gets its timer: the server stays BUILD/spawning until deleted.
  const stuck = failRule === undefined && faults.take("stuckBuild", "compute", "POST /servers") !== undefined;
  if (stuck) noteFault(c, "stuckBuild");
  const failMessage =
    failRule ??
    (image?.fail_builds ? `Build of instance failed: image ${image.id} is marked to fail` : undefined) ??
    (flavor.fail_builds ? `No valid host was found. There are not enough hosts available.` : undefined) ??
    (md["sim:fail"] !== undefined ? md["sim:fail"] || "Simulated build failure" : undefined);
  // NOTE: nova multiple create: max_count servers if the quota allows, else as many as fit down to
  // min_count (403 below), named "<name>-<n>" when more than one, sharing one reservation id.
  const minCount = optInt(body.server as JsonObject, "min_count", "server.min_count") ?? 1;
  const maxCount = optInt(body.server as JsonObject, "max_count", "server.max_count") ?? minCount;
  if (minCount < 1 || maxCount < minCount) {
    throw badRequest(
      `Invalid input for field/attribute min_count/max_count: min_count ${minCount} must be >= 1 and <= max_count ${maxCount}.`,
    );
  }
  let count = maxCount;
  while (count > minCount && !fits(c, pid, flavor.vcpus * count, flavor.ram * count, count)) count--;
  if (count > 1) checkQuota(c, pid, flavor.vcpus * count, flavor.ram * count, count);
  const reservationId = `r-${world.ids.hex().slice(0, 8)}`;
  const created: ServerRecord[] = [];
  const one = (index: number): ServerRecord => {
    const s = insertServer(world, {
      name: count > 1 ? `${name}-${index + 1}` : name,
      project_id: pid,
      user_id: c.var.token.user_id,
      image_id: bootFromVolume ? "" : (image?.id ?? ""),
      flavor_id: flavor.id,
      status: "BUILD",
      metadata: md,
      key_name: keyName,
      security_groups: sgs,
      availability_zone: az.split(":")[0]!,
      user_data: userData,
      config_drive: optBool(sv, "config_drive") ? "True" : "",
      access_ipv4: optString(sv, "accessIPv4") ?? "",
      access_ipv6: optString(sv, "accessIPv6") ?? "",
      description,
      tags: atLeast(c.var.microversion, "2.52") && Array.isArray(sv.tags) ? sv.tags.map(String) : [],
      block_devices: bdms.filter((b) => b.volume_id !== ""),
      scheduler_hints: hints,
      server_group_id: group?.id ?? null,
      build_fault: failMessage ?? null,
    });
    try {
      attachNetworks(c, s, networks);
    } catch (e) {
      for (const id of s.nova_port_ids) deletePort(world, id);
      world.servers.remove(s.id);
      throw e;
    }
    const now = world.clock.now();
    for (const b of s.block_devices) {
      const vol = world.volumes.get(b.volume_id);
      if (vol) {
        vol.status = "in-use";
        vol.updated = now;
        vol.attachments.push({
          attachment_id: world.ids.uuid(),
          server_id: s.id,
          device: b.device,
          host_name: "sim-compute",
          attached_at: now,
        });
      }
    }
    group?.members.push(s.id);
    if (stuck) s.task_state = "spawning";
    else scheduleBuild(world, s, delay);
    return s;
  };
  try {
    for (let i = 0; i < count; i++) created.push(one(i));
  } catch (e) {
    for (const x of created) deleteServer(world, x);
    throw e;
  }
  const s = created[0]!;
  const reservations = reservationsOf(world);
  for (const x of created) reservations.set(x.id, reservationId);
  const adminPass = Math.random().toString(36).slice(2, 14);
  const v = viewCtx(c);
  const summary = serverSummary(v, s);
  const out: Record<string, unknown> = {
    id: s.id,
    links: summary.links,
    "OS-DCF:diskConfig": "MANUAL",
    security_groups: sgs.map((n) => ({ name: n })),
    adminPass,
  };
  if (
    sv.return_reservation_id !== undefined &&
    novaBoolean(sv.return_reservation_id, "return_reservation_id")
  )
    return json(c, 202, { reservation_id: reservationId });
  return json(c, 202, { server: out }, { Location: summary.links[0]!.href });
}

function parseTime(text: string, field: string): number {
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  if (Number.isNaN(t))
    throw badRequest(
      `Invalid input for query parameters ${field}. Value: ${text}. '${text}' is not a 'date-time'`,
    );
  return t;
}

function listServers(c: SimContext, detail: boolean): Response {
  const { world } = c.var.sim;
  const q = (k: string) => c.req.query(k);
  const admin = isAdmin(c);
  const mv = c.var.microversion;
  const allTenants =
    admin &&
    q("all_tenants") !== undefined &&
    q("all_tenants") !== "0" &&
    q("all_tenants")?.toLowerCase() !== "false";
  const projectFilter = admin ? (q("project_id") ?? q("tenant_id")) : undefined;
  const rows =
    allTenants && !projectFilter
      ? world.servers.all()
      : world.servers.ofProject(projectFilter ?? projectOf(c));
  const changesSince =
    q("changes-since") === undefined ? undefined : parseTime(q("changes-since")!, "changes-since");
  const changesBefore =
    q("changes-before") === undefined || !atLeast(mv, "2.66")
      ? undefined
      : parseTime(q("changes-before")!, "changes-before");
  const deleted = admin && (q("deleted") === "true" || q("deleted") === "True");
  let nameRe: RegExp | undefined;
  if (q("name") !== undefined) {
    try {
      nameRe = new RegExp(q("name")!);
    } catch {
      throw badRequest(`Invalid input for query parameters name. Value: ${q("name")}.`);
    }
  }
  const ipRe = q("ip") === undefined ? undefined : new RegExp(q("ip")!.replaceAll(".", "\\."));
  const ip6Re = q("ip6") === undefined ? undefined : new RegExp(q("ip6")!);
  const statuses = (c.req.queries("status") ?? []).map((s) => s.toUpperCase());
  const flavor = q("flavor");
  const image = q("image");
  const keyName = q("key_name");
  const az = q("availability_zone");
  const userId = q("user_id");
  const locked = q("locked");
  const split = (k: string) => (c.req.queries(k) ?? []).flatMap((v) => v.split(",")).filter(Boolean);
  const tagsAll = atLeast(mv, "2.26") ? split("tags") : [];
  const tagsAny = atLeast(mv, "2.26") ? split("tags-any") : [];
  const notTags = atLeast(mv, "2.26") ? split("not-tags") : [];
  const notTagsAny = atLeast(mv, "2.26") ? split("not-tags-any") : [];
  const ipsOf = (s: ServerRecord) =>
    world.portsOfDevice(s.id).flatMap((p) => p.fixed_ips.map((f) => f.ip_address));
  const predicate = (s: ServerRecord) => {
    if (s.deleted_at !== null && changesSince === undefined && changesBefore === undefined && !deleted)
      return false;
    if (deleted && s.deleted_at === null) return false;
    if (changesSince !== undefined && s.updated < changesSince) return false;
    if (changesBefore !== undefined && s.updated > changesBefore) return false;
    if (nameRe && !nameRe.test(s.name)) return false;
    if (statuses.length > 0 && !statuses.includes(s.status)) return false;
    if (flavor !== undefined && s.flavor_id !== flavor) return false;
    if (image !== undefined && s.image_id !== image) return false;
    if (keyName !== undefined && s.key_name !== keyName) return false;
    if (az !== undefined && s.availability_zone !== az) return false;
    if (userId !== undefined && s.user_id !== userId) return false;
    if (locked !== undefined && atLeast(mv, "2.73") && String(s.locked) !== locked.toLowerCase())
      return false;
    if (ipRe && !ipsOf(s).some((ip) => !ip.includes(":") && ipRe.test(ip))) return false;
    if (ip6Re && !ipsOf(s).some((ip) => ip.includes(":") && ip6Re.test(ip))) return false;
    if (tagsAll.length > 0 && !tagsAll.every((t) => s.tags.includes(t))) return false;
    if (tagsAny.length > 0 && !tagsAny.some((t) => s.tags.includes(t))) return false;
    if (notTags.length > 0 && notTags.every((t) => s.tags.includes(t))) return false;
    if (notTagsAny.some((t) => s.tags.includes(t))) return false;
    return true;
  };
  const limitText = q("limit");
  let limit = MAX_LIMIT;
  if (limitText !== undefined) {
    limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 0)
      throw badRequest(`Invalid input for query parameters limit. Value: ${limitText}.`);
    limit = Math.min(limit, MAX_LIMIT);
  }
  const markerId = q("marker");
  let afterSeq: number | undefined;
  if (markerId !== undefined) {
    const m = world.servers.get(markerId);
    if (!m) throw badRequest(`marker [${markerId}] not found`);
    afterSeq = m.seq;
  }
  const sortDir = q("sort_dir") ?? "desc";
  const { rows: page } = pageOf(rows, {
    descending: sortDir !== "asc",
    ...(afterSeq === undefined ? {} : { afterSeq }),
    limit,
    predicate,
  });
  const v = viewCtx(c);
  const key = "servers";
  const body: Record<string, unknown> = {
    [key]: page.map((s) => (detail ? serverView(v, s, true) : serverSummary(v, s))),
  };
  // NOTE: nova adds a `next` link whenever a page is full, even when nothing follows.
  if (page.length > 0 && page.length === limit) {
    const u = new URL(c.req.url);
    u.searchParams.set("marker", page[page.length - 1]!.id);
    body.servers_links = [{ href: `${c.var.sim.baseUrl}${u.pathname}${u.search}`, rel: "next" }];
  }
  return json(c, 200, body);
}

/** Server CRUD and lists. */
export function registerServers(g: RouteGroup, sim: SimState): void {
  const world = sim.world;
  g.get("/servers", (c) => listServers(c, false));
  g.get("/servers/detail", (c) => listServers(c, true));
  g.post("/servers", createServer);
  g.get("/servers/:server_id", (c) =>
    json(c, 200, { server: serverView(viewCtx(c), findServer(c, c.req.param("server_id")!)) }),
  );
  g.put("/servers/:server_id", async (c) => {
    const s = findServer(c, c.req.param("server_id")!);
    const sv = member(await readJson(c), "server");
    checkKnownKeys(c, "update", sv);
    if ("name" in sv) s.name = checkServerName(c, sv.name);
    const description = checkDescription(c, sv);
    if (description !== undefined) s.description = description;
    s.access_ipv4 = optString(sv, "accessIPv4") ?? s.access_ipv4;
    s.access_ipv6 = optString(sv, "accessIPv6") ?? s.access_ipv6;
    s.updated = world.clock.now();
    return json(c, 200, { server: updatedServerView(viewCtx(c), s) });
  });
  g.delete("/servers/:server_id", (c) => {
    const s = findServer(c, c.req.param("server_id")!);
    if (s.locked && !isAdmin(c)) throw conflict(`Instance ${s.id} is locked`);
    if (s.task_state !== "deleting") deleteServer(world, s);
    return empty(c, 204);
  });
}
