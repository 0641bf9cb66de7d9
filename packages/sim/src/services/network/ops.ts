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
import { allocateFromPool, defaultSubnetPool } from "./subnetpools.js";

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
  const pool = defaultSubnetPool(world, 4);
  if (!pool) {
    // NOTE: neutron's auto-allocation needs a default subnet pool (or fails with 409 "No default subnetpools defined").
    throw new SimError(409, "Deployment error: No default subnetpools defined.", {
      type: "AutoAllocationFailure",
    });
  }
  const cidr = allocateFromPool(world, pool, {});
  const net = createNetwork(world, projectId, { name: "auto_allocated_network" });
  const subnet = createSubnet(world, projectId, {
    network_id: net.id,
    cidr,
    name: "auto_allocated_subnet_v4",
    subnetpool_id: pool.id,
  });
  const router = createRouter(world, projectId, "auto_allocated_router", { network_id: ext.id });
  addRouterInterface(world, router, subnet.id);
  return net;
}
