/** The names of the built-in cloud profiles. */
export type ProfileName = "modern" | "kilo" | "nova-network" | "rackspace";

/** Every profile name, for validation and help texts. */
export const PROFILE_NAMES: readonly ProfileName[] = ["modern", "kilo", "nova-network", "rackspace"];

/**
 * What one simulated cloud offers: API versions, microversion ranges and feature switches.
 * Service modules read it to decide what to serve and how.
 */
export interface Profile {
  readonly name: ProfileName;
  readonly region: string;
  readonly identity: { readonly v2: boolean; readonly v3: boolean };
  readonly compute: {
    readonly minVersion: string;
    readonly maxVersion: string;
    /** Also serve `/compute/v2/{project_id}` (the pre-microversion endpoint in old catalogs). */
    readonly legacyV2: boolean;
    /** Networks, floating IPs and security groups are nova's own (no neutron). */
    readonly novaNetwork: boolean;
  };
  readonly image: {
    readonly v1: boolean;
    readonly v2: boolean;
    /** Interoperable import methods offered by glance v2 (empty: no import). */
    readonly importMethods: readonly string[];
    /** Only task import from object storage may create image data (Rackspace). */
    readonly uploadByTaskOnly: boolean;
  };
  readonly volume: {
    readonly v2: boolean;
    readonly v3: boolean;
    readonly minVersion: string;
    readonly maxVersion: string;
  };
  readonly network: {
    /** Neutron is in the catalog. */
    readonly enabled: boolean;
    readonly autoAllocatedTopology: boolean;
    readonly floatingIps: boolean;
    readonly routers: boolean;
  };
  readonly objectStore: boolean;
  /** Catalog endpoints carry the project id (`/compute/v2/{project_id}`), as old clouds did. */
  readonly projectIdInEndpoints: boolean;
  /** Every server gets `public` (IPv4 + IPv6) and `private` addresses directly (Rackspace). */
  readonly publicAddressesOnServers: boolean;
}

const modern: Profile = {
  name: "modern",
  region: "RegionOne",
  identity: { v2: false, v3: true },
  compute: { minVersion: "2.1", maxVersion: "2.93", legacyV2: false, novaNetwork: false },
  image: {
    v1: false,
    v2: true,
    importMethods: ["glance-direct", "web-download", "copy-image"],
    uploadByTaskOnly: false,
  },
  volume: { v2: false, v3: true, minVersion: "3.0", maxVersion: "3.70" },
  network: { enabled: true, autoAllocatedTopology: true, floatingIps: true, routers: true },
  objectStore: true,
  projectIdInEndpoints: false,
  publicAddressesOnServers: false,
};

const kilo: Profile = {
  name: "kilo",
  region: "RegionOne",
  identity: { v2: true, v3: true },
  compute: { minVersion: "2.1", maxVersion: "2.12", legacyV2: true, novaNetwork: false },
  image: { v1: true, v2: true, importMethods: [], uploadByTaskOnly: false },
  volume: { v2: true, v3: false, minVersion: "", maxVersion: "" },
  network: { enabled: true, autoAllocatedTopology: false, floatingIps: true, routers: true },
  objectStore: true,
  projectIdInEndpoints: true,
  publicAddressesOnServers: false,
};

const novaNetwork: Profile = {
  name: "nova-network",
  region: "RegionOne",
  identity: { v2: true, v3: true },
  compute: { minVersion: "2.1", maxVersion: "2.12", legacyV2: true, novaNetwork: true },
  image: { v1: true, v2: true, importMethods: [], uploadByTaskOnly: false },
  volume: { v2: true, v3: false, minVersion: "", maxVersion: "" },
  network: { enabled: false, autoAllocatedTopology: false, floatingIps: false, routers: false },
  objectStore: false,
  projectIdInEndpoints: true,
  publicAddressesOnServers: false,
};

const rackspace: Profile = {
  name: "rackspace",
  region: "RegionOne",
  identity: { v2: true, v3: true },
  compute: { minVersion: "2.1", maxVersion: "2.1", legacyV2: true, novaNetwork: false },
  image: { v1: false, v2: true, importMethods: [], uploadByTaskOnly: true },
  volume: { v2: true, v3: false, minVersion: "", maxVersion: "" },
  network: { enabled: true, autoAllocatedTopology: false, floatingIps: false, routers: false },
  objectStore: true,
  projectIdInEndpoints: true,
  publicAddressesOnServers: true,
};

const PROFILES: Record<ProfileName, Profile> = { modern, kilo, "nova-network": novaNetwork, rackspace };

/** The profile with this name; throws a TypeError listing the valid names otherwise. */
export function getProfile(name: string): Profile {
  const p = (PROFILES as Record<string, Profile | undefined>)[name];
  if (!p) throw new TypeError(`unknown profile "${name}" (expected one of: ${PROFILE_NAMES.join(", ")})`);
  return p;
}
