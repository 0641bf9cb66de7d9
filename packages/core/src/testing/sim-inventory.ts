import type { Simulator } from "@oaktree/sim";

/** Every resource the simulator holds, by kind: `"<kind> <id> (<name>)"` strings, sorted. */
export type SimInventory = Readonly<Record<string, readonly string[]>>;

/**
 * Lists everything in the simulator's world (every project), read from the simulator itself
 * rather than through oaktree, so that a leak test does not trust the code it tests. Servers
 * that nova shows only to `changes-since` (deleted) are not listed, nor neutron's `default`
 * security groups and their rules (neutron makes them on a project's first use, as the real one
 * does: they are the cloud's, never oaktree's); due state transitions (a finished delete) are
 * applied first.
 *
 * @example
 * const before = simInventory(cloud.sim);
 * await expect(somethingThatFails()).rejects.toThrow();
 * expect(simInventory(cloud.sim)).toEqual(before);
 */
export function simInventory(sim: Simulator): SimInventory {
  const world = sim.admin.state.world;
  world.settle();
  const named = (kind: string, rows: readonly { id: string; name?: string | null }[]) =>
    rows.map((row) => `${kind} ${row.id}${row.name ? ` (${row.name})` : ""}`).sort();
  const swift = world.state<{ accounts: Map<string, Map<string, { objects: Map<string, unknown> }>> }>(
    "object-store",
    () => ({ accounts: new Map() }),
  );
  const objects: string[] = [];
  for (const [account, containers] of swift.accounts) {
    for (const [container, { objects: inside }] of containers) {
      objects.push(`container ${account}/${container}`);
      for (const object of inside.keys()) objects.push(`object ${account}/${container}/${object}`);
    }
  }
  const defaultGroups = new Set(
    world.securityGroups.filter((group) => group.name === "default").map((group) => group.id),
  );
  return {
    servers: named(
      "server",
      world.servers.filter((server) => server.deleted_at === null),
    ),
    volumes: named("volume", world.volumes.all()),
    images: named("image", world.images.all()),
    keypairs: named("keypair", world.keypairs.all()),
    serverGroups: named("server group", world.serverGroups.all()),
    networks: named("network", world.networks.all()),
    subnets: named("subnet", world.subnets.all()),
    ports: named("port", world.ports.all()),
    routers: named("router", world.routers.all()),
    floatingIps: world.floatingIps
      .all()
      .map((ip) => `floating IP ${ip.id}`)
      .sort(),
    securityGroups: named(
      "security group",
      world.securityGroups.filter((group) => !defaultGroups.has(group.id)),
    ),
    securityGroupRules: world.securityGroupRules
      .filter((rule) => !defaultGroups.has(rule.security_group_id))
      .map((rule) => `rule ${rule.id}`)
      .sort(),
    objectStore: objects.sort(),
  };
}

/** What `after` holds that `before` did not, by kind (kinds with nothing new are left out). */
export function addedSince(before: SimInventory, after: SimInventory): Record<string, string[]> {
  const added: Record<string, string[]> = {};
  for (const [kind, items] of Object.entries(after)) {
    const old = new Set(before[kind] ?? []);
    const fresh = items.filter((item) => !old.has(item));
    if (fresh.length > 0) added[kind] = fresh;
  }
  return added;
}
