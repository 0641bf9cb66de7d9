import { createHash } from "node:crypto";
import type { World } from "../../core/world.js";
import { projectId } from "../identity/seed.js";
import { addRouterInterface, createNetwork, createRouter, createSubnet } from "../network/ops.js";
import { createSubnetPool } from "../network/subnetpools.js";

const FLAVORS: [id: string, name: string, ram: number, vcpus: number, disk: number][] = [
  ["42", "m1.nano", 64, 1, 1],
  ["84", "m1.micro", 128, 1, 1],
  ["1", "m1.tiny", 512, 1, 1],
  ["2", "m1.small", 2048, 1, 20],
  ["3", "m1.medium", 4096, 2, 40],
  ["4", "m1.large", 8192, 4, 80],
];

/** The cirros image's bytes stand-in (its checksum is what clients compare). */
const CIRROS_BYTES = new TextEncoder().encode("cirros-0.6.2-x86_64-disk.img (simulated)\n");

/** A fresh devstack's flavors (m1.nano 64 MB ... m1.large). */
export function seedFlavors(world: World): void {
  for (const [id, name, ram, vcpus, disk] of FLAVORS) {
    world.flavors.insert({
      id,
      project_id: "",
      seq: world.ids.seq(),
      name,
      ram,
      vcpus,
      disk,
      ephemeral: 0,
      swap: 0,
      rxtx_factor: 1,
      is_public: true,
      description: null,
      extra_specs: {},
      fail_builds: false,
    });
  }
}

/** The public `cirros` image, unless the image module seeded images already. */
export function seedCirros(world: World): void {
  if (world.images.size > 0) return;
  const now = world.clock.now();
  world.images.insert({
    id: world.ids.uuid(),
    project_id: projectId(world, "admin"),
    seq: world.ids.seq(),
    name: "cirros-0.6.2-x86_64-disk",
    status: "active",
    visibility: "public",
    disk_format: world.profile.name === "rackspace" ? "vhd" : "qcow2",
    container_format: "bare",
    size: CIRROS_BYTES.length,
    virtual_size: 117440512,
    checksum: createHash("md5").update(CIRROS_BYTES).digest("hex"),
    os_hash_algo: "sha512",
    os_hash_value: createHash("sha512").update(CIRROS_BYTES).digest("hex"),
    min_disk: 0,
    min_ram: 0,
    protected: false,
    os_hidden: false,
    tags: [],
    properties: {},
    created: now,
    updated: now,
    data: CIRROS_BYTES,
    fail_builds: false,
  });
}

/** Fixed network ids of the Rackspace profile (as Rackspace's own). */
export const RACKSPACE_PUBLIC_NET = "00000000-0000-0000-0000-000000000000";
export const RACKSPACE_PRIVATE_NET = "11111111-1111-1111-1111-111111111111";

/** The networks of a fresh cloud of this profile (see docs/simulator.md). */
export function seedNetworking(world: World): void {
  const admin = projectId(world, "admin");
  const demo = projectId(world, "demo");
  const profile = world.profile;
  if (profile.publicAddressesOnServers) {
    const pub = createNetwork(world, admin, { id: RACKSPACE_PUBLIC_NET, name: "public", shared: true });
    createSubnet(world, admin, { network_id: pub.id, cidr: "104.130.0.0/16", name: "public-v4" });
    createSubnet(world, admin, { network_id: pub.id, cidr: "2001:4800:7800::/64", name: "public-v6" });
    const priv = createNetwork(world, admin, { id: RACKSPACE_PRIVATE_NET, name: "private", shared: true });
    createSubnet(world, admin, { network_id: priv.id, cidr: "10.176.0.0/12", name: "private-v4" });
    return;
  }
  const pub = createNetwork(world, admin, {
    name: "public",
    external: true,
    is_default: true,
    pool: "public",
  });
  createSubnet(world, admin, {
    network_id: pub.id,
    cidr: "172.24.4.0/24",
    name: "public-subnet",
    enable_dhcp: false,
  });
  if (profile.compute.novaNetwork) {
    // NOTE: nova-network networks are global (no project), shared by every project.
    const priv = createNetwork(world, admin, { name: "private", shared: true });
    createSubnet(world, admin, { network_id: priv.id, cidr: "10.0.0.0/20", name: "private-subnet" });
    return;
  }
  // NOTE: devstack's default pool (`shared-default-subnetpool-v4`, /26 subnets) feeds `private` and
  // get-me-a-network; the simulator's pool is wider (10.0.0.0/16) so that `private` can stay a /22.
  const pool =
    profile.name === "modern"
      ? createSubnetPool(world, admin, {
          name: "shared-default-subnetpool-v4",
          prefixes: ["10.0.0.0/16"],
          default_prefixlen: 26,
          shared: true,
          is_default: true,
        })
      : undefined;
  const priv = createNetwork(world, demo, { name: "private" });
  const subnet = createSubnet(world, demo, {
    network_id: priv.id,
    cidr: "10.0.0.0/22",
    name: "private-subnet",
    subnetpool_id: pool?.id ?? null,
  });
  const router = createRouter(world, demo, "router1", { network_id: pub.id });
  addRouterInterface(world, router, subnet.id);
}
