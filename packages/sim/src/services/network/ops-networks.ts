/** Network and subnet operations (IP allocation from a subnet, get-me-a-network's auto-allocated topology). */
import { conflict, notFound, SimError } from "../../core/errors.js";
import { addressAt, contains, parseCidr } from "../../core/ip.js";
import type { NetworkRecord, SubnetRecord } from "../../core/records.js";
import type { World } from "../../core/world.js";
import { checkNetworkQuota, stamps, touch } from "./ops-common.js";
import { addRouterInterface, createRouter } from "./ops-routers.js";
import { allocateFromPool, defaultSubnetPool } from "./subnetpools.js";

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
