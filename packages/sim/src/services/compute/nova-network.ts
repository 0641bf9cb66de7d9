import { isAdmin, projectOf } from "../../core/auth.js";
import { badRequest, notFound } from "../../core/errors.js";
import { empty, json, member, optString, readJson, readJsonOrEmpty } from "../../core/http.js";
import { atLeast } from "../../core/microversion.js";
import type { FloatingIpRecord, NetworkRecord, SecurityGroupRecord } from "../../core/records.js";
import type { RouteGroup, SimContext, SimState } from "../../core/service.js";
import {
  addRule,
  createFloatingIp,
  createSecurityGroup,
  defaultSecurityGroup,
  deleteFloatingIp,
  disassociateFloatingIp,
} from "../network/ops.js";

function proxyAllowed(c: SimContext): void {
  // NOTE: nova removed its network proxy APIs (os-networks, os-floating-ips, os-security-groups) at 2.36.
  if (atLeast(c.var.microversion, "2.36")) throw notFound("The resource could not be found.");
}

function fipView(sim: SimState, f: FloatingIpRecord) {
  const port = f.port_id ? sim.world.ports.get(f.port_id) : undefined;
  const net = sim.world.networks.get(f.floating_network_id);
  return {
    fixed_ip: f.fixed_ip_address,
    id: f.id,
    instance_id: port?.device_id || null,
    ip: f.floating_ip_address,
    pool: net?.pool ?? net?.name ?? "",
  };
}

function netView(sim: SimState, n: NetworkRecord) {
  const subnet = sim.world.subnets.get(n.subnet_ids[0] ?? "");
  const iso = (ms: number) => sim.world.clock.isoSeconds(ms).replace("Z", ".000000");
  const prefix = Number(subnet?.cidr.split("/")[1] ?? 24);
  const mask = [24, 16, 8, 0].map((s) => Math.floor((2 ** 32 - 2 ** (32 - prefix)) / 2 ** s) % 256).join(".");
  // NOTE: nova-network's network view (os-networks), as Newton's last nova-network showed it (admin view).
  return {
    bridge: "br100",
    bridge_interface: "eth0",
    broadcast: null,
    cidr: subnet?.cidr ?? null,
    cidr_v6: null,
    created_at: iso(n.created),
    deleted: false,
    deleted_at: null,
    dhcp_server: subnet?.gateway_ip ?? null,
    dhcp_start: subnet?.allocation_pools[0]?.start ?? null,
    dns1: null,
    dns2: null,
    enable_dhcp: subnet?.enable_dhcp ?? true,
    gateway: subnet?.gateway_ip ?? null,
    gateway_v6: null,
    host: null,
    id: n.id,
    injected: false,
    label: n.name,
    mtu: null,
    multi_host: false,
    netmask: subnet ? mask : null,
    netmask_v6: null,
    priority: null,
    project_id: n.shared ? null : n.project_id,
    rxtx_base: null,
    share_address: false,
    updated_at: iso(n.updated),
    vlan: null,
    vpn_private_address: null,
    vpn_public_address: null,
    vpn_public_port: null,
  };
}

function sgView(sim: SimState, g: SecurityGroupRecord) {
  return {
    description: g.description,
    id: g.id,
    name: g.name,
    tenant_id: g.project_id,
    rules: sim.world.securityGroupRules
      .ofProject(g.project_id)
      .filter((r) => r.security_group_id === g.id && r.direction === "ingress")
      .map((r) => ({
        from_port: r.port_range_min,
        group: r.remote_group_id
          ? { name: sim.world.securityGroups.get(r.remote_group_id)?.name ?? "", tenant_id: g.project_id }
          : {},
        ip_protocol: r.protocol,
        ip_range: r.remote_ip_prefix ? { cidr: r.remote_ip_prefix } : {},
        id: r.id,
        parent_group_id: g.id,
        to_port: r.port_range_max,
      })),
  };
}

/** nova's network proxy APIs: the only networking of the nova-network profile, deprecated elsewhere. */
export function registerNovaNetwork(g: RouteGroup, sim: SimState): void {
  const world = sim.world;
  const visibleNets = (c: SimContext) =>
    world.networks
      .all()
      .filter((n) => !n.external && (n.shared || n.project_id === projectOf(c) || isAdmin(c)));
  g.get("/os-networks", (c) => {
    proxyAllowed(c);
    return json(c, 200, { networks: visibleNets(c).map((n) => netView(sim, n)) });
  });
  g.get("/os-networks/:id", (c) => {
    proxyAllowed(c);
    const n = visibleNets(c).find((x) => x.id === c.req.param("id"));
    if (!n) throw notFound(`Network ${c.req.param("id")} could not be found.`);
    return json(c, 200, { network: netView(sim, n) });
  });
  g.get("/os-floating-ip-pools", (c) => {
    proxyAllowed(c);
    return json(c, 200, {
      floating_ip_pools: world.networks.filter((n) => n.external).map((n) => ({ name: n.pool ?? n.name })),
    });
  });
  g.get("/os-floating-ips", (c) => {
    proxyAllowed(c);
    return json(c, 200, {
      floating_ips: world.floatingIps.ofProject(projectOf(c)).map((f) => fipView(sim, f)),
    });
  });
  g.get("/os-floating-ips/:id", (c) => {
    proxyAllowed(c);
    const f = world.floatingIps.get(c.req.param("id")!);
    if (!f || f.project_id !== projectOf(c))
      throw notFound(`Floating IP not found for ID ${c.req.param("id")}`);
    return json(c, 200, { floating_ip: fipView(sim, f) });
  });
  g.post("/os-floating-ips", async (c) => {
    proxyAllowed(c);
    const body = await readJsonOrEmpty(c);
    const poolName = typeof body.pool === "string" ? body.pool : undefined;
    const pool = world.networks.find(
      (n) => n.external && (poolName === undefined || n.pool === poolName || n.name === poolName),
    );
    if (!pool) throw notFound(`Floating IP pool not found.`);
    const pid = projectOf(c);
    const limit = world.quota("compute", pid, "floating_ips");
    if (limit >= 0 && world.floatingIps.ofProject(pid).length >= limit)
      throw c.var.sim.profile.compute.novaNetwork
        ? badRequest("Maximum number of floating IPs exceeded")
        : badRequest("Maximum number of floating IPs exceeded");
    const f = createFloatingIp(world, pid, pool.id);
    return json(c, 200, { floating_ip: fipView(sim, f) });
  });
  g.delete("/os-floating-ips/:id", (c) => {
    proxyAllowed(c);
    const f = world.floatingIps.get(c.req.param("id")!);
    if (!f || f.project_id !== projectOf(c))
      throw notFound(`Floating IP not found for ID ${c.req.param("id")}`);
    if (f.port_id) disassociateFloatingIp(world, f);
    deleteFloatingIp(world, f);
    return empty(c, 202);
  });
  g.get("/os-security-groups", (c) => {
    proxyAllowed(c);
    defaultSecurityGroup(world, projectOf(c));
    return json(c, 200, {
      security_groups: world.securityGroups.ofProject(projectOf(c)).map((x) => sgView(sim, x)),
    });
  });
  g.get("/os-security-groups/:id", (c) => {
    proxyAllowed(c);
    const x = world.securityGroups.get(c.req.param("id")!);
    if (!x || x.project_id !== projectOf(c)) throw notFound(`Security group ${c.req.param("id")} not found.`);
    return json(c, 200, { security_group: sgView(sim, x) });
  });
  g.post("/os-security-groups", async (c) => {
    proxyAllowed(c);
    const body = member(await readJson(c), "security_group");
    const name = optString(body, "name", "security_group.name");
    if (!name) throw badRequest("Security group name is a required property");
    const x = createSecurityGroup(world, projectOf(c), name, optString(body, "description") ?? "");
    return json(c, 200, { security_group: sgView(sim, x) });
  });
  g.delete("/os-security-groups/:id", (c) => {
    proxyAllowed(c);
    const x = world.securityGroups.get(c.req.param("id")!);
    if (!x || x.project_id !== projectOf(c)) throw notFound(`Security group ${c.req.param("id")} not found.`);
    for (const r of world.securityGroupRules
      .ofProject(x.project_id)
      .filter((r) => r.security_group_id === x.id))
      world.securityGroupRules.remove(r.id);
    world.securityGroups.remove(x.id);
    return empty(c, 202);
  });
  g.post("/os-security-group-rules", async (c) => {
    proxyAllowed(c);
    const body = member(await readJson(c), "security_group_rule");
    const parent = world.securityGroups.get(String(body.parent_group_id ?? ""));
    if (!parent || parent.project_id !== projectOf(c))
      throw notFound(`Security group ${String(body.parent_group_id)} not found.`);
    const proto = optString(body, "ip_protocol")?.toLowerCase() ?? null;
    const r = addRule(world, parent, {
      direction: "ingress",
      ethertype: "IPv4",
      protocol: proto,
      port_range_min: body.from_port === undefined ? null : Number(body.from_port),
      port_range_max: body.to_port === undefined ? null : Number(body.to_port),
      remote_ip_prefix: optString(body, "cidr") ?? (body.group_id ? null : "0.0.0.0/0"),
      remote_group_id: optString(body, "group_id") ?? null,
    });
    const view = sgView(sim, parent).rules.find((x) => x.id === r.id);
    return json(c, 200, { security_group_rule: view });
  });
  g.delete("/os-security-group-rules/:id", (c) => {
    proxyAllowed(c);
    const r = world.securityGroupRules.get(c.req.param("id")!);
    if (!r || r.project_id !== projectOf(c)) throw notFound(`Rule (${c.req.param("id")}) not found`);
    world.securityGroupRules.remove(r.id);
    return empty(c, 202);
  });
}
