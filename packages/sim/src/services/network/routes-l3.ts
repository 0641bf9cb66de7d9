import { isAdmin, projectOf } from "../../core/auth.js";
import { badRequest, notFound } from "../../core/errors.js";
import { noteFault } from "../../core/fault-effects.js";
import { empty, json, member, optBool, optString, readJson } from "../../core/http.js";
import type { FloatingIpRecord, PortRecord } from "../../core/records.js";
import type { RouteGroup, SimContext, SimState } from "../../core/service.js";
import { checkIfMatch, findOwned, findVisible, ownerFor, visible } from "./access.js";
import { neutronList } from "./list.js";
import {
  addRouterInterface,
  autoAllocatedTopology,
  createFloatingIp,
  createRouter,
  deleteFloatingIp,
  deletePort,
  type FipAssocRequest,
  setGateway,
  touch,
  updateFipAssoc,
} from "./ops.js";
import { floatingIpView, routerView } from "./views.js";

/** Applies a `fipDelayMs` fault to a new association: reads show it only after the delay. */
function delayAssociation(c: SimContext, f: FloatingIpRecord, route: string): void {
  const { world, faults } = c.var.sim;
  const rule = faults.take("fipDelay", "network", route);
  if (rule?.fipDelayMs === undefined) {
    delete f.assoc_visible_at;
    return;
  }
  noteFault(c, "fipDelay");
  f.assoc_visible_at = world.clock.now() + rule.fipDelayMs;
}

/** The association fields of a floating IP body (`port_id` absent stays undefined). */
function fipAssocRequest(body: Record<string, unknown>): FipAssocRequest {
  const fixed = optString(body, "fixed_ip_address");
  if (!("port_id" in body)) return fixed === undefined ? {} : { fixed_ip_address: fixed };
  const port = optString(body, "port_id") ?? null;
  return { port_id: port, ...(fixed === undefined ? {} : { fixed_ip_address: fixed }) };
}

function gatewayOf(
  body: Record<string, unknown>,
): { network_id: string; enable_snat?: boolean } | null | undefined {
  if (!("external_gateway_info" in body)) return undefined;
  const g = body.external_gateway_info;
  if (g === null || (typeof g === "object" && Object.keys(g as object).length === 0)) return null;
  if (typeof g !== "object" || typeof (g as { network_id?: unknown }).network_id !== "string") {
    throw badRequest("Invalid input for external_gateway_info. Reason: network_id is required.");
  }
  const o = g as { network_id: string; enable_snat?: unknown };
  return {
    network_id: o.network_id,
    ...(typeof o.enable_snat === "boolean" ? { enable_snat: o.enable_snat } : {}),
  };
}

/** Routers, floating IPs and auto-allocated topology. */
export function registerL3(v2: RouteGroup, sim: SimState): void {
  const world = sim.world;
  const { profile } = sim;
  if (profile.network.routers) {
    v2.get("/routers", (c) =>
      neutronList(c, "routers", visible(c, world.routers), (r) => routerView(world, r)),
    );
    v2.get("/routers/:id", (c) =>
      json(c, 200, {
        router: routerView(world, findVisible(c, world.routers, c.req.param("id")!, "Router")),
      }),
    );
    v2.post("/routers", async (c) => {
      const body = member(await readJson(c), "router");
      const r = createRouter(world, ownerFor(c, body), optString(body, "name") ?? "", gatewayOf(body));
      r.description = optString(body, "description") ?? "";
      r.admin_state_up = optBool(body, "admin_state_up") ?? true;
      return json(c, 201, { router: routerView(world, r) });
    });
    v2.put("/routers/:id", async (c) => {
      const r = findOwned(c, world.routers, c.req.param("id")!, "Router");
      checkIfMatch(c, r);
      const body = member(await readJson(c), "router");
      r.name = optString(body, "name") ?? r.name;
      r.description = optString(body, "description") ?? r.description;
      r.admin_state_up = optBool(body, "admin_state_up") ?? r.admin_state_up;
      const g = gatewayOf(body);
      if (g !== undefined) setGateway(world, r, g);
      if (Array.isArray(body.routes)) r.routes = body.routes as { destination: string; nexthop: string }[];
      touch(world, r);
      return json(c, 200, { router: routerView(world, r) });
    });
    v2.delete("/routers/:id", (c) => {
      const r = findOwned(c, world.routers, c.req.param("id")!, "Router");
      checkIfMatch(c, r);
      if (world.portsOfDevice(r.id).some((p) => p.device_owner === "network:router_interface")) {
        throw badRequest(`Router ${r.id} still has ports`, "RouterInUse");
      }
      setGateway(world, r, null);
      world.routers.remove(r.id);
      return empty(c, 204);
    });
    v2.put("/routers/:id/add_router_interface", async (c) => {
      const r = findOwned(c, world.routers, c.req.param("id")!, "Router");
      const body = await readJson(c);
      const subnetId = optString(body, "subnet_id");
      const portId = optString(body, "port_id");
      let port: PortRecord;
      if (portId) {
        port = findOwned(c, world.ports, portId, "Port");
        const prev = port.device_id;
        port.device_id = r.id;
        port.device_owner = "network:router_interface";
        port.status = "ACTIVE";
        world.indexPortDevice(port, prev);
        touch(world, port);
        touch(world, r);
      } else if (subnetId) {
        findVisible(c, world.subnets, subnetId, "Subnet");
        port = addRouterInterface(world, r, subnetId);
      } else {
        throw badRequest("Bad router request: Either subnet_id or port_id must be specified.");
      }
      return json(c, 200, {
        id: r.id,
        network_id: port.network_id,
        port_id: port.id,
        subnet_id: port.fixed_ips[0]?.subnet_id ?? "",
        subnet_ids: port.fixed_ips.map((f) => f.subnet_id),
        project_id: r.project_id,
        tenant_id: r.project_id,
      });
    });
    v2.put("/routers/:id/remove_router_interface", async (c) => {
      const r = findOwned(c, world.routers, c.req.param("id")!, "Router");
      const body = await readJson(c);
      const subnetId = optString(body, "subnet_id");
      const portId = optString(body, "port_id");
      const port = world
        .portsOfDevice(r.id)
        .find(
          (p) =>
            p.device_owner === "network:router_interface" &&
            (portId ? p.id === portId : p.fixed_ips.some((f) => f.subnet_id === subnetId)),
        );
      if (!port) {
        throw notFound(
          `Router ${r.id} does not have an interface with id ${portId ?? subnetId}`,
          "RouterInterfaceNotFound",
        );
      }
      if (
        world.floatingIps
          .all()
          .some(
            (f) =>
              f.router_id === r.id && port.fixed_ips.some((x) => routerUses(world, f.port_id, x.subnet_id)),
          )
      ) {
        throw badRequest(
          `Router interface for subnet ${subnetId} on router ${r.id} cannot be deleted, as it is required by one or more floating IPs.`,
          "RouterInterfaceInUseByFloatingIP",
        );
      }
      deletePort(world, port.id);
      touch(world, r);
      return json(c, 200, {
        id: r.id,
        network_id: port.network_id,
        port_id: port.id,
        subnet_id: port.fixed_ips[0]?.subnet_id ?? "",
        subnet_ids: port.fixed_ips.map((f) => f.subnet_id),
        project_id: r.project_id,
        tenant_id: r.project_id,
      });
    });
  }

  if (profile.network.floatingIps) {
    v2.get("/floatingips", (c) =>
      neutronList(c, "floatingips", visible(c, world.floatingIps), (f) => floatingIpView(world, f)),
    );
    v2.get("/floatingips/:id", (c) =>
      json(c, 200, {
        floatingip: floatingIpView(
          world,
          findVisible(c, world.floatingIps, c.req.param("id")!, "Floating IP"),
        ),
      }),
    );
    v2.post("/floatingips", async (c) => {
      const body = member(await readJson(c), "floatingip");
      const networkId = optString(body, "floating_network_id");
      if (!networkId) throw badRequest("Invalid input for operation: floating_network_id is required.");
      const assoc = fipAssocRequest(body);
      const f = createFloatingIp(world, ownerFor(c, body), networkId, optString(body, "floating_ip_address"));
      f.description = optString(body, "description") ?? "";
      try {
        updateFipAssoc(world, f, assoc, isAdmin(c));
      } catch (e) {
        deleteFloatingIp(world, f);
        throw e;
      }
      if (f.port_id) delayAssociation(c, f, "POST /floatingips");
      return json(c, 201, { floatingip: floatingIpView(world, f, { written: true }) });
    });
    v2.put("/floatingips/:id", async (c) => {
      const f = findOwned(c, world.floatingIps, c.req.param("id")!, "Floating IP");
      checkIfMatch(c, f);
      const body = member(await readJson(c), "floatingip");
      const description = optString(body, "description");
      const changed = updateFipAssoc(world, f, fipAssocRequest(body), isAdmin(c));
      if (description !== undefined && description !== f.description) {
        f.description = description;
        touch(world, f);
      } else if (changed) touch(world, f);
      if (changed && f.port_id) delayAssociation(c, f, "PUT /floatingips/{id}");
      return json(c, 200, { floatingip: floatingIpView(world, f, { written: true }) });
    });
    v2.delete("/floatingips/:id", (c) => {
      const f = findOwned(c, world.floatingIps, c.req.param("id")!, "Floating IP");
      checkIfMatch(c, f);
      deleteFloatingIp(world, f);
      return empty(c, 204);
    });
  }

  if (profile.network.autoAllocatedTopology) {
    v2.get("/auto-allocated-topology/:project_id", (c) => {
      const pid = c.req.param("project_id")!;
      if (pid !== projectOf(c) && !isAdmin(c)) throw notFound(`Project ${pid} could not be found.`);
      const net = autoAllocatedTopology(world, pid);
      // NOTE: neutron answers the network id and tenant_id only (its auto-allocate _response).
      return json(c, 200, { auto_allocated_topology: { id: net.id, tenant_id: pid } });
    });
    v2.delete("/auto-allocated-topology/:project_id", (c) => {
      const pid = c.req.param("project_id")!;
      if (pid !== projectOf(c) && !isAdmin(c)) throw notFound(`Project ${pid} could not be found.`);
      const net = world.networks.ofProject(pid).find((n) => n.name === "auto_allocated_network");
      if (net) {
        const router = world.routers.ofProject(pid).find((r) => r.name === "auto_allocated_router");
        if (router) {
          for (const p of world.portsOfDevice(router.id)) deletePort(world, p.id);
          world.routers.remove(router.id);
        }
        for (const id of net.subnet_ids) world.subnets.remove(id);
        world.networks.remove(net.id);
      }
      return empty(c, 204);
    });
  }
}

function routerUses(world: SimState["world"], portId: string | null, subnetId: string): boolean {
  const p = portId ? world.ports.get(portId) : undefined;
  return !!p && p.fixed_ips.some((f) => f.subnet_id === subnetId);
}
