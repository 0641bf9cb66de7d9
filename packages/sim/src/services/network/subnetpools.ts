/**
 * Neutron subnet pools (the `subnet_allocation` and `default-subnetpools` extensions): records, CIDR
 * allocation for subnets created with `subnetpool_id`/`prefixlen`, and the routes.
 */
import { isAdmin } from "../../core/auth.js";
import { badRequest, SimError } from "../../core/errors.js";
import { empty, json, member, optBool, optInt, optString, readJson } from "../../core/http.js";
import { intToIpv4, normalizeCidr, parseCidr } from "../../core/ip.js";
import type { RouteGroup, SimContext, SimState } from "../../core/service.js";
import { type Row, Table } from "../../core/table.js";
import type { World } from "../../core/world.js";
import { checkIfMatch, findOwned, findVisible, ownerFor, visible } from "./access.js";
import { neutronList } from "./list.js";

/** A neutron subnet pool. */
export interface SubnetPoolRecord extends Row {
  name: string;
  description: string;
  ip_version: 4 | 6;
  prefixes: string[];
  default_prefixlen: number;
  min_prefixlen: number;
  max_prefixlen: number;
  shared: boolean;
  is_default: boolean;
  tags: string[];
  created: number;
  updated: number;
  revision: number;
}

/** The world's subnet pools (kept in the network module's own state). */
export function subnetPools(world: World): Table<SubnetPoolRecord> {
  return world.state("network:subnetpools", () => new Table<SubnetPoolRecord>());
}

/** Creates a subnet pool. */
export function createSubnetPool(
  world: World,
  projectId: string,
  fields: Partial<SubnetPoolRecord> & { name: string; prefixes: string[] },
): SubnetPoolRecord {
  const parsed = fields.prefixes.map((p) => {
    try {
      return parseCidr(p);
    } catch {
      throw badRequest(`Invalid input for prefixes. Reason: '${p}' is not a valid IP subnet.`);
    }
  });
  const version = parsed[0]?.version ?? 4;
  if (parsed.some((p) => p.version !== version)) {
    throw badRequest("Cannot mix IPv4 and IPv6 prefixes in a subnet pool.", "PrefixVersionMismatch");
  }
  const max = version === 4 ? 32 : 128;
  const now = world.clock.now();
  return subnetPools(world).insert({
    id: world.ids.uuid(),
    seq: world.ids.seq(),
    project_id: projectId,
    description: "",
    ip_version: version,
    min_prefixlen: version === 4 ? 8 : 64,
    max_prefixlen: max,
    default_prefixlen: version === 4 ? 8 : 64,
    shared: false,
    is_default: false,
    tags: [],
    created: now,
    updated: now,
    revision: 1,
    ...fields,
    prefixes: parsed.map(normalizeCidr),
  });
}

/** The default pool of an IP version visible to a project, if any. */
export function defaultSubnetPool(world: World, version: 4 | 6): SubnetPoolRecord | undefined {
  return subnetPools(world).find((p) => p.is_default && p.ip_version === version);
}

/**
 * Picks a CIDR for a new subnet from a pool: the requested one (it must lie inside a pool prefix and not
 * overlap the pool's other subnets) or the first free block of `prefixlen` (default: the pool's).
 */
export function allocateFromPool(
  world: World,
  pool: SubnetPoolRecord,
  request: { cidr?: string; prefixlen?: number },
): string {
  if (pool.ip_version !== 4) {
    throw badRequest("The simulator allocates subnets from IPv4 subnet pools only.", "InvalidSubnetRequest");
  }
  const taken = world.subnets
    .filter((s) => s.subnetpool_id === pool.id)
    .map((s) => parseCidr(s.cidr))
    .map((c) => [c.base, c.base + c.size] as const)
    .sort((a, b) => a[0] - b[0]);
  const overlap = (start: number, size: number) => taken.find(([s, e]) => s < start + size && e > start);
  const prefixes = pool.prefixes.map((p) => parseCidr(p));
  if (request.cidr !== undefined) {
    const c = parseCidr(request.cidr);
    const inside = prefixes.some((p) => c.base >= p.base && c.base + c.size <= p.base + p.size);
    if (!inside) {
      throw badRequest(
        `Cannot allocate requested subnet from the available set of prefixes`,
        "SubnetAllocationError",
      );
    }
    if (overlap(c.base, c.size)) {
      throw badRequest(
        `Cannot allocate requested subnet from the available set of prefixes`,
        "SubnetAllocationError",
      );
    }
    return normalizeCidr(c);
  }
  const prefixlen = request.prefixlen ?? pool.default_prefixlen;
  if (prefixlen < pool.min_prefixlen || prefixlen > pool.max_prefixlen) {
    throw badRequest(
      `Cannot allocate requested subnet: Unsupported prefix length ${prefixlen}: the pool allows ${pool.min_prefixlen} to ${pool.max_prefixlen}.`,
      "InvalidSubnetRequest",
    );
  }
  const size = 2 ** (32 - prefixlen);
  for (const p of prefixes) {
    if (p.prefix > prefixlen) continue;
    let cur = p.base;
    // Each step jumps past one overlapping allocation, so this ends after at most |taken| + 1 steps.
    while (cur + size <= p.base + p.size) {
      const hit = overlap(cur, size);
      if (!hit) return `${intToIpv4(cur)}/${prefixlen}`;
      cur = Math.ceil(hit[1] / size) * size;
    }
  }
  // NOTE: neutron's SubnetAllocationError is a plain NeutronException, which its API renders as a 500.
  throw new SimError(
    500,
    `Failed to allocate subnet: Insufficient prefix space to allocate subnet size /${prefixlen}.`,
    { type: "SubnetAllocationError" },
  );
}

/** A subnet pool as neutron shows it (prefix lengths are strings in neutron's API). */
export function subnetPoolView(world: World, p: SubnetPoolRecord) {
  return {
    address_scope_id: null,
    created_at: world.clock.isoSeconds(p.created),
    default_prefixlen: String(p.default_prefixlen),
    default_quota: null,
    description: p.description,
    id: p.id,
    ip_version: p.ip_version,
    is_default: p.is_default,
    max_prefixlen: String(p.max_prefixlen),
    min_prefixlen: String(p.min_prefixlen),
    name: p.name,
    prefixes: [...p.prefixes],
    project_id: p.project_id,
    tenant_id: p.project_id,
    revision_number: p.revision,
    shared: p.shared,
    tags: [...p.tags],
    updated_at: world.clock.isoSeconds(p.updated),
  };
}

const sharedPool = (p: SubnetPoolRecord) => p.shared;

/** The pool a caller may use, or neutron's 404. */
export function findPool(c: SimContext, id: string): SubnetPoolRecord {
  return findVisible(c, subnetPools(c.var.sim.world), id, "Subnet pool", sharedPool);
}

function prefixLen(body: Record<string, unknown>, key: string): number | undefined {
  return optInt(body, key, `subnetpool.${key}`);
}

/** `/v2.0/subnetpools`. */
export function registerSubnetPools(v2: RouteGroup, sim: SimState): void {
  const world = sim.world;
  const pools = subnetPools(world);
  v2.get("/subnetpools", (c) =>
    neutronList(c, "subnetpools", visible(c, pools, sharedPool), (p) => subnetPoolView(world, p)),
  );
  v2.get("/subnetpools/:id", (c) =>
    json(c, 200, { subnetpool: subnetPoolView(world, findPool(c, c.req.param("id")!)) }),
  );
  v2.post("/subnetpools", async (c) => {
    const body = member(await readJson(c), "subnetpool");
    const name = optString(body, "name");
    if (name === undefined) throw badRequest("Invalid input for operation: name is required.");
    if (!Array.isArray(body.prefixes) || body.prefixes.length === 0) {
      throw badRequest("Invalid input for prefixes. Reason: at least one prefix is required.");
    }
    const shared = optBool(body, "shared") ?? false;
    const isDefault = optBool(body, "is_default") ?? false;
    if ((shared || isDefault) && !isAdmin(c)) {
      throw new SimError(403, "(rule:create_subnetpool:shared) is disallowed by policy", {
        type: "PolicyNotAuthorized",
      });
    }
    const p = createSubnetPool(world, ownerFor(c, body), {
      name,
      prefixes: body.prefixes.map(String),
      description: optString(body, "description") ?? "",
      shared,
      is_default: isDefault,
    });
    const min = prefixLen(body, "min_prefixlen");
    const max = prefixLen(body, "max_prefixlen");
    if (min !== undefined) p.min_prefixlen = min;
    if (max !== undefined) p.max_prefixlen = max;
    p.default_prefixlen = prefixLen(body, "default_prefixlen") ?? p.min_prefixlen;
    return json(c, 201, { subnetpool: subnetPoolView(world, p) });
  });
  v2.put("/subnetpools/:id", async (c) => {
    const p = findOwned(c, pools, c.req.param("id")!, "Subnet pool");
    checkIfMatch(c, p);
    const body = member(await readJson(c), "subnetpool");
    p.name = optString(body, "name") ?? p.name;
    p.description = optString(body, "description") ?? p.description;
    p.default_prefixlen = prefixLen(body, "default_prefixlen") ?? p.default_prefixlen;
    if (Array.isArray(body.prefixes)) {
      // NOTE: neutron only lets a pool's prefixes grow (existing prefixes must stay covered).
      p.prefixes = [
        ...new Set([...p.prefixes, ...body.prefixes.map((x) => normalizeCidr(parseCidr(String(x))))]),
      ];
    }
    if (isAdmin(c)) p.is_default = optBool(body, "is_default") ?? p.is_default;
    p.updated = world.clock.now();
    p.revision += 1;
    return json(c, 200, { subnetpool: subnetPoolView(world, p) });
  });
  v2.delete("/subnetpools/:id", (c) => {
    const p = findOwned(c, pools, c.req.param("id")!, "Subnet pool");
    checkIfMatch(c, p);
    if (world.subnets.find((s) => s.subnetpool_id === p.id)) {
      throw new SimError(
        409,
        `Unable to complete operation on subnet pool ${p.id}. Subnets are allocated from it.`,
        { type: "SubnetPoolInUse" },
      );
    }
    pools.remove(p.id);
    return empty(c, 204);
  });
}
