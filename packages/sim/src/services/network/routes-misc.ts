import { isAdmin, projectOf } from "../../core/auth.js";
import { badRequest, conflict, notFound, SimError } from "../../core/errors.js";
import { empty, json, member, optInt, optString, readJson } from "../../core/http.js";
import type { RouteGroup, SimState } from "../../core/service.js";
import type { Row, Table } from "../../core/table.js";
import { checkIfMatch, findOwned, findVisible, ownerFor, visible } from "./access.js";
import { neutronList } from "./list.js";
import { addRule, checkNetworkQuota, createSecurityGroup, defaultSecurityGroup, touch } from "./ops.js";
import { subnetPools } from "./subnetpools.js";
import { ruleView, securityGroupView } from "./views.js";

const QUOTA_USAGE: Record<string, (s: SimState, p: string) => number> = {
  network: (s, p) => s.world.networks.ofProject(p).length,
  subnet: (s, p) => s.world.subnets.ofProject(p).length,
  port: (s, p) => s.world.ports.ofProject(p).length,
  router: (s, p) => s.world.routers.ofProject(p).length,
  floatingip: (s, p) => s.world.floatingIps.ofProject(p).length,
  security_group: (s, p) => s.world.securityGroups.ofProject(p).length,
  security_group_rule: (s, p) => s.world.securityGroupRules.ofProject(p).length,
};

/** Security groups and rules, quotas, tags. */
export function registerMisc(v2: RouteGroup, sim: SimState): void {
  const world = sim.world;
  v2.get("/security-groups", (c) => {
    if (!isAdmin(c)) defaultSecurityGroup(world, projectOf(c));
    return neutronList(c, "security_groups", visible(c, world.securityGroups), (g) =>
      securityGroupView(world, g),
    );
  });
  v2.get("/security-groups/:id", (c) =>
    json(c, 200, {
      security_group: securityGroupView(
        world,
        findVisible(c, world.securityGroups, c.req.param("id")!, "Security group"),
      ),
    }),
  );
  v2.post("/security-groups", async (c) => {
    const body = member(await readJson(c), "security_group");
    const name = optString(body, "name") ?? "";
    const owner = ownerFor(c, body);
    if (name === "default" && world.securityGroups.ofProject(owner).some((g) => g.name === "default")) {
      throw conflict("Default security group already exists.", "SecurityGroupDefaultAlreadyExists");
    }
    const g = createSecurityGroup(world, owner, name, optString(body, "description") ?? "");
    return json(c, 201, { security_group: securityGroupView(world, g) });
  });
  v2.put("/security-groups/:id", async (c) => {
    const g = findOwned(c, world.securityGroups, c.req.param("id")!, "Security group");
    checkIfMatch(c, g);
    const body = member(await readJson(c), "security_group");
    g.name = optString(body, "name") ?? g.name;
    g.description = optString(body, "description") ?? g.description;
    touch(world, g);
    return json(c, 200, { security_group: securityGroupView(world, g) });
  });
  v2.delete("/security-groups/:id", (c) => {
    const g = findOwned(c, world.securityGroups, c.req.param("id")!, "Security group");
    checkIfMatch(c, g);
    if (g.name === "default" && !isAdmin(c))
      throw new SimError(409, "Insufficient rights for removing default security group.", {
        type: "SecurityGroupCannotRemoveDefault",
      });
    if (world.ports.all().some((p) => p.security_group_ids.includes(g.id))) {
      throw conflict(`Security Group ${g.id} in use.`, "SecurityGroupInUse");
    }
    for (const r of world.securityGroupRules
      .ofProject(g.project_id)
      .filter((r) => r.security_group_id === g.id)) {
      world.securityGroupRules.remove(r.id);
    }
    world.securityGroups.remove(g.id);
    return empty(c, 204);
  });
  v2.get("/security-group-rules", (c) =>
    neutronList(c, "security_group_rules", visible(c, world.securityGroupRules), (r) => ruleView(world, r)),
  );
  v2.get("/security-group-rules/:id", (c) =>
    json(c, 200, {
      security_group_rule: ruleView(
        world,
        findVisible(c, world.securityGroupRules, c.req.param("id")!, "Security group rule"),
      ),
    }),
  );
  v2.post("/security-group-rules", async (c) => {
    const body = member(await readJson(c), "security_group_rule");
    const sgId = optString(body, "security_group_id");
    if (!sgId) throw badRequest("Invalid input for operation: security_group_id is required.");
    const g = findOwned(c, world.securityGroups, sgId, "Security group");
    const direction = optString(body, "direction");
    if (direction !== "ingress" && direction !== "egress") {
      throw badRequest(`Invalid input for direction. Reason: ${direction} is not in valid_values.`);
    }
    const ethertype = (optString(body, "ethertype") ?? "IPv4") as "IPv4" | "IPv6";
    if (ethertype !== "IPv4" && ethertype !== "IPv6")
      throw badRequest(`Invalid input for ethertype: ${ethertype}.`);
    checkNetworkQuota(
      world,
      g.project_id,
      "security_group_rule",
      world.securityGroupRules.ofProject(g.project_id).length,
    );
    const rule = {
      direction,
      ethertype,
      protocol: optString(body, "protocol") ?? null,
      port_range_min: optInt(body, "port_range_min") ?? null,
      port_range_max: optInt(body, "port_range_max") ?? null,
      remote_ip_prefix: optString(body, "remote_ip_prefix") ?? null,
      remote_group_id: optString(body, "remote_group_id") ?? null,
      description: optString(body, "description") ?? "",
    } as const;
    const dup = world.securityGroupRules
      .ofProject(g.project_id)
      .find(
        (r) =>
          r.security_group_id === g.id &&
          r.direction === rule.direction &&
          r.ethertype === rule.ethertype &&
          r.protocol === rule.protocol &&
          r.port_range_min === rule.port_range_min &&
          r.port_range_max === rule.port_range_max &&
          r.remote_ip_prefix === rule.remote_ip_prefix &&
          r.remote_group_id === rule.remote_group_id,
      );
    if (dup)
      throw conflict(`Security group rule already exists. Rule id is ${dup.id}.`, "SecurityGroupRuleExists");
    const r = addRule(world, g, rule);
    touch(world, g);
    return json(c, 201, { security_group_rule: ruleView(world, r) });
  });
  v2.delete("/security-group-rules/:id", (c) => {
    const r = findOwned(c, world.securityGroupRules, c.req.param("id")!, "Security group rule");
    checkIfMatch(c, r);
    world.securityGroupRules.remove(r.id);
    const group = world.securityGroups.get(r.security_group_id);
    // NOTE: neutron bumps the group's revision when one of its rules goes (revises_on_change).
    if (group) touch(world, group);
    return empty(c, 204);
  });

  const quotaView = (pid: string) => {
    const q = world.quotas("network", pid);
    return Object.fromEntries(
      Object.keys(QUOTA_USAGE)
        .map((k) => [k, q[k] ?? -1])
        .concat([
          ["rbac_policy", q.rbac_policy ?? 10],
          ["subnetpool", q.subnetpool ?? -1],
        ]),
    );
  };
  v2.get("/quotas", (c) => {
    if (!isAdmin(c))
      throw new SimError(403, "Only admin can view or configure quota", { type: "AdminRequired" });
    const pids = [...(world.quotaOverrides.get("network")?.keys() ?? [])];
    return json(c, 200, { quotas: pids.map((p) => ({ ...quotaView(p), project_id: p, tenant_id: p })) });
  });
  v2.get("/quotas/:project_id/details", (c) => {
    const pid = c.req.param("project_id")!;
    if (pid !== projectOf(c) && !isAdmin(c))
      throw new SimError(403, "Only admin can view or configure quota", { type: "AdminRequired" });
    const limits = quotaView(pid);
    const quota = Object.fromEntries(
      Object.entries(limits).map(([k, limit]) => [
        k,
        { limit, used: QUOTA_USAGE[k]?.(sim, pid) ?? 0, reserved: 0 },
      ]),
    );
    return json(c, 200, { quota });
  });
  v2.get("/quotas/:project_id", (c) => {
    const pid = c.req.param("project_id")!;
    if (pid !== projectOf(c) && !isAdmin(c))
      throw new SimError(403, "Only admin can view or configure quota", { type: "AdminRequired" });
    return json(c, 200, { quota: quotaView(pid) });
  });
  v2.put("/quotas/:project_id", async (c) => {
    if (!isAdmin(c))
      throw new SimError(403, "Only admin can view or configure quota", { type: "AdminRequired" });
    const pid = c.req.param("project_id")!;
    const body = member(await readJson(c), "quota");
    const limits: Record<string, number> = {};
    for (const k of Object.keys(body)) {
      const v = optInt(body, k, `quota.${k}`);
      if (v !== undefined) limits[k] = v;
    }
    world.setQuotas("network", pid, limits);
    return json(c, 200, { quota: quotaView(pid) });
  });
  v2.delete("/quotas/:project_id", (c) => {
    if (!isAdmin(c))
      throw new SimError(403, "Only admin can view or configure quota", { type: "AdminRequired" });
    world.quotaOverrides.get("network")?.delete(c.req.param("project_id")!);
    return empty(c, 204);
  });

  // Tags (the standard-attr tag extension).
  const tagged: Record<string, [Table<Row & { tags: string[]; updated: number; revision: number }>, string]> =
    {
      networks: [world.networks, "Network"],
      subnets: [world.subnets, "Subnet"],
      ports: [world.ports, "Port"],
      routers: [world.routers, "Router"],
      floatingips: [world.floatingIps, "Floating IP"],
      "security-groups": [world.securityGroups, "Security group"],
      subnetpools: [subnetPools(world), "Subnet pool"],
    };
  const target = (resource: string, id: string, c: Parameters<Parameters<RouteGroup["get"]>[1]>[0]) => {
    const entry = tagged[resource];
    if (!entry) throw notFound(`The resource could not be found.`);
    return findOwned(c, entry[0], id, entry[1]);
  };
  const checkTag = (tag: string) => {
    if (tag.length === 0 || tag.length > 255 || tag.includes(",")) {
      throw badRequest(`Invalid input for operation: '${tag}' is not a valid tag.`, "InvalidInput");
    }
  };
  v2.get("/:resource/:id/tags", (c) =>
    json(c, 200, { tags: [...target(c.req.param("resource")!, c.req.param("id")!, c).tags] }),
  );
  v2.get("/:resource/:id/tags/:tag", (c) => {
    const r = target(c.req.param("resource")!, c.req.param("id")!, c);
    const tag = decodeURIComponent(c.req.param("tag")!);
    if (!r.tags.includes(tag))
      throw notFound(`Tag ${tag} could not be found for resource ${r.id}.`, "TagNotFound");
    return empty(c, 204);
  });
  v2.put("/:resource/:id/tags/:tag", (c) => {
    const r = target(c.req.param("resource")!, c.req.param("id")!, c);
    const tag = decodeURIComponent(c.req.param("tag")!);
    checkTag(tag);
    if (!r.tags.includes(tag)) {
      r.tags.push(tag);
      touch(world, r);
    }
    return empty(c, 201);
  });
  v2.put("/:resource/:id/tags", async (c) => {
    const r = target(c.req.param("resource")!, c.req.param("id")!, c);
    const body = await readJson(c);
    if (!Array.isArray(body.tags)) throw badRequest("Invalid input for operation: tags must be a list.");
    const tags = body.tags.map(String);
    tags.forEach(checkTag);
    r.tags = [...new Set(tags)];
    touch(world, r);
    return json(c, 200, { tags: r.tags });
  });
  v2.delete("/:resource/:id/tags/:tag", (c) => {
    const r = target(c.req.param("resource")!, c.req.param("id")!, c);
    const tag = decodeURIComponent(c.req.param("tag")!);
    if (!r.tags.includes(tag))
      throw notFound(`Tag ${tag} could not be found for resource ${r.id}.`, "TagNotFound");
    r.tags = r.tags.filter((t) => t !== tag);
    touch(world, r);
    return empty(c, 204);
  });
  v2.delete("/:resource/:id/tags", (c) => {
    const r = target(c.req.param("resource")!, c.req.param("id")!, c);
    r.tags = [];
    touch(world, r);
    return empty(c, 204);
  });
}
