import { createHash, randomBytes } from "node:crypto";
import { isAdmin, projectOf } from "../../core/auth.js";
import { badRequest, conflict, forbidden, notFound } from "../../core/errors.js";
import { empty, json, member, optInt, optString, readJson } from "../../core/http.js";
import { atLeast } from "../../core/microversion.js";
import type { KeypairRecord, ServerGroupRecord } from "../../core/records.js";
import type { RouteGroup, SimContext, SimState } from "../../core/service.js";
import { pageOf } from "../../core/table.js";
import { flavorVisible } from "./interfaces.js";
import { computeUsage, findServer, viewCtx } from "./servers.js";
import { flavorView } from "./views.js";

function requireAdmin(c: SimContext, rule: string): void {
  if (!isAdmin(c)) throw forbidden(`Policy doesn't allow ${rule} to be performed.`);
}

function keypairView(c: SimContext, k: KeypairRecord, full: boolean) {
  const mv = c.var.microversion;
  const base: Record<string, unknown> = {
    name: k.name,
    public_key: k.public_key,
    fingerprint: k.fingerprint,
  };
  if (atLeast(mv, "2.2")) base.type = k.type;
  if (!full) return base;
  return {
    ...base,
    user_id: k.project_id,
    id: k.seq,
    deleted: false,
    created_at: new Date(k.created).toISOString().replace("Z", "000").replace(/Z$/, ""),
    updated_at: null,
    deleted_at: null,
  };
}

function fakeKey(): { publicKey: string; privateKey: string } {
  const blob = Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from("ssh-rsa"), randomBytes(270)]).toString(
    "base64",
  );
  return {
    publicKey: `ssh-rsa ${blob} Generated-by-Nova`,
    privateKey: `-----BEGIN RSA PRIVATE KEY-----\n${randomBytes(600)
      .toString("base64")
      .match(/.{1,64}/g)!
      .join("\n")}\n-----END RSA PRIVATE KEY-----\n`,
  };
}

function fingerprintOf(publicKey: string): string {
  const b64 = publicKey.trim().split(/\s+/)[1];
  if (!b64 || !/^[A-Za-z0-9+/=]+$/.test(b64))
    throw badRequest("Keypair data is invalid: failed to generate fingerprint");
  return createHash("md5").update(Buffer.from(b64, "base64")).digest("hex").match(/../g)!.join(":");
}

function groupView(c: SimContext, g: ServerGroupRecord) {
  const mv = c.var.microversion;
  const base: Record<string, unknown> = { id: g.id, name: g.name, members: [...g.members] };
  if (atLeast(mv, "2.64")) {
    base.policy = g.policy;
    base.rules = g.rules;
  } else {
    base.policies = [g.policy];
    base.metadata = {};
  }
  if (atLeast(mv, "2.13")) {
    base.project_id = g.project_id;
    base.user_id = g.user_id;
  }
  return base;
}

/** Flavors, keypairs, limits, quota sets, availability zones, server groups, volume attachments. */
export function registerResources(g: RouteGroup, sim: SimState): void {
  const world = sim.world;

  const listFlavors = (c: SimContext, detail: boolean) => {
    const minRam = Number(c.req.query("minRam") ?? 0);
    const minDisk = Number(c.req.query("minDisk") ?? 0);
    const isPublic = c.req.query("is_public");
    const limit = Math.min(Number(c.req.query("limit") ?? 1000), 1000);
    const markerId = c.req.query("marker");
    const marker = markerId === undefined ? undefined : world.flavors.get(markerId);
    if (markerId !== undefined && !marker) throw badRequest(`marker [${markerId}] not found`);
    const { rows } = pageOf(world.flavors.all(), {
      descending: false,
      ...(marker ? { afterSeq: marker.seq } : {}),
      limit,
      predicate: (f) =>
        f.ram >= minRam &&
        f.disk >= minDisk &&
        (isPublic === "None" || isPublic === undefined
          ? flavorVisible(c, f)
          : String(f.is_public) === isPublic.toLowerCase() && flavorVisible(c, f)),
    });
    const v = viewCtx(c);
    const body: Record<string, unknown> = { flavors: rows.map((f) => flavorView(v, f, detail)) };
    if (rows.length === limit && rows.length > 0) {
      const u = new URL(c.req.url);
      u.searchParams.set("marker", rows[rows.length - 1]!.id);
      body.flavors_links = [{ href: `${sim.baseUrl}${u.pathname}${u.search}`, rel: "next" }];
    }
    return json(c, 200, body);
  };
  const findFlavor = (id: string) => {
    const f = world.flavors.get(id);
    if (!f) throw notFound(`Flavor ${id} could not be found.`);
    return f;
  };
  g.get("/flavors", (c) => listFlavors(c, false));
  g.get("/flavors/detail", (c) => listFlavors(c, true));
  g.get("/flavors/:flavor_id", (c) =>
    json(c, 200, { flavor: flavorView(viewCtx(c), findFlavor(c.req.param("flavor_id")!)) }),
  );
  g.post("/flavors", async (c) => {
    requireAdmin(c, "os_compute_api:os-flavor-manage:create");
    const body = member(await readJson(c), "flavor");
    const name = optString(body, "name", "flavor.name");
    if (!name) throw badRequest("Invalid input for field/attribute name.");
    const id = optString(body, "id") ?? world.ids.uuid();
    if (world.flavors.has(id)) throw conflict(`Flavor with ID ${id} already exists.`);
    if (world.flavors.find((f) => f.name === name))
      throw conflict(`Flavor with name ${name} already exists.`);
    const num = (k: string, min: number) => {
      const v = optInt(body, k, `flavor.${k}`);
      if (v === undefined || v < min)
        throw badRequest(`Invalid input for field/attribute ${k}. Value: ${body[k]}.`);
      return v;
    };
    const f = world.flavors.insert({
      id,
      project_id: "",
      seq: world.ids.seq(),
      name,
      ram: num("ram", 1),
      vcpus: num("vcpus", 1),
      disk: num("disk", 0),
      ephemeral: optInt(body, "OS-FLV-EXT-DATA:ephemeral") ?? 0,
      swap: optInt(body, "swap") ?? 0,
      rxtx_factor: Number(body.rxtx_factor ?? 1),
      is_public: body["os-flavor-access:is_public"] !== false,
      description: optString(body, "description") ?? null,
      extra_specs: {},
      fail_builds: false,
    });
    return json(c, 200, { flavor: flavorView(viewCtx(c), f) });
  });
  g.delete("/flavors/:flavor_id", (c) => {
    requireAdmin(c, "os_compute_api:os-flavor-manage:delete");
    world.flavors.remove(findFlavor(c.req.param("flavor_id")!).id);
    return empty(c, 202);
  });
  g.get("/flavors/:flavor_id/os-extra_specs", (c) =>
    json(c, 200, { extra_specs: { ...findFlavor(c.req.param("flavor_id")!).extra_specs } }),
  );
  g.post("/flavors/:flavor_id/os-extra_specs", async (c) => {
    requireAdmin(c, "os_compute_api:os-flavor-extra-specs:create");
    const f = findFlavor(c.req.param("flavor_id")!);
    const specs = member(await readJson(c), "extra_specs");
    for (const [k, v] of Object.entries(specs)) f.extra_specs[k] = String(v);
    return json(c, 200, {
      extra_specs: Object.fromEntries(Object.keys(specs).map((k) => [k, f.extra_specs[k]])),
    });
  });
  g.get("/flavors/:flavor_id/os-extra_specs/:key", (c) => {
    const f = findFlavor(c.req.param("flavor_id")!);
    const key = c.req.param("key")!;
    if (!(key in f.extra_specs)) throw notFound(`Flavor ${f.id} has no extra specs with key ${key}.`);
    return json(c, 200, { [key]: f.extra_specs[key] });
  });
  g.put("/flavors/:flavor_id/os-extra_specs/:key", async (c) => {
    requireAdmin(c, "os_compute_api:os-flavor-extra-specs:update");
    const f = findFlavor(c.req.param("flavor_id")!);
    const key = c.req.param("key")!;
    const body = await readJson(c);
    if (Object.keys(body).length !== 1 || !(key in body)) throw badRequest("Request body and URI mismatch");
    f.extra_specs[key] = String(body[key]);
    return json(c, 200, { [key]: f.extra_specs[key] });
  });
  g.delete("/flavors/:flavor_id/os-extra_specs/:key", (c) => {
    requireAdmin(c, "os_compute_api:os-flavor-extra-specs:delete");
    const f = findFlavor(c.req.param("flavor_id")!);
    const key = c.req.param("key")!;
    if (!(key in f.extra_specs)) throw notFound(`Flavor ${f.id} has no extra specs with key ${key}.`);
    delete f.extra_specs[key];
    return empty(c, 200);
  });

  // Keypairs belong to users: the table's project_id holds the user id.
  const keyOwner = (c: SimContext) => (isAdmin(c) && c.req.query("user_id")) || c.var.token.user_id;
  g.get("/os-keypairs", (c) =>
    json(c, 200, {
      keypairs: world.keypairs.ofProject(keyOwner(c)).map((k) => ({ keypair: keypairView(c, k, false) })),
    }),
  );
  g.get("/os-keypairs/:name", (c) => {
    const k = world.keypairs.ofProject(keyOwner(c)).find((x) => x.name === c.req.param("name"));
    if (!k) throw notFound(`Keypair ${c.req.param("name")} not found for user ${keyOwner(c)}`);
    return json(c, 200, { keypair: keypairView(c, k, true) });
  });
  g.post("/os-keypairs", async (c) => {
    const body = member(await readJson(c), "keypair");
    const name = optString(body, "name", "keypair.name");
    if (!name || !/^[A-Za-z0-9 _.@-]{1,255}$/.test(name))
      throw badRequest("Keypair data is invalid: Keypair name contains unsafe characters");
    const owner = (isAdmin(c) && optString(body, "user_id")) || c.var.token.user_id;
    const mine = world.keypairs.ofProject(owner);
    if (mine.some((k) => k.name === name)) throw conflict(`Key pair '${name}' already exists.`);
    const limit = world.quota("compute", projectOf(c), "key_pairs");
    if (limit >= 0 && mine.length >= limit) throw forbidden("Quota exceeded, too many key pairs.");
    const given = optString(body, "public_key");
    // NOTE: nova 2.92 removed keypair generation; a public key is required.
    if (given === undefined && atLeast(c.var.microversion, "2.92"))
      throw badRequest("Invalid input for field/attribute keypair. 'public_key' is a required property");
    const gen = given === undefined ? fakeKey() : undefined;
    const publicKey = given ?? gen!.publicKey;
    const k = world.keypairs.insert({
      id: world.ids.uuid(),
      project_id: owner,
      seq: world.ids.seq(),
      name,
      public_key: publicKey,
      private_key: gen?.privateKey ?? null,
      fingerprint: fingerprintOf(publicKey),
      type: optString(body, "type") ?? "ssh",
      created: world.clock.now(),
    });
    const view: Record<string, unknown> = { ...keypairView(c, k, false), user_id: owner };
    if (gen) view.private_key = gen.privateKey;
    return json(c, atLeast(c.var.microversion, "2.2") ? 201 : 200, { keypair: view });
  });
  g.delete("/os-keypairs/:name", (c) => {
    const k = world.keypairs.ofProject(keyOwner(c)).find((x) => x.name === c.req.param("name"));
    if (!k) throw notFound(`Keypair ${c.req.param("name")} not found for user ${keyOwner(c)}`);
    world.keypairs.remove(k.id);
    return empty(c, atLeast(c.var.microversion, "2.2") ? 204 : 202);
  });

  g.get("/limits", (c) => {
    const pid = (isAdmin(c) && c.req.query("tenant_id")) || projectOf(c);
    const q = world.quotas("compute", pid);
    const used = computeUsage(world, pid);
    const mv = c.var.microversion;
    const absolute: Record<string, number> = {
      maxServerMeta: q.metadata_items!,
      maxTotalKeypairs: q.key_pairs!,
      maxServerGroups: q.server_groups!,
      maxServerGroupMembers: q.server_group_members!,
      maxTotalCores: q.cores!,
      maxTotalInstances: q.instances!,
      maxTotalRAMSize: q.ram!,
      totalCoresUsed: used.cores,
      totalInstancesUsed: used.instances,
      totalRAMUsed: used.ram,
      totalServerGroupsUsed: world.serverGroups.ofProject(pid).length,
    };
    // NOTE: 2.39 deprecated the image-metadata proxy and took maxImageMeta out of the limits.
    if (!atLeast(mv, "2.39")) absolute.maxImageMeta = 128;
    if (!atLeast(mv, "2.57")) {
      absolute.maxPersonality = q.injected_files!;
      absolute.maxPersonalitySize = q.injected_file_content_bytes!;
    }
    if (!atLeast(mv, "2.36")) {
      absolute.maxSecurityGroupRules = q.security_group_rules!;
      absolute.maxSecurityGroups = q.security_groups!;
      absolute.maxTotalFloatingIps = q.floating_ips!;
      absolute.totalFloatingIpsUsed = world.floatingIps.ofProject(pid).length;
      absolute.totalSecurityGroupsUsed = world.securityGroups.ofProject(pid).length;
    }
    return json(c, 200, { limits: { rate: [], absolute } });
  });

  const quotaSet = (c: SimContext, pid: string) => {
    const q = world.quotas("compute", pid);
    const keys = [
      "cores",
      "instances",
      "ram",
      "key_pairs",
      "metadata_items",
      "server_groups",
      "server_group_members",
    ];
    if (!atLeast(c.var.microversion, "2.57"))
      keys.push("injected_files", "injected_file_content_bytes", "injected_file_path_bytes");
    if (!atLeast(c.var.microversion, "2.36"))
      keys.push("fixed_ips", "floating_ips", "security_groups", "security_group_rules");
    return Object.fromEntries(keys.sort().map((k) => [k, q[k] ?? -1]));
  };
  const quotaProject = (c: SimContext) => {
    const pid = c.req.param("project_id")!;
    if (pid !== projectOf(c) && !isAdmin(c))
      throw forbidden("Policy doesn't allow os_compute_api:os-quota-sets:show to be performed.");
    return pid;
  };
  g.get("/os-quota-sets/:project_id", (c) => {
    const pid = quotaProject(c);
    return json(c, 200, { quota_set: { id: pid, ...quotaSet(c, pid) } });
  });
  g.get("/os-quota-sets/:project_id/defaults", (c) => {
    const pid = quotaProject(c);
    const defaults = Object.fromEntries(
      Object.keys(quotaSet(c, pid)).map((k) => [k, world.quota("compute", "\u0000defaults", k)]),
    );
    return json(c, 200, { quota_set: { id: pid, ...defaults } });
  });
  g.get("/os-quota-sets/:project_id/detail", (c) => {
    const pid = quotaProject(c);
    const used = computeUsage(world, pid);
    const usedOf: Record<string, number> = {
      ...used,
      key_pairs: 0,
      server_groups: world.serverGroups.ofProject(pid).length,
    };
    const detail = Object.fromEntries(
      Object.entries(quotaSet(c, pid)).map(([k, limit]) => [
        k,
        { in_use: usedOf[k] ?? 0, limit, reserved: 0 },
      ]),
    );
    return json(c, 200, { quota_set: { id: pid, ...detail } });
  });
  g.put("/os-quota-sets/:project_id", async (c) => {
    requireAdmin(c, "os_compute_api:os-quota-sets:update");
    const pid = c.req.param("project_id")!;
    const body = member(await readJson(c), "quota_set");
    const limits: Record<string, number> = {};
    for (const k of Object.keys(body)) {
      if (k === "force") continue;
      const v = optInt(body, k, `quota_set.${k}`);
      if (v !== undefined) limits[k] = v;
    }
    world.setQuotas("compute", pid, limits);
    return json(c, 200, { quota_set: quotaSet(c, pid) });
  });

  g.get("/os-availability-zone", (c) =>
    json(c, 200, {
      availabilityZoneInfo: [{ zoneName: "nova", zoneState: { available: true }, hosts: null }],
    }),
  );
  g.get("/os-availability-zone/detail", (c) => {
    requireAdmin(c, "os_compute_api:os-availability-zone:detail");
    const now = world.clock.isoSeconds().replace("Z", ".000000");
    return json(c, 200, {
      availabilityZoneInfo: [
        {
          zoneName: "internal",
          zoneState: { available: true },
          hosts: {
            "sim-controller": {
              "nova-conductor": { available: true, active: true, updated_at: now },
              "nova-scheduler": { available: true, active: true, updated_at: now },
            },
          },
        },
        {
          zoneName: "nova",
          zoneState: { available: true },
          hosts: { "sim-compute": { "nova-compute": { available: true, active: true, updated_at: now } } },
        },
      ],
    });
  });

  g.get("/os-server-groups", (c) => {
    const all = isAdmin(c) && c.req.query("all_projects") !== undefined;
    const rows = all ? world.serverGroups.all() : world.serverGroups.ofProject(projectOf(c));
    return json(c, 200, { server_groups: rows.map((x) => groupView(c, x)) });
  });
  g.get("/os-server-groups/:id", (c) => {
    const x = world.serverGroups.get(c.req.param("id")!);
    if (!x || (x.project_id !== projectOf(c) && !isAdmin(c)))
      throw notFound(`Server group ${c.req.param("id")} could not be found.`);
    return json(c, 200, { server_group: groupView(c, x) });
  });
  g.post("/os-server-groups", async (c) => {
    const body = member(await readJson(c), "server_group");
    const name = optString(body, "name", "server_group.name");
    if (!name) throw badRequest("Invalid input for field/attribute name.");
    const policies = ["anti-affinity", "affinity", "soft-anti-affinity", "soft-affinity"];
    const policy = atLeast(c.var.microversion, "2.64")
      ? optString(body, "policy")
      : Array.isArray(body.policies)
        ? String(body.policies[0])
        : undefined;
    if (!policy || !policies.includes(policy))
      throw badRequest(`Invalid input for field/attribute policy. Value: ${policy}.`);
    const pid = projectOf(c);
    const limit = world.quota("compute", pid, "server_groups");
    if (limit >= 0 && world.serverGroups.ofProject(pid).length >= limit)
      throw forbidden("Quota exceeded, too many server groups.");
    const x = world.serverGroups.insert({
      id: world.ids.uuid(),
      project_id: pid,
      seq: world.ids.seq(),
      name,
      user_id: c.var.token.user_id,
      policy,
      rules: (body.rules ?? {}) as Record<string, unknown>,
      members: [],
    });
    return json(c, 200, { server_group: groupView(c, x) });
  });
  g.delete("/os-server-groups/:id", (c) => {
    const x = world.serverGroups.get(c.req.param("id")!);
    if (!x || (x.project_id !== projectOf(c) && !isAdmin(c)))
      throw notFound(`Server group ${c.req.param("id")} could not be found.`);
    world.serverGroups.remove(x.id);
    return empty(c, 204);
  });

  const attachmentView = (c: SimContext, serverId: string, volumeId: string) => {
    const vol = world.volumes.get(volumeId)!;
    const a = vol.attachments.find((x) => x.server_id === serverId)!;
    const s = world.servers.get(serverId)!;
    const mv = c.var.microversion;
    const out: Record<string, unknown> = { device: a.device, id: volumeId, serverId, volumeId };
    if (atLeast(mv, "2.70")) out.tag = s.block_devices.find((b) => b.volume_id === volumeId)?.tag ?? null;
    if (atLeast(mv, "2.79"))
      out.delete_on_termination =
        s.block_devices.find((b) => b.volume_id === volumeId)?.delete_on_termination ?? false;
    if (atLeast(mv, "2.89")) {
      delete out.id;
      out.attachment_id = a.attachment_id;
      out.bdm_uuid = a.attachment_id;
    }
    return out;
  };
  g.get("/servers/:server_id/os-volume_attachments", (c) => {
    const s = findServer(c, c.req.param("server_id")!);
    const vols = world.volumes
      .ofProject(s.project_id)
      .filter((v) => v.attachments.some((a) => a.server_id === s.id));
    return json(c, 200, { volumeAttachments: vols.map((v) => attachmentView(c, s.id, v.id)) });
  });
  g.get("/servers/:server_id/os-volume_attachments/:volume_id", (c) => {
    const s = findServer(c, c.req.param("server_id")!);
    const vol = world.volumes.get(c.req.param("volume_id")!);
    if (!vol?.attachments.some((a) => a.server_id === s.id))
      throw notFound(`Volume ${c.req.param("volume_id")} is not attached to the instance ${s.id}`);
    return json(c, 200, { volumeAttachment: attachmentView(c, s.id, vol.id) });
  });
  g.post("/servers/:server_id/os-volume_attachments", async (c) => {
    const s = findServer(c, c.req.param("server_id")!);
    const body = member(await readJson(c), "volumeAttachment");
    const volumeId = optString(body, "volumeId", "volumeAttachment.volumeId");
    if (!volumeId) throw badRequest("Invalid input for field/attribute volumeId.");
    const vol = world.volumes.get(volumeId);
    if (!vol || (vol.project_id !== s.project_id && !isAdmin(c)))
      throw notFound(`Volume ${volumeId} could not be found.`);
    if (vol.attachments.some((a) => a.server_id === s.id))
      throw conflict(`volume ${volumeId} already attached`);
    if (vol.status !== "available" && !(vol.multiattach && vol.status === "in-use")) {
      throw badRequest(
        `Invalid volume: volume ${volumeId} status must be 'available'. Currently in '${vol.status}'`,
      );
    }
    const used = new Set(
      world.volumes
        .all()
        .flatMap((v) => v.attachments.filter((a) => a.server_id === s.id).map((a) => a.device)),
    );
    let i = 1;
    while (used.has(`/dev/vd${String.fromCharCode(97 + i)}`)) i++;
    const device = optString(body, "device") ?? `/dev/vd${String.fromCharCode(97 + i)}`;
    const now = world.clock.now();
    vol.attachments.push({
      attachment_id: world.ids.uuid(),
      server_id: s.id,
      device,
      host_name: "sim-compute",
      attached_at: now,
    });
    vol.status = "in-use";
    vol.updated = now;
    s.block_devices.push({
      volume_id: vol.id,
      boot_index: null,
      delete_on_termination: body.delete_on_termination === true,
      device,
      tag: optString(body, "tag") ?? null,
    });
    return json(c, 200, { volumeAttachment: attachmentView(c, s.id, vol.id) });
  });
  g.delete("/servers/:server_id/os-volume_attachments/:volume_id", (c) => {
    const s = findServer(c, c.req.param("server_id")!);
    const vol = world.volumes.get(c.req.param("volume_id")!);
    if (!vol?.attachments.some((a) => a.server_id === s.id))
      throw notFound(`Volume ${c.req.param("volume_id")} is not attached to the instance ${s.id}`);
    vol.attachments = vol.attachments.filter((a) => a.server_id !== s.id);
    if (vol.attachments.length === 0) vol.status = "available";
    vol.updated = world.clock.now();
    s.block_devices = s.block_devices.filter((b) => b.volume_id !== vol.id);
    return empty(c, 202);
  });
}
