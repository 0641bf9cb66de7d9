import { isAdmin, projectOf } from "../../core/auth.js";
import { badRequest, conflict, forbidden, notFound } from "../../core/errors.js";
import { empty, json, member, optString, readJson } from "../../core/http.js";
import { atLeast } from "../../core/microversion.js";
import type { FlavorRecord, PortRecord } from "../../core/records.js";
import type { RouteGroup, SimContext, SimState } from "../../core/service.js";
import type { World } from "../../core/world.js";
import { createPort, deletePort } from "../network/ops.js";
import { findServer } from "./servers.js";

/** Projects allowed to use each private flavor (nova's flavor access list). */
export function flavorAccess(world: World): Map<string, Set<string>> {
  return world.state("compute:flavor-access", () => new Map<string, Set<string>>());
}

/** Whether a project may see and boot a flavor (public, admin, or on its access list). */
export function flavorVisible(c: SimContext, f: FlavorRecord): boolean {
  if (f.is_public || isAdmin(c)) return true;
  return flavorAccess(c.var.sim.world).get(f.id)?.has(projectOf(c)) ?? false;
}

function interfaceView(c: SimContext, p: PortRecord) {
  const out: Record<string, unknown> = {
    fixed_ips: p.fixed_ips.map((f) => ({ ip_address: f.ip_address, subnet_id: f.subnet_id })),
    mac_addr: p.mac_address,
    net_id: p.network_id,
    port_id: p.id,
    port_state: p.status,
  };
  if (atLeast(c.var.microversion, "2.70")) out.tag = null;
  return out;
}

function requireNeutron(c: SimContext): void {
  // NOTE: os-interface needs neutron; nova-network clouds answered 501 HTTPNotImplemented.
  if (!c.var.sim.profile.network.enabled) throw notFound("The resource could not be found.");
}

/** `os-interface` (ports of a server) and `os-flavor-access` (private flavors). */
export function registerInterfaces(g: RouteGroup, sim: SimState): void {
  const world = sim.world;
  g.get("/servers/:server_id/os-interface", (c) => {
    requireNeutron(c);
    const s = findServer(c, c.req.param("server_id")!);
    return json(c, 200, { interfaceAttachments: world.portsOfDevice(s.id).map((p) => interfaceView(c, p)) });
  });
  g.get("/servers/:server_id/os-interface/:port_id", (c) => {
    requireNeutron(c);
    const s = findServer(c, c.req.param("server_id")!);
    const p = world.ports.get(c.req.param("port_id")!);
    if (!p || p.device_id !== s.id) throw notFound(`Port ${c.req.param("port_id")} is not attached`);
    return json(c, 200, { interfaceAttachment: interfaceView(c, p) });
  });
  g.post("/servers/:server_id/os-interface", async (c) => {
    requireNeutron(c);
    const s = findServer(c, c.req.param("server_id")!);
    const body = member(await readJson(c), "interfaceAttachment");
    if (!["active", "stopped", "paused", "suspended"].includes(s.vm_state) || s.task_state !== null) {
      throw conflict(`Cannot 'attach_interface' instance ${s.id} while it is in vm_state ${s.vm_state}`);
    }
    const netId = optString(body, "net_id", "interfaceAttachment.net_id");
    const portId = optString(body, "port_id", "interfaceAttachment.port_id");
    if (netId && portId) throw badRequest("Must not input both network_id and port_id");
    let port: PortRecord;
    if (portId) {
      const p = world.ports.get(portId);
      if (!p || (p.project_id !== s.project_id && !isAdmin(c)))
        throw notFound(`Port ${portId} could not be found.`);
      if (p.device_id) throw conflict(`Port ${portId} is still in use.`);
      p.device_id = s.id;
      p.device_owner = "compute:nova";
      p.binding_host_id = "sim-compute";
      p.status = "ACTIVE";
      world.indexPortDevice(p);
      port = p;
    } else {
      const net =
        (netId ? world.networks.get(netId) : undefined) ??
        (netId
          ? undefined
          : world.networks.find((n) => !n.external && (n.project_id === s.project_id || n.shared)));
      if (!net || (net.project_id !== s.project_id && !net.shared && !isAdmin(c))) {
        throw notFound(`Network ${netId ?? ""} could not be found.`);
      }
      const ips = Array.isArray(body.fixed_ips)
        ? body.fixed_ips.map((f) => ({
            ip_address: String((f as { ip_address?: unknown })?.ip_address ?? ""),
          }))
        : undefined;
      port = createPort(world, s.project_id, {
        network_id: net.id,
        ...(ips ? { fixed_ips: ips } : {}),
        device_id: s.id,
        device_owner: "compute:nova",
        binding_host_id: "sim-compute",
      });
      s.nova_port_ids.push(port.id);
    }
    s.updated = world.clock.now();
    return json(c, 200, { interfaceAttachment: interfaceView(c, port) });
  });
  g.delete("/servers/:server_id/os-interface/:port_id", (c) => {
    requireNeutron(c);
    const s = findServer(c, c.req.param("server_id")!);
    const p = world.ports.get(c.req.param("port_id")!);
    if (!p || p.device_id !== s.id) throw notFound(`Port ${c.req.param("port_id")} is not attached`);
    // NOTE: nova deletes a port it created for the server and only unbinds one the user passed in.
    if (s.nova_port_ids.includes(p.id)) {
      deletePort(world, p.id);
      s.nova_port_ids = s.nova_port_ids.filter((id) => id !== p.id);
    } else {
      p.device_id = "";
      p.device_owner = "";
      p.status = "DOWN";
      world.indexPortDevice(p, s.id);
    }
    s.updated = world.clock.now();
    return empty(c, 202);
  });

  const accessList = (f: FlavorRecord) => ({
    flavor_access: [...(flavorAccess(world).get(f.id) ?? [])].map((tenant_id) => ({
      flavor_id: f.id,
      tenant_id,
    })),
  });
  const privateFlavor = (id: string) => {
    const f = world.flavors.get(id);
    if (!f) throw notFound(`Flavor ${id} could not be found.`);
    return f;
  };
  g.get("/flavors/:flavor_id/os-flavor-access", (c) => {
    if (!isAdmin(c)) throw forbidden("Policy doesn't allow os_compute_api:os-flavor-access to be performed.");
    const f = privateFlavor(c.req.param("flavor_id")!);
    if (f.is_public) throw notFound("Access list not available for public flavors.");
    return json(c, 200, accessList(f));
  });
  g.post("/flavors/:flavor_id/action", async (c) => {
    if (!isAdmin(c))
      throw forbidden(
        "Policy doesn't allow os_compute_api:os-flavor-access:add_tenant_access to be performed.",
      );
    const f = privateFlavor(c.req.param("flavor_id")!);
    const body = await readJson(c);
    const add = body.addTenantAccess !== undefined;
    const arg = member(body, add ? "addTenantAccess" : "removeTenantAccess");
    const tenant = optString(arg, "tenant", "tenant");
    if (!tenant)
      throw badRequest("Invalid input for field/attribute tenant. 'tenant' is a required property");
    if (f.is_public) throw conflict("Can not add access to a public flavor.");
    const map = flavorAccess(world);
    const set = map.get(f.id) ?? new Set<string>();
    map.set(f.id, set);
    if (add) {
      if (set.has(tenant))
        throw conflict(`Flavor access already exists for flavor ${f.id} and project ${tenant} combination.`);
      set.add(tenant);
    } else {
      if (!set.has(tenant)) throw notFound(`Flavor access not found for ${f.id} / ${tenant} combination.`);
      set.delete(tenant);
    }
    return json(c, 200, accessList(f));
  });
}
