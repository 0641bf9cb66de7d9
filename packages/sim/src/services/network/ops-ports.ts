/** Port operations: fixed-IP allocation and release, deletion with floating-IP disassociation. */
import { notFound, SimError } from "../../core/errors.js";
import { contains, parseCidr } from "../../core/ip.js";
import type { FixedIp, PortRecord, SubnetRecord } from "../../core/records.js";
import type { World } from "../../core/world.js";
import { checkNetworkQuota, stamps } from "./ops-common.js";
import { disassociateFloatingIp } from "./ops-floating-ips.js";
import { allocateIp } from "./ops-networks.js";
import { defaultSecurityGroup } from "./ops-security-groups.js";

/** Returns a port's addresses to their subnets. */
function releaseIps(world: World, ips: readonly FixedIp[]): void {
  for (const ip of ips) world.subnets.get(ip.subnet_id)?.alloc.used.delete(ip.ip_address);
}

/** Requested fixed IPs of a port: by subnet and/or address. */
export interface FixedIpRequest {
  subnet_id?: string;
  ip_address?: string;
}

/** Creates a port with fixed IPs (one per subnet of the network when none are requested). */
export function createPort(
  world: World,
  projectId: string,
  fields: { network_id: string; fixed_ips?: FixedIpRequest[] } & Partial<Omit<PortRecord, "fixed_ips">>,
): PortRecord {
  const network = world.networks.get(fields.network_id);
  if (!network) throw notFound(`Network ${fields.network_id} could not be found.`, "NetworkNotFound");
  checkNetworkQuota(world, projectId, "port", world.ports.ofProject(projectId).length);
  const fixed: FixedIp[] = [];
  try {
    if (fields.fixed_ips && fields.fixed_ips.length > 0) {
      for (const req of fields.fixed_ips) {
        const subnet =
          req.subnet_id !== undefined
            ? world.subnets.get(req.subnet_id)
            : network.subnet_ids
                .map((id) => world.subnets.get(id))
                .find(
                  (s) => s && req.ip_address !== undefined && contains(parseCidr(s.cidr), req.ip_address),
                );
        if (!subnet || subnet.network_id !== network.id) {
          throw new SimError(
            400,
            `Invalid input for operation: IP allocation requires subnet_id or ip_address on network ${network.id}.`,
            {
              type: "InvalidInput",
            },
          );
        }
        fixed.push({ subnet_id: subnet.id, ip_address: allocateIp(world, subnet, req.ip_address) });
      }
    } else {
      const v4 = network.subnet_ids.map((id) => world.subnets.get(id)).filter((s): s is SubnetRecord => !!s);
      // NOTE: neutron gives a new port one address from the first IPv4 subnet and one per IPv6 SLAAC/stateful subnet.
      const firstV4 = v4.find((s) => s.ip_version === 4);
      if (firstV4) fixed.push({ subnet_id: firstV4.id, ip_address: allocateIp(world, firstV4) });
      for (const s of v4.filter((x) => x.ip_version === 6))
        fixed.push({ subnet_id: s.id, ip_address: allocateIp(world, s) });
    }
  } catch (e) {
    releaseIps(world, fixed);
    throw e;
  }
  const { fixed_ips: _f, network_id, ...rest } = fields;
  const sgDefault =
    fields.device_owner?.startsWith("network:") || !network.port_security_enabled
      ? []
      : [defaultSecurityGroup(world, projectId).id];
  const port = world.ports.insert({
    id: world.ids.uuid(),
    seq: world.ids.seq(),
    project_id: projectId,
    name: "",
    description: "",
    network_id,
    mac_address: world.ids.mac(),
    fixed_ips: fixed,
    device_id: "",
    device_owner: "",
    status: "DOWN",
    admin_state_up: true,
    security_group_ids: sgDefault,
    port_security_enabled: network.port_security_enabled,
    binding_host_id: "",
    binding_vnic_type: "normal",
    tags: [],
    ...stamps(world),
    ...rest,
  });
  if (port.device_id) {
    port.status = "ACTIVE";
    world.indexPortDevice(port);
  }
  return port;
}

/** Deletes a port: releases its IPs and disassociates floating IPs on it. */
export function deletePort(world: World, portId: string): void {
  const port = world.ports.get(portId);
  if (!port) return;
  for (const fip of world.floatingIps.all()) {
    if (fip.port_id === portId) disassociateFloatingIp(world, fip);
  }
  releaseIps(world, port.fixed_ips);
  world.removePort(portId);
}
