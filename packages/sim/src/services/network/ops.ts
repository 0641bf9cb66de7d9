/**
 * Network operations shared by neutron's API, nova (server ports, nova-network) and the seeds.
 * They enforce neutron's rules (quotas, IP allocation, one floating IP per port) and throw
 * `SimError`s with neutron's error types.
 */
import { conflict, notFound, SimError } from "../../core/errors.js";
import { addressAt, contains, parseCidr } from "../../core/ip.js";
import type {
  FixedIp,
  FloatingIpRecord,
  NetworkRecord,
  PortRecord,
  RouterRecord,
  SecurityGroupRecord,
  SubnetRecord,
} from "../../core/records.js";
import type { World } from "../../core/world.js";

/** Neutron's 409 when a project is over quota. */
export function overQuota(resource: string): SimError {
  return new SimError(409, `Quota exceeded for resources: ['${resource}'].`, { type: "OverQuota" });
}

/** Counts a project's records of a table and throws OverQuota when one more would exceed the limit. */
export function checkNetworkQuota(
  world: World,
  projectId: string,
  resource: string,
  used: number,
  adding = 1,
): void {
  const limit = world.quota("network", projectId, resource);
  if (limit >= 0 && used + adding > limit) throw overQuota(resource);
}

function stamps(world: World) {
  const now = world.clock.now();
  return { created: now, updated: now, revision: 1 };
}

/** Marks a record changed (neutron bumps `revision_number` and `updated_at`). */
export function touch(world: World, r: { updated: number; revision: number }): void {
  r.updated = world.clock.now();
  r.revision += 1;
}

/** Creates a network. */
export function createNetwork(
  world: World,
  projectId: string,
  fields: Partial<NetworkRecord> & { name: string },
): NetworkRecord {
  checkNetworkQuota(world, projectId, "network", world.networks.ofProject(projectId).length);
  return world.networks.insert({
    id: world.ids.uuid(),
    seq: world.ids.seq(),
    project_id: projectId,
    description: "",
    admin_state_up: true,
    status: "ACTIVE",
    shared: false,
    external: false,
    is_default: false,
    mtu: 1450,
    port_security_enabled: true,
    subnet_ids: [],
    tags: [],
    pool: null,
    ...stamps(world),
    ...fields,
  });
}

/** Creates a subnet on a network (allocation pool: the CIDR minus network, gateway and broadcast). */
export function createSubnet(
  world: World,
  projectId: string,
  fields: {
    network_id: string;
    cidr: string;
    name?: string;
    ip_version?: 4 | 6;
    gateway_ip?: string | null;
  } & Partial<SubnetRecord>,
): SubnetRecord {
  const network = world.networks.get(fields.network_id);
  if (!network) throw notFound(`Network ${fields.network_id} could not be found.`, "NetworkNotFound");
  checkNetworkQuota(world, projectId, "subnet", world.subnets.ofProject(projectId).length);
  let cidr: ReturnType<typeof parseCidr>;
  try {
    cidr = parseCidr(fields.cidr);
  } catch (e) {
    throw new SimError(
      400,
      `Invalid input for cidr. Reason: '${fields.cidr}' is not a valid IP subnet. ${(e as Error).message}`,
      {
        type: "HTTPBadRequest",
      },
    );
  }
  const version = cidr.version;
  const gateway = fields.gateway_ip === undefined ? addressAt(cidr, 1) : fields.gateway_ip;
  const last = version === 4 ? cidr.size - 2 : 0xfffe;
  const pools = fields.allocation_pools ?? [{ start: addressAt(cidr, 2), end: addressAt(cidr, last) }];
  const { network_id, name, ip_version: _v, gateway_ip: _g, cidr: _c, ...rest } = fields;
  const subnet = world.subnets.insert({
    id: world.ids.uuid(),
    seq: world.ids.seq(),
    project_id: projectId,
    name: name ?? "",
    description: "",
    network_id,
    ip_version: version,
    cidr: fields.cidr.includes(":") ? fields.cidr : `${addressAt(cidr, 0)}/${cidr.prefix}`,
    gateway_ip: gateway,
    allocation_pools: pools,
    enable_dhcp: true,
    dns_nameservers: [],
    host_routes: [],
    ipv6_ra_mode: null,
    ipv6_address_mode: null,
    subnetpool_id: null,
    tags: [],
    ...stamps(world),
    alloc: { next: 2, used: new Set(gateway ? [gateway] : []) },
    ...rest,
  });
  network.subnet_ids.push(subnet.id);
  touch(world, network);
  return subnet;
}

/** Takes the next free address of a subnet (or the requested one); 409 when exhausted or taken. */
export function allocateIp(_world: World, subnet: SubnetRecord, requested?: string): string {
  const cidr = parseCidr(subnet.cidr);
  if (requested !== undefined) {
    if (!contains(cidr, requested)) {
      throw new SimError(400, `IP address ${requested} is not a valid IP for the specified subnet.`, {
        type: "InvalidIpForSubnet",
      });
    }
    if (subnet.alloc.used.has(requested)) {
      throw conflict(
        `IP address ${requested} already allocated in subnet ${subnet.id}`,
        "IpAddressAlreadyAllocated",
      );
    }
    subnet.alloc.used.add(requested);
    return requested;
  }
  const max = cidr.version === 4 ? cidr.size - 2 : 0xfffe;
  for (let tries = 0; tries < max; tries++) {
    const offset = subnet.alloc.next;
    subnet.alloc.next = offset >= max ? 2 : offset + 1;
    const ip = addressAt(cidr, offset);
    if (!subnet.alloc.used.has(ip)) {
      subnet.alloc.used.add(ip);
      return ip;
    }
  }
  throw conflict(
    `No more IP addresses available on network ${subnet.network_id}.`,
    "IpAddressGenerationFailure",
  );
}

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

/** The project's `default` security group, created on first use (as neutron does). */
export function defaultSecurityGroup(world: World, projectId: string): SecurityGroupRecord {
  const existing = world.securityGroups.ofProject(projectId).find((g) => g.name === "default");
  if (existing) return existing;
  const sg = world.securityGroups.insert({
    id: world.ids.uuid(),
    seq: world.ids.seq(),
    project_id: projectId,
    name: "default",
    description: "Default security group",
    stateful: true,
    tags: [],
    ...stamps(world),
  });
  for (const ethertype of ["IPv4", "IPv6"] as const) {
    addRule(world, sg, { direction: "egress", ethertype });
    addRule(world, sg, { direction: "ingress", ethertype, remote_group_id: sg.id });
  }
  return sg;
}

/** Creates a security group (quota checked). */
export function createSecurityGroup(
  world: World,
  projectId: string,
  name: string,
  description = "",
): SecurityGroupRecord {
  defaultSecurityGroup(world, projectId);
  checkNetworkQuota(world, projectId, "security_group", world.securityGroups.ofProject(projectId).length);
  const sg = world.securityGroups.insert({
    id: world.ids.uuid(),
    seq: world.ids.seq(),
    project_id: projectId,
    name,
    description,
    stateful: true,
    tags: [],
    ...stamps(world),
  });
  for (const ethertype of ["IPv4", "IPv6"] as const) addRule(world, sg, { direction: "egress", ethertype });
  return sg;
}

/** Adds a rule to a group. */
export function addRule(
  world: World,
  sg: SecurityGroupRecord,
  r: Partial<Omit<import("../../core/records.js").SecurityGroupRuleRecord, "id" | "seq">> & {
    direction: "ingress" | "egress";
    ethertype: "IPv4" | "IPv6";
  },
) {
  return world.securityGroupRules.insert({
    id: world.ids.uuid(),
    seq: world.ids.seq(),
    project_id: sg.project_id,
    security_group_id: sg.id,
    protocol: null,
    port_range_min: null,
    port_range_max: null,
    remote_ip_prefix: null,
    remote_group_id: null,
    description: "",
    ...stamps(world),
    ...r,
  });
}

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

/** Finds the router that connects a subnet to an external network (the NAT path), if any. */
export function routerForSubnet(world: World, subnetId: string): RouterRecord | undefined {
  for (const r of world.routers.all()) {
    if (!r.external_gateway_info) continue;
    if (
      world
        .portsOfDevice(r.id)
        .some(
          (p) =>
            p.device_owner === "network:router_interface" &&
            p.fixed_ips.some((f) => f.subnet_id === subnetId),
        )
    ) {
      return r;
    }
  }
  return undefined;
}

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

/** Associates a floating IP with a port (and one of its fixed IPs); 404 when no router reaches it. */
export function associateFloatingIp(
  world: World,
  fip: FloatingIpRecord,
  portId: string,
  fixedIp?: string,
): void {
  const port = world.ports.get(portId);
  if (!port) throw notFound(`Port ${portId} could not be found.`, "PortNotFound");
  const fixed = port.fixed_ips.find((f) =>
    fixedIp === undefined ? !f.ip_address.includes(":") : f.ip_address === fixedIp,
  );
  if (!fixed) {
    throw new SimError(
      400,
      `Bad floatingip request: Port ${portId} does not have fixed ip ${fixedIp ?? "(IPv4)"}.`,
      { type: "BadRequest" },
    );
  }
  const other = world.floatingIps.find(
    (f) => f.port_id === portId && f.fixed_ip_address === fixed.ip_address && f.id !== fip.id,
  );
  if (other) {
    throw conflict(
      `Cannot associate floating IP ${fip.floating_ip_address} (${fip.id}) with port ${portId} using fixed IP ${fixed.ip_address}, as that fixed IP already has a floating IP on external network ${other.floating_network_id}.`,
      "FloatingIPPortAlreadyAssociated",
    );
  }
  const router = routerForSubnet(world, fixed.subnet_id);
  if (!router || router.external_gateway_info?.network_id !== fip.floating_network_id) {
    throw notFound(
      `External network ${fip.floating_network_id} is not reachable from subnet ${fixed.subnet_id}.  Therefore, cannot associate Port ${portId} with a Floating IP.`,
      "ExternalGatewayForFloatingIPNotFound",
    );
  }
  fip.port_id = portId;
  fip.fixed_ip_address = fixed.ip_address;
  fip.router_id = router.id;
  fip.status = "ACTIVE";
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

/** The external network marked `is_default`, or the first external one. */
export function defaultExternalNetwork(world: World): NetworkRecord | undefined {
  const ext = world.networks.filter((n) => n.external);
  return ext.find((n) => n.is_default) ?? ext[0];
}

/**
 * Get-me-a-network: the project's auto-allocated network (network + subnet + router to the default
 * external network), created once and returned on later calls.
 */
export function autoAllocatedTopology(world: World, projectId: string): NetworkRecord {
  const existing = world.networks.ofProject(projectId).find((n) => n.name === "auto_allocated_network");
  if (existing) return existing;
  const ext = defaultExternalNetwork(world);
  if (!ext) {
    throw new SimError(404, "Deployment error: No default router:external network.", {
      type: "ExternalNetworkNotFound",
    });
  }
  const net = createNetwork(world, projectId, { name: "auto_allocated_network" });
  const used = new Set(world.subnets.all().map((s) => s.cidr));
  let n = 0;
  while (used.has(`10.${100 + Math.floor(n / 256)}.${n % 256}.0/24`)) n++;
  const subnet = createSubnet(world, projectId, {
    network_id: net.id,
    cidr: `10.${100 + Math.floor(n / 256)}.${n % 256}.0/24`,
    name: "auto_allocated_subnet_v4",
  });
  const router = createRouter(world, projectId, "auto_allocated_router", { network_id: ext.id });
  addRouterInterface(world, router, subnet.id);
  return net;
}
