import { isAdmin } from "../../core/auth.js";
import { badRequest, conflict, SimError } from "../../core/errors.js";
import { empty, json, member, optBool, optInt, optString, readJson } from "../../core/http.js";
import type { NetworkRecord } from "../../core/records.js";
import type { RouteGroup, SimState } from "../../core/service.js";
import { checkIfMatch, findOwned, findVisible, ownerFor, visible } from "./access.js";
import { neutronList } from "./list.js";
import { createNetwork, createPort, createSubnet, deletePort, type FixedIpRequest, touch } from "./ops.js";
import { allocateFromPool, defaultSubnetPool, findPool } from "./subnetpools.js";
import { networkView, portView, subnetView } from "./views.js";

const sharedNet = (n: NetworkRecord) => n.shared || n.external;

function fixedIpRequests(v: unknown): FixedIpRequest[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw badRequest("Invalid input for fixed_ips. Reason: must be a list.");
  return v.map((f, i) => {
    if (typeof f !== "object" || f === null) throw badRequest(`Invalid input for fixed_ips[${i}].`);
    const o = f as Record<string, unknown>;
    return {
      ...(typeof o.subnet_id === "string" ? { subnet_id: o.subnet_id } : {}),
      ...(typeof o.ip_address === "string" ? { ip_address: o.ip_address } : {}),
    };
  });
}

/** Networks, subnets and ports. */
export function registerCore(v2: RouteGroup, sim: SimState): void {
  const world = sim.world;
  v2.get("/networks", (c) =>
    neutronList(c, "networks", visible(c, world.networks, sharedNet), (n) =>
      networkView(world, n, isAdmin(c)),
    ),
  );
  v2.get("/networks/:id", (c) =>
    json(c, 200, {
      network: networkView(
        world,
        findVisible(c, world.networks, c.req.param("id")!, "Network", sharedNet),
        isAdmin(c),
      ),
    }),
  );
  v2.post("/networks", async (c) => {
    const body = member(await readJson(c), "network");
    const n = createNetwork(world, ownerFor(c, body), {
      name: optString(body, "name") ?? "",
      description: optString(body, "description") ?? "",
      admin_state_up: optBool(body, "admin_state_up") ?? true,
      shared: optBool(body, "shared") ?? false,
      external: optBool(body, "router:external") ?? false,
      is_default: optBool(body, "is_default") ?? false,
      mtu: optInt(body, "mtu") ?? 1450,
      port_security_enabled: optBool(body, "port_security_enabled") ?? true,
    });
    return json(c, 201, { network: networkView(world, n, isAdmin(c)) });
  });
  v2.put("/networks/:id", async (c) => {
    const n = findOwned(c, world.networks, c.req.param("id")!, "Network");
    checkIfMatch(c, n);
    const body = member(await readJson(c), "network");
    n.name = optString(body, "name") ?? n.name;
    n.description = optString(body, "description") ?? n.description;
    n.admin_state_up = optBool(body, "admin_state_up") ?? n.admin_state_up;
    n.shared = optBool(body, "shared") ?? n.shared;
    n.external = optBool(body, "router:external") ?? n.external;
    n.is_default = optBool(body, "is_default") ?? n.is_default;
    touch(world, n);
    return json(c, 200, { network: networkView(world, n, isAdmin(c)) });
  });
  v2.delete("/networks/:id", (c) => {
    const n = findOwned(c, world.networks, c.req.param("id")!, "Network");
    checkIfMatch(c, n);
    const inUse = world.ports.all().some((p) => p.network_id === n.id && p.device_owner !== "network:dhcp");
    if (inUse) {
      throw conflict(
        `Unable to complete operation on network ${n.id}. There are one or more ports still in use on the network.`,
        "NetworkInUse",
      );
    }
    for (const id of n.subnet_ids) world.subnets.remove(id);
    world.networks.remove(n.id);
    return empty(c, 204);
  });

  const subnetShared = (s: { network_id: string }) => {
    const n = world.networks.get(s.network_id);
    return !!n && sharedNet(n);
  };
  v2.get("/subnets", (c) =>
    neutronList(c, "subnets", visible(c, world.subnets, subnetShared), (s) => subnetView(world, s)),
  );
  v2.get("/subnets/:id", (c) =>
    json(c, 200, {
      subnet: subnetView(world, findVisible(c, world.subnets, c.req.param("id")!, "Subnet", subnetShared)),
    }),
  );
  v2.post("/subnets", async (c) => {
    const body = member(await readJson(c), "subnet");
    const networkId = optString(body, "network_id");
    if (!networkId) throw badRequest("Invalid input for operation: network_id is required.");
    findVisible(c, world.networks, networkId, "Network", sharedNet);
    const ipVersion = optInt(body, "ip_version") ?? 4;
    if (ipVersion !== 4 && ipVersion !== 6)
      throw badRequest(`Invalid input for ip_version. Reason: ${ipVersion} is not in [4, 6].`);
    const poolId = optString(body, "subnetpool_id");
    const useDefault = optBool(body, "use_default_subnetpool") ?? false;
    if (poolId && useDefault) {
      throw badRequest(
        "Bad subnet request: subnetpool_id and use_default_subnetpool cannot both be specified.",
      );
    }
    const pool = poolId ? findPool(c, poolId) : useDefault ? defaultSubnetPool(world, ipVersion) : undefined;
    if (useDefault && !pool) {
      throw badRequest(`Bad subnet request: No default subnetpool found for IPv${ipVersion}.`);
    }
    if (pool && pool.ip_version !== ipVersion) {
      throw badRequest(
        `Bad subnet request: ip_version ${ipVersion} does not match the subnet pool's ${pool.ip_version}.`,
      );
    }
    const prefixlen = optInt(body, "prefixlen");
    if (prefixlen !== undefined && !pool) {
      throw badRequest("Bad subnet request: prefixlen requires a subnetpool_id or use_default_subnetpool.");
    }
    const requestedCidr = optString(body, "cidr");
    const cidr = pool
      ? allocateFromPool(world, pool, {
          ...(requestedCidr ? { cidr: requestedCidr } : {}),
          ...(prefixlen === undefined ? {} : { prefixlen }),
        })
      : requestedCidr;
    if (!cidr)
      throw badRequest("Bad subnet request: a cidr must be specified in the absence of a subnet pool.");
    if ((ipVersion === 6) !== cidr.includes(":")) {
      throw badRequest(
        `Invalid input for operation: cidr ${cidr} does not match ip_version ${ipVersion}.`,
        "InvalidInput",
      );
    }
    const s = createSubnet(world, ownerFor(c, body), {
      network_id: networkId,
      cidr,
      name: optString(body, "name") ?? "",
      ip_version: ipVersion,
      ...("gateway_ip" in body ? { gateway_ip: optString(body, "gateway_ip") ?? null } : {}),
      enable_dhcp: optBool(body, "enable_dhcp") ?? true,
      dns_nameservers: Array.isArray(body.dns_nameservers) ? body.dns_nameservers.map(String) : [],
      description: optString(body, "description") ?? "",
      ipv6_ra_mode: optString(body, "ipv6_ra_mode") ?? null,
      ipv6_address_mode: optString(body, "ipv6_address_mode") ?? null,
      subnetpool_id: pool?.id ?? null,
      ...(Array.isArray(body.allocation_pools)
        ? { allocation_pools: body.allocation_pools as { start: string; end: string }[] }
        : {}),
    });
    return json(c, 201, { subnet: subnetView(world, s) });
  });
  v2.put("/subnets/:id", async (c) => {
    const s = findOwned(c, world.subnets, c.req.param("id")!, "Subnet");
    checkIfMatch(c, s);
    const body = member(await readJson(c), "subnet");
    s.name = optString(body, "name") ?? s.name;
    s.description = optString(body, "description") ?? s.description;
    s.enable_dhcp = optBool(body, "enable_dhcp") ?? s.enable_dhcp;
    if (Array.isArray(body.dns_nameservers)) s.dns_nameservers = body.dns_nameservers.map(String);
    touch(world, s);
    return json(c, 200, { subnet: subnetView(world, s) });
  });
  v2.delete("/subnets/:id", (c) => {
    const s = findOwned(c, world.subnets, c.req.param("id")!, "Subnet");
    checkIfMatch(c, s);
    if (world.ports.all().some((p) => p.fixed_ips.some((f) => f.subnet_id === s.id))) {
      throw conflict(
        `Unable to complete operation on subnet ${s.id}: One or more ports have an IP allocation from this subnet.`,
        "SubnetInUse",
      );
    }
    const n = world.networks.get(s.network_id);
    if (n) {
      n.subnet_ids = n.subnet_ids.filter((id) => id !== s.id);
      touch(world, n);
    }
    world.subnets.remove(s.id);
    return empty(c, 204);
  });

  v2.get("/ports", (c) => {
    // NOTE: neutron lets a project see ports of its own devices only; `device_id` filters are common.
    const deviceId = c.req.query("device_id");
    const rows =
      deviceId !== undefined && !c.req.queries("device_id")?.[1]
        ? world.portsOfDevice(deviceId)
        : visible(c, world.ports);
    const own = visible(c, world.ports);
    const allowed = rows === own ? rows : rows.filter((p) => own.includes(p));
    return neutronList(c, "ports", allowed, (p) => portView(world, p, isAdmin(c)));
  });
  v2.get("/ports/:id", (c) =>
    json(c, 200, {
      port: portView(world, findVisible(c, world.ports, c.req.param("id")!, "Port"), isAdmin(c)),
    }),
  );
  v2.post("/ports", async (c) => {
    const body = member(await readJson(c), "port");
    const networkId = optString(body, "network_id");
    if (!networkId) throw badRequest("Invalid input for operation: network_id is required.");
    findVisible(c, world.networks, networkId, "Network", sharedNet);
    const fixed = fixedIpRequests(body.fixed_ips);
    const sgs = Array.isArray(body.security_groups) ? body.security_groups.map(String) : undefined;
    for (const id of sgs ?? []) findVisible(c, world.securityGroups, id, "Security group");
    const p = createPort(world, ownerFor(c, body), {
      network_id: networkId,
      ...(fixed ? { fixed_ips: fixed } : {}),
      name: optString(body, "name") ?? "",
      description: optString(body, "description") ?? "",
      device_id: optString(body, "device_id") ?? "",
      device_owner: optString(body, "device_owner") ?? "",
      admin_state_up: optBool(body, "admin_state_up") ?? true,
      ...(sgs ? { security_group_ids: sgs } : {}),
      ...(optString(body, "mac_address") ? { mac_address: optString(body, "mac_address")! } : {}),
    });
    return json(c, 201, { port: portView(world, p, isAdmin(c)) });
  });
  v2.put("/ports/:id", async (c) => {
    const p = findOwned(c, world.ports, c.req.param("id")!, "Port");
    checkIfMatch(c, p);
    const body = member(await readJson(c), "port");
    p.name = optString(body, "name") ?? p.name;
    p.description = optString(body, "description") ?? p.description;
    p.admin_state_up = optBool(body, "admin_state_up") ?? p.admin_state_up;
    if (Array.isArray(body.security_groups)) p.security_group_ids = body.security_groups.map(String);
    const deviceId = optString(body, "device_id");
    if (deviceId !== undefined && deviceId !== p.device_id) {
      const prev = p.device_id;
      p.device_id = deviceId;
      world.indexPortDevice(p, prev);
    }
    p.device_owner = optString(body, "device_owner") ?? p.device_owner;
    touch(world, p);
    return json(c, 200, { port: portView(world, p, isAdmin(c)) });
  });
  v2.delete("/ports/:id", (c) => {
    const p = findOwned(c, world.ports, c.req.param("id")!, "Port");
    checkIfMatch(c, p);
    if (p.device_owner === "network:router_interface") {
      throw new SimError(
        409,
        `Port ${p.id} cannot be deleted directly via the port API: has device owner network:router_interface.`,
        {
          type: "ServicePortInUse",
        },
      );
    }
    deletePort(world, p.id);
    return empty(c, 204);
  });
}
