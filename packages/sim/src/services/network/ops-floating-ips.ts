/** Floating IP operations, with association checked as neutron's `_update_fip_assoc` does. */
import { conflict, notFound, SimError } from "../../core/errors.js";
import type { FixedIp, FloatingIpRecord, PortRecord, RouterRecord } from "../../core/records.js";
import type { World } from "../../core/world.js";
import { checkNetworkQuota, stamps, touch } from "./ops-common.js";
import { allocateIp } from "./ops-networks.js";
import { routerForSubnet } from "./ops-routers.js";

/** Creates a floating IP on an external network (from its first subnet). */
export function createFloatingIp(
  world: World,
  projectId: string,
  networkId: string,
  address?: string,
): FloatingIpRecord {
  const net = world.networks.get(networkId);
  if (!net) throw notFound(`Network ${networkId} could not be found.`, "NetworkNotFound");
  if (!net.external) {
    throw new SimError(400, `Bad floatingip request: Network ${networkId} is not a valid external network.`, {
      type: "BadRequest",
    });
  }
  checkNetworkQuota(world, projectId, "floatingip", world.floatingIps.ofProject(projectId).length);
  const subnet = net.subnet_ids.map((id) => world.subnets.get(id)).find((s) => s?.ip_version === 4);
  if (!subnet)
    throw conflict(`No more IP addresses available on network ${networkId}.`, "IpAddressGenerationFailure");
  const ip = allocateIp(world, subnet, address);
  return world.floatingIps.insert({
    id: world.ids.uuid(),
    seq: world.ids.seq(),
    project_id: projectId,
    floating_network_id: networkId,
    floating_ip_address: ip,
    fixed_ip_address: null,
    port_id: null,
    router_id: null,
    status: "DOWN",
    description: "",
    dns_domain: "",
    dns_name: "",
    tags: [],
    ...stamps(world),
  });
}

function badFip(message: string): SimError {
  return new SimError(400, `Bad floatingip request: ${message}.`, { type: "BadRequest" });
}

/** The port, fixed IP and router a floating IP would be bound to (neutron's `_get_assoc_data`). */
function assocData(
  world: World,
  fip: FloatingIpRecord,
  portId: string,
  fixedIp: string | undefined,
  admin: boolean,
): { port: PortRecord; ip: string; router: RouterRecord } {
  const port = world.ports.get(portId);
  if (!port) throw notFound(`Port ${portId} could not be found.`, "PortNotFound");
  if (port.project_id !== fip.project_id && !admin) {
    throw badFip(
      `Cannot process floating IP association with Port ${portId}, since that port is owned by a different tenant`,
    );
  }
  let fixed: FixedIp | undefined;
  if (fixedIp) {
    if (fixedIp.includes(":")) {
      throw badFip(
        `Cannot process floating IP association with ${fixedIp}, since that is not an IPv4 address`,
      );
    }
    fixed = port.fixed_ips.find((f) => f.ip_address === fixedIp);
    if (!fixed) throw badFip(`Port ${portId} does not have fixed ip ${fixedIp}`);
  } else {
    const v4 = port.fixed_ips.filter((f) => !f.ip_address.includes(":"));
    if (v4.length === 0)
      throw badFip(`Cannot add floating IP to port ${portId} that has no fixed IPv4 addresses`);
    if (v4.length > 1) {
      throw badFip(
        `Port ${portId} has multiple fixed IPv4 addresses.  Must provide a specific IPv4 address when assigning a floating IP`,
      );
    }
    fixed = v4[0]!;
  }
  const router = routerForSubnet(world, fixed.subnet_id, fip.floating_network_id);
  if (!router) {
    throw notFound(
      `External network ${fip.floating_network_id} is not reachable from subnet ${fixed.subnet_id}.  Therefore, cannot associate Port ${portId} with a Floating IP.`,
      "ExternalGatewayForFloatingIPNotFound",
    );
  }
  return { port, ip: fixed.ip_address, router };
}

/** What a floating IP create or update asks about its association (`port_id` absent: undefined). */
export interface FipAssocRequest {
  /** `undefined`: the key was absent; `null` or "": disassociate. */
  readonly port_id?: string | null;
  readonly fixed_ip_address?: string;
}

/**
 * Applies the association part of a floating IP create/update exactly as neutron's
 * `_check_and_get_fip_assoc`/`_update_fip_assoc` do:
 * - `fixed_ip_address` without `port_id`: 400;
 * - a `port_id` (even while bound to another port: neutron moves it without a disassociation step):
 *   the port must be the floating IP's project's (unless admin), have the IPv4 fixed IP (or exactly one),
 *   and be routed to the floating network (404 otherwise); binding to the port it already has is no change;
 *   409 `FloatingIPPortAlreadyAssociated` when another floating IP of the same external network is already
 *   bound to that port and fixed IP;
 * - `port_id` absent while bound: the association is kept (recomputed, so a port with several IPv4
 *   addresses fails with 400 as in neutron);
 * - `port_id: null`: disassociates.
 * Returns true when the association changed.
 */
export function updateFipAssoc(
  world: World,
  fip: FloatingIpRecord,
  req: FipAssocRequest,
  admin: boolean,
): boolean {
  if (req.fixed_ip_address && !req.port_id) {
    throw badFip("fixed_ip_address cannot be specified without a port_id");
  }
  let next: { port: PortRecord; ip: string; router: RouterRecord } | undefined;
  if (req.port_id) {
    next = assocData(world, fip, req.port_id, req.fixed_ip_address, admin);
    if (req.port_id !== fip.port_id) {
      const taken = world.floatingIps.find(
        (f) =>
          f.port_id === req.port_id &&
          f.floating_network_id === fip.floating_network_id &&
          f.fixed_ip_address === next!.ip,
      );
      if (taken) {
        throw conflict(
          `Cannot associate floating IP ${fip.floating_ip_address} (${fip.id}) with port ${req.port_id} using fixed IP ${next.ip}, as that fixed IP already has a floating IP on external network ${fip.floating_network_id}.`,
          "FloatingIPPortAlreadyAssociated",
        );
      }
    }
  } else if (req.port_id === undefined && fip.port_id) {
    // NOTE: neutron (bug 1610045): an update without `port_id` keeps the association.
    next = assocData(world, fip, fip.port_id, undefined, admin);
  }
  const before = `${fip.port_id}|${fip.fixed_ip_address}|${fip.router_id}`;
  fip.port_id = next?.port.id ?? null;
  fip.fixed_ip_address = next?.ip ?? null;
  fip.router_id = next?.router.id ?? null;
  fip.status = next ? "ACTIVE" : "DOWN";
  return before !== `${fip.port_id}|${fip.fixed_ip_address}|${fip.router_id}`;
}

/**
 * Associates a floating IP with a port (and one of its fixed IPs) with neutron's checks
 * (see {@link updateFipAssoc}); bumps the revision.
 */
export function associateFloatingIp(
  world: World,
  fip: FloatingIpRecord,
  portId: string,
  fixedIp?: string,
  admin = true,
): void {
  updateFipAssoc(world, fip, { port_id: portId, ...(fixedIp ? { fixed_ip_address: fixedIp } : {}) }, admin);
  touch(world, fip);
}

/** Disassociates a floating IP. */
export function disassociateFloatingIp(world: World, fip: FloatingIpRecord): void {
  fip.port_id = null;
  fip.fixed_ip_address = null;
  fip.router_id = null;
  fip.status = "DOWN";
  touch(world, fip);
}

/** Deletes a floating IP and frees its address. */
export function deleteFloatingIp(world: World, fip: FloatingIpRecord): void {
  const net = world.networks.get(fip.floating_network_id);
  for (const id of net?.subnet_ids ?? []) world.subnets.get(id)?.alloc.used.delete(fip.floating_ip_address);
  world.floatingIps.remove(fip.id);
}
