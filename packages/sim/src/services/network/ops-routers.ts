/** Router operations: gateways and interfaces. */
import { notFound, SimError } from "../../core/errors.js";
import type { PortRecord, RouterRecord } from "../../core/records.js";
import type { World } from "../../core/world.js";
import { checkNetworkQuota, stamps, touch } from "./ops-common.js";
import { createPort, deletePort } from "./ops-ports.js";

/** Creates a router, with a gateway port on the external network when one is given. */
export function createRouter(
  world: World,
  projectId: string,
  name: string,
  gateway?: { network_id: string; enable_snat?: boolean } | null,
): RouterRecord {
  checkNetworkQuota(world, projectId, "router", world.routers.ofProject(projectId).length);
  const router = world.routers.insert({
    id: world.ids.uuid(),
    seq: world.ids.seq(),
    project_id: projectId,
    name,
    description: "",
    admin_state_up: true,
    status: "ACTIVE",
    external_gateway_info: null,
    routes: [],
    distributed: false,
    ha: false,
    tags: [],
    ...stamps(world),
  });
  if (gateway) setGateway(world, router, gateway);
  return router;
}

/** Sets or clears a router's external gateway. */
export function setGateway(
  world: World,
  router: RouterRecord,
  gateway: { network_id: string; enable_snat?: boolean } | null,
): void {
  for (const p of world.portsOfDevice(router.id)) {
    if (p.device_owner === "network:router_gateway") deletePort(world, p.id);
  }
  router.external_gateway_info = null;
  if (gateway) {
    const net = world.networks.get(gateway.network_id);
    if (!net) throw notFound(`Network ${gateway.network_id} could not be found.`, "NetworkNotFound");
    if (!net.external) {
      throw new SimError(400, `Bad router request: Network ${net.id} is not an external network.`, {
        type: "BadRequest",
      });
    }
    const port = createPort(world, "", {
      network_id: net.id,
      device_id: router.id,
      device_owner: "network:router_gateway",
    });
    router.external_gateway_info = {
      network_id: net.id,
      enable_snat: gateway.enable_snat ?? true,
      external_fixed_ips: port.fixed_ips.map((f) => ({ ...f })),
    };
  }
  touch(world, router);
}

/** Adds a router interface on a subnet (port with the subnet's gateway IP). */
export function addRouterInterface(world: World, router: RouterRecord, subnetId: string): PortRecord {
  const subnet = world.subnets.get(subnetId);
  if (!subnet) throw notFound(`Subnet ${subnetId} could not be found.`, "SubnetNotFound");
  for (const p of world.portsOfDevice(router.id)) {
    if (p.fixed_ips.some((f) => f.subnet_id === subnetId)) {
      throw new SimError(400, `Bad router request: Router already has a port on subnet ${subnetId}.`, {
        type: "BadRequest",
      });
    }
  }
  const port = createPort(world, router.project_id, {
    network_id: subnet.network_id,
    fixed_ips: subnet.gateway_ip ? [] : [{ subnet_id: subnetId }],
    device_id: router.id,
    device_owner: "network:router_interface",
  });
  if (subnet.gateway_ip) port.fixed_ips = [{ subnet_id: subnetId, ip_address: subnet.gateway_ip }];
  touch(world, router);
  return port;
}

/**
 * Finds the router that connects a subnet to an external network (the NAT path), if any: among routers
 * with an interface on the subnet (and a gateway on `externalNetworkId` when given), the one whose
 * interface holds the subnet's gateway IP, else the first (neutron's `get_router_for_floatingip`).
 */
export function routerForSubnet(
  world: World,
  subnetId: string,
  externalNetworkId?: string,
): RouterRecord | undefined {
  const gatewayIp = world.subnets.get(subnetId)?.gateway_ip;
  let first: RouterRecord | undefined;
  for (const r of world.routers.all()) {
    const gw = r.external_gateway_info;
    if (!gw || (externalNetworkId !== undefined && gw.network_id !== externalNetworkId)) continue;
    for (const p of world.portsOfDevice(r.id)) {
      if (p.device_owner !== "network:router_interface") continue;
      const ip = p.fixed_ips.find((f) => f.subnet_id === subnetId);
      if (!ip) continue;
      if (ip.ip_address === gatewayIp) return r;
      first ??= r;
    }
  }
  return first;
}
