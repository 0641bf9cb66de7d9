import type { Logger } from "pino";
import { type DiskLoadOptions, loadCloudConfigFromDisk } from "../config/load.js";
import type { CloudConfig } from "../config/types.js";
import { type CloudConnection, type ConnectOptions, connect } from "../connection/connect.js";
import type { FloatingIp } from "../models/floating-ip.js";
import type { Image } from "../models/image.js";
import type { Server } from "../models/server.js";
import type { UpdateNetworkOptions } from "../services/network/v2/networks/requests.js";
import type { UpdatePortOptions } from "../services/network/v2/ports/requests.js";
import type { UpdateSubnetOptions } from "../services/network/v2/subnets/requests.js";
import type { Judge, WatchEvent } from "../state/watch.js";
import * as capabilities from "./capabilities.js";
import { type CloudContext, type CloudOptions, createCloudContext } from "./context.js";
import * as servers from "./create-server.js";
import * as deletion from "./delete-server.js";
import type { FilterOptions } from "./find.js";
import * as flavors from "./flavors.js";
import * as floatingIpRefs from "./floating-ip-refs.js";
import * as floatingIps from "./floating-ips.js";
import { type EnsureNetworkOptions, ensureNetwork } from "./get-me-a-network.js";
import * as imageUpload from "./image-upload.js";
import * as images from "./images.js";
import * as keypairs from "./keypairs.js";
import * as limits from "./limits.js";
import * as networkWatches from "./network-watches.js";
import * as networks from "./networks.js";
import * as ports from "./ports.js";
import * as routers from "./routers.js";
import * as securityGroups from "./security-groups.js";
import * as serverQueries from "./servers.js";
import * as volumeRefs from "./volume-refs.js";
import * as volumes from "./volumes.js";

/** Where {@link Cloud.open} finds the cloud: clouds.yaml as every OpenStack tool reads it. */
export interface OpenCloudOptions extends Omit<DiskLoadOptions, "cloud" | "region"> {
  /** The cloud's name in clouds.yaml (default: OS_CLOUD, or the only cloud). */
  readonly cloud?: string;
  readonly region?: string;
  /** An already resolved config instead of clouds.yaml. */
  readonly config?: CloudConfig;
  readonly logger?: Logger;
  readonly connect?: ConnectOptions;
  readonly state?: CloudOptions;
}

/**
 * One cloud, region and project: the porcelain's one public API. Every method is a thin
 * call of the module that holds its logic (cloud/*.ts), with this cloud's context.
 *
 * @example
 * const cloud = await Cloud.open({ cloud: "mycloud" });
 * const { server } = await cloud.createServer({ name: "web", image: "ubuntu-24.04", flavor: "m1.small" });
 * console.log(server.interfaceIp);
 * await cloud.close();
 */
export class Cloud {
  /** The steps createServer borrows from other modules (get-me-a-network, volumes). */
  private readonly createServerDeps: servers.CreateServerDeps = {
    chooseAutoNetwork: async (ctx, signal) => {
      const verdict = await ensureNetwork(ctx, signal ? { signal } : {});
      if (verdict.kind === "network") return { kind: "network", networkId: verdict.networkId };
      return verdict.kind === "nova-auto" ? { kind: "nova-auto" } : { kind: "nova-default" };
    },
    createBootVolume: (ctx, options) => volumes.createBootVolume(ctx, options),
    deleteVolume: async (ctx, id) => {
      await volumes.deleteVolume(ctx, id, { wait: true });
    },
    attachVolume: async (ctx, serverId, volumeId, signal) => {
      await volumes.attachVolume(ctx, serverId, volumeId, { wait: true, ...(signal && { signal }) });
    },
  };

  constructor(readonly context: CloudContext) {}

  /** Loads the cloud's config (clouds.yaml, secure.yaml, OS_*), authenticates, and opens it. */
  static async open(options: OpenCloudOptions = {}): Promise<Cloud> {
    const config =
      options.config ??
      (await loadCloudConfigFromDisk({
        ...options,
        ...(options.cloud !== undefined && { cloud: options.cloud }),
        ...(options.region !== undefined && { region: options.region }),
      }));
    const connection = await connect(config, {
      ...options.connect,
      ...(options.logger && { logger: options.logger }),
    });
    return new Cloud(createCloudContext(connection, options.state));
  }

  get connection(): CloudConnection {
    return this.context.connection;
  }

  /** Stops this cloud's watches and closes its connections. */
  async close(): Promise<void> {
    await this.context.watches.close();
    await this.context.connection.close();
  }

  // Capabilities ------------------------------------------------------------------------------

  /** What this cloud offers (floating IPs, security groups, images, networks), probed once. */
  capabilities(options?: capabilities.CapabilityOptions) {
    return capabilities.getCapabilities(this.context, options);
  }

  /** `cloud/region/project`: the scope of this cloud's caches, watches and leases. */
  scope(): Promise<string> {
    return this.context.scope();
  }

  /** How many shared watches poll this cloud's registry now (one per scope and resource kind). */
  sharedWatchCount(): number {
    return this.context.watches.keys().length;
  }

  /** The project's compute limits and usage (nova's absolute and rate limits). */
  getLimits(options?: CallOptions) {
    return limits.getComputeLimits(this.context, options);
  }

  // Servers -----------------------------------------------------------------------------------

  /**
   * Boots a server by names (image, flavor, networks, volumes), waits for it and makes it
   * reachable (auto IP); a failed create cleans up what it made.
   * @param options - what to boot; `clientToken` makes a retry return the same server
   */
  createServer(options: servers.CreateServerOptions) {
    return servers.createServer(this.context, this.createServerDeps, options);
  }

  /**
   * Deletes a server and what oaktree made for it (its floating IPs, volumes if asked).
   * @param nameOrId - the server's name or id
   */
  deleteServer(nameOrId: string, options?: deletion.DeleteServerOptions) {
    return deletion.deleteServer(this.context, nameOrId, options);
  }

  /** The project's servers (nova filters and/or client-side `filters`). */
  listServers(options?: serverQueries.ListServersPorcelainOptions) {
    return serverQueries.listServers(this.context, options);
  }

  /**
   * A server by name or id, or undefined.
   * @param nameOrId - an id wins; several servers of one name are an error listing them
   */
  findServer(nameOrId: string, options?: ServerLookupOptions) {
    return serverQueries.findServer(this.context, nameOrId, options);
  }

  /**
   * A server by name or id; a missing one is a ResourceNotFoundError.
   * @param nameOrId - an id wins; several servers of one name are an error listing them
   */
  getServer(nameOrId: string, options?: ServerLookupOptions) {
    return serverQueries.getServer(this.context, nameOrId, options);
  }

  /**
   * Waits (through the shared watch) until the server is ACTIVE, or `options.judge` decides.
   * @param id - the server's id
   */
  waitForServer(id: string, options?: ServerWaitOptions) {
    return serverQueries.waitForServer(this.context, id, options);
  }

  /**
   * Streams ADDED/MODIFIED/DELETED events of the project's servers; returns the unsubscribe.
   * @param listener - called with each batch of events, in order
   */
  async watchServers(listener: (events: readonly WatchEvent<Server>[]) => void) {
    return (await serverQueries.serverWatch(this.context)).subscribe(listener);
  }

  /** The shared watch of the project's servers (one poller per scope, whatever the watchers). */
  serverWatch() {
    return serverQueries.serverWatch(this.context);
  }

  // Floating IPs ------------------------------------------------------------------------------

  /** The project's floating IPs (neutron or nova-network), in one shape. */
  listFloatingIps(options?: FilterOptions & CallOptions) {
    return floatingIps.listFloatingIps(this.context, options);
  }

  /** Allocates a floating IP (optionally bound to a server at once). */
  createFloatingIp(options?: floatingIps.CreateFloatingIpOptions) {
    return floatingIps.createFloatingIp(this.context, options);
  }

  /**
   * Binds a floating IP to a server (to its port on the NAT destination network).
   * @param server - the server, as listServers/getServer return it
   * @param floatingIp - the floating IP, as listFloatingIps/createFloatingIp return it
   */
  attachFloatingIp(server: Server, floatingIp: FloatingIp, options?: floatingIps.AttachFloatingIpOptions) {
    return floatingIps.attachFloatingIp(this.context, server, floatingIp, options);
  }

  /**
   * Unbinds a floating IP from its server (the address stays allocated).
   * @param floatingIp - the floating IP, as listFloatingIps returns it
   */
  detachFloatingIp(floatingIp: FloatingIp, options?: CallOptions) {
    return floatingIps.detachFloatingIp(this.context, floatingIp, options);
  }

  /**
   * Releases a floating IP; a missing one counts as deleted.
   * @param id - the floating IP's id
   */
  deleteFloatingIp(id: string, options?: CallOptions) {
    return floatingIps.deleteFloatingIp(this.context, id, options);
  }

  /**
   * A floating IP by its id or its address; a missing one is a ResourceNotFoundError.
   * @param idOrAddress - the floating IP's id, or its address ("203.0.113.7")
   */
  getFloatingIp(idOrAddress: string, options?: floatingIpRefs.FloatingIpRefOptions) {
    return floatingIpRefs.getFloatingIp(this.context, idOrAddress, options);
  }

  /** Allocates a floating IP, optionally bound at once to a server given by name or id. */
  createFloatingIpFor(options?: floatingIpRefs.CreateFloatingIpForOptions) {
    return floatingIpRefs.createFloatingIpFor(this.context, options);
  }

  /**
   * Binds a floating IP to a server, both by reference.
   * @param floatingIp - the floating IP's id or address
   * @param server - the server's name or id
   */
  attachFloatingIpTo(
    floatingIp: string,
    server: string,
    options?: floatingIpRefs.FloatingIpRefOptions & { readonly natDestination?: string },
  ) {
    return floatingIpRefs.attachFloatingIpTo(this.context, floatingIp, server, options);
  }

  /**
   * Unbinds a floating IP from its server; returns it as it is afterwards.
   * @param floatingIp - the floating IP's id or address
   */
  detachFloatingIpRef(floatingIp: string, options?: floatingIpRefs.FloatingIpRefOptions) {
    return floatingIpRefs.detachFloatingIpRef(this.context, floatingIp, options);
  }

  /**
   * Releases a floating IP; false when there was none.
   * @param floatingIp - the floating IP's id or address
   */
  deleteFloatingIpRef(floatingIp: string, options?: floatingIpRefs.FloatingIpRefOptions) {
    return floatingIpRefs.deleteFloatingIpRef(this.context, floatingIp, options);
  }

  /** The shared watch of the project's floating IPs. */
  floatingIpWatch() {
    return networkWatches.floatingIpWatch(this.context);
  }

  /** Releases the project's unattached floating IPs (those oaktree made, or older than asked). */
  deleteUnattachedFloatingIps(options?: floatingIps.CleanupFloatingIpsOptions) {
    return floatingIps.deleteUnattachedFloatingIps(this.context, options);
  }

  // Networks ----------------------------------------------------------------------------------

  /** get-me-a-network: the network `network: "auto"` boots on (built if need be). */
  ensureNetwork(options?: EnsureNetworkOptions) {
    return ensureNetwork(this.context, options);
  }

  /** Every network the project sees (read from neutron each time). */
  listNetworks(options?: networks.ListNetworksOptions) {
    return networks.listNetworks(this.context, options);
  }

  /**
   * A network by name or id; a missing one is a ResourceNotFoundError.
   * @param nameOrId - an id wins; several networks of one name are an error listing them
   */
  getNetwork(nameOrId: string, options?: networks.ListNetworksOptions) {
    return networks.getNetwork(this.context, nameOrId, options);
  }

  /**
   * Changes a network's name, description or state.
   * @param nameOrId - the network's name or id
   * @param changes - the fields to change (others stay)
   */
  updateNetwork(nameOrId: string, changes: UpdateNetworkOptions, options?: networks.NetworkCallOptions) {
    return networks.updateNetwork(this.context, nameOrId, changes, options);
  }

  /** Creates a network, marked as oaktree's unless `managed: false`. */
  createNetwork(options?: networks.CreateNetworkOptions) {
    return networks.createNetwork(this.context, options);
  }

  /**
   * Deletes a network; false when there was none.
   * @param nameOrId - the network's name or id
   */
  deleteNetwork(nameOrId: string, options?: networks.NetworkCallOptions) {
    return networks.deleteNetwork(this.context, nameOrId, options);
  }

  /** Every subnet the project sees. */
  listSubnets(options?: networks.ListSubnetsOptions) {
    return networks.listSubnets(this.context, options);
  }

  /**
   * A subnet by name or id; a missing one is a ResourceNotFoundError.
   * @param nameOrId - an id wins; several subnets of one name are an error listing them
   */
  getSubnet(nameOrId: string, options?: networks.ListSubnetsOptions) {
    return networks.getSubnet(this.context, nameOrId, options);
  }

  /**
   * Changes a subnet's name, description, DHCP or DNS nameservers.
   * @param nameOrId - the subnet's name or id
   * @param changes - the fields to change (others stay)
   */
  updateSubnet(nameOrId: string, changes: UpdateSubnetOptions, options?: networks.NetworkCallOptions) {
    return networks.updateSubnet(this.context, nameOrId, changes, options);
  }

  /** Creates a subnet on a network (by name or id), marked as oaktree's unless `managed: false`. */
  createSubnet(options: networks.CreateSubnetOptions) {
    return networks.createSubnet(this.context, options);
  }

  /**
   * Deletes a subnet; false when there was none.
   * @param nameOrId - the subnet's name or id
   */
  deleteSubnet(nameOrId: string, options?: networks.NetworkCallOptions) {
    return networks.deleteSubnet(this.context, nameOrId, options);
  }

  /** Every router the project sees. */
  listRouters(options?: routers.ListRoutersOptions) {
    return routers.listRouters(this.context, options);
  }

  /**
   * A router by name or id; a missing one is a ResourceNotFoundError.
   * @param nameOrId - an id wins; several routers of one name are an error listing them
   */
  getRouter(nameOrId: string, options?: routers.ListRoutersOptions) {
    return routers.getRouter(this.context, nameOrId, options);
  }

  /**
   * Changes a router's name, description, state or gateway (`externalNetwork: null` removes it).
   * @param nameOrId - the router's name or id
   * @param changes - the fields to change (others stay)
   */
  updateRouter(
    nameOrId: string,
    changes: Parameters<typeof routers.updateRouter>[2],
    options?: networks.NetworkCallOptions,
  ) {
    return routers.updateRouter(this.context, nameOrId, changes, options);
  }

  /** Creates a router (with a gateway when `externalNetwork` is given), marked as oaktree's. */
  createRouter(options?: routers.CreateRouterOptions) {
    return routers.createRouter(this.context, options);
  }

  /**
   * Plugs a subnet (or a port) into a router.
   * @param router - the router's name or id
   * @param target - `{ subnet }` or `{ port }`, by name or id
   */
  addRouterInterface(
    router: string,
    target: routers.RouterInterfaceTarget,
    options?: networks.NetworkCallOptions,
  ) {
    return routers.addRouterInterface(this.context, router, target, options);
  }

  /**
   * Unplugs a subnet (or a port) from a router.
   * @param router - the router's name or id
   * @param target - `{ subnet }` or `{ port }`, by name or id
   */
  removeRouterInterface(
    router: string,
    target: routers.RouterInterfaceTarget,
    options?: networks.NetworkCallOptions,
  ) {
    return routers.removeRouterInterface(this.context, router, target, options);
  }

  /**
   * Deletes a router; false when there was none.
   * @param nameOrId - the router's name or id
   */
  deleteRouter(nameOrId: string, options?: networks.NetworkCallOptions) {
    return routers.deleteRouter(this.context, nameOrId, options);
  }

  /** Every port the project sees (neutron filters and/or client-side `filters`). */
  listPorts(options?: ports.ListPortsOptions) {
    return ports.listPorts(this.context, options);
  }

  /**
   * A port by name or id; a missing one is a ResourceNotFoundError.
   * @param nameOrId - an id wins; several ports of one name are an error listing them
   */
  getPort(nameOrId: string, options?: ports.ListPortsOptions) {
    return ports.getPort(this.context, nameOrId, options);
  }

  /**
   * Changes a port's name, description, state or security groups.
   * @param nameOrId - the port's name or id
   * @param changes - the fields to change (others stay)
   */
  updatePort(nameOrId: string, changes: UpdatePortOptions, options?: networks.NetworkCallOptions) {
    return ports.updatePort(this.context, nameOrId, changes, options);
  }

  /** The shared watch of the project's ports. */
  portWatch() {
    return networkWatches.portWatch(this.context);
  }

  /** Creates a port on a network (by name or id), marked as oaktree's unless `managed: false`. */
  createPort(options: ports.CreatePortOptions) {
    return ports.createPort(this.context, options);
  }

  /**
   * Deletes a port; false when there was none.
   * @param nameOrId - the port's name or id
   */
  deletePort(nameOrId: string, options?: networks.NetworkCallOptions) {
    return ports.deletePort(this.context, nameOrId, options);
  }

  // Security groups ---------------------------------------------------------------------------

  /** The project's security groups (neutron or nova-network), in one shape. */
  listSecurityGroups(options?: FilterOptions & securityGroups.SecurityGroupCallOptions) {
    return securityGroups.listSecurityGroups(this.context, options);
  }

  /**
   * A security group by name or id; a missing one is a ResourceNotFoundError.
   * @param nameOrId - an id wins; several groups of one name are an error listing them
   */
  getSecurityGroup(nameOrId: string, options?: FilterOptions & securityGroups.SecurityGroupCallOptions) {
    return securityGroups.getSecurityGroup(this.context, nameOrId, options);
  }

  /** Creates a security group. */
  createSecurityGroup(options: securityGroups.CreateSecurityGroupOptions) {
    return securityGroups.createSecurityGroup(this.context, options);
  }

  /**
   * Deletes a security group; false when there was none.
   * @param nameOrId - the group's name or id
   */
  deleteSecurityGroup(nameOrId: string, options?: securityGroups.SecurityGroupCallOptions) {
    return securityGroups.deleteSecurityGroup(this.context, nameOrId, options);
  }

  /** Adds a rule to a security group (by name or id). */
  addSecurityGroupRule(options: securityGroups.AddSecurityGroupRuleOptions) {
    return securityGroups.addSecurityGroupRule(this.context, options);
  }

  /**
   * Deletes a security group rule; false when there was none.
   * @param ruleId - the rule's id
   */
  deleteSecurityGroupRule(ruleId: string, options?: securityGroups.SecurityGroupCallOptions) {
    return securityGroups.deleteSecurityGroupRule(this.context, ruleId, options);
  }

  // Flavors and keypairs ----------------------------------------------------------------------

  /** Every flavor the project may use (cached: clouds.yaml `cache.expiration.flavor`). */
  listFlavors(options?: flavors.ListFlavorsOptions) {
    return flavors.listFlavors(this.context, options);
  }

  /**
   * A flavor by name or id, or the smallest that fits constraints; none is a ResourceNotFoundError.
   * @param query - a name or id, or {@link flavors.FlavorConstraints} (`minRamMb`, `include`, ...)
   */
  getFlavor(query: string | flavors.FlavorConstraints, options?: flavors.ListFlavorsOptions) {
    return flavors.getFlavor(this.context, query, options);
  }

  /** The project's keypairs. */
  listKeypairs(options?: FilterOptions & keypairs.KeypairCallOptions) {
    return keypairs.listKeypairs(this.context, options);
  }

  /**
   * A keypair by name; a missing one is a ResourceNotFoundError.
   * @param name - the keypair's name (its id)
   */
  getKeypair(name: string, options?: keypairs.KeypairCallOptions) {
    return keypairs.getKeypair(this.context, name, options);
  }

  /** Imports a public key, or makes a new pair (its private key is returned once). */
  createKeypair(options: keypairs.CreateKeypairOptions) {
    return keypairs.createKeypair(this.context, options);
  }

  /**
   * Deletes a keypair; false when there was none.
   * @param name - the keypair's name (its id)
   */
  deleteKeypair(name: string, options?: keypairs.KeypairCallOptions) {
    return keypairs.deleteKeypair(this.context, name, options);
  }

  // Images ------------------------------------------------------------------------------------

  /** Uploads an image by the first method the cloud accepts, and waits for it to be active. */
  async createImage(options: imageUpload.CreateImageOptions) {
    try {
      return await imageUpload.createImage(this.context, options);
    } finally {
      // A new image may share a cached name: forget the cached image references.
      await images.invalidateImages(this.context);
    }
  }

  /** Every image the project sees (glance v2 or v1), in one shape. */
  listImages(options?: images.ListImagesOptions) {
    return images.listImages(this.context, options);
  }

  /**
   * An image by name or id (read from glance each time); a missing one is a ResourceNotFoundError.
   * @param nameOrId - an id wins; several images of one name are an error listing them
   */
  getImage(nameOrId: string, options?: FilterOptions & images.ImageCallOptions) {
    return images.getImage(this.context, nameOrId, options);
  }

  /**
   * Deletes an image; false when there was none.
   * @param nameOrId - the image's name or id
   */
  deleteImage(nameOrId: string, options?: images.DeleteImageOptions) {
    return images.deleteImage(this.context, nameOrId, options);
  }

  /**
   * Adds, replaces and removes an image's custom properties.
   * @param nameOrId - the image's name or id
   * @param changes - `set` (string values) and `remove` (keys)
   */
  updateImageProperties(
    nameOrId: string,
    changes: images.ImagePropertyChanges,
    options?: images.ImageCallOptions,
  ) {
    return images.updateImageProperties(this.context, nameOrId, changes, options);
  }

  /**
   * Waits (through the shared watch) until `judge` decides for an image.
   * @param id - the image's id
   * @param judge - "success", "failure" or "pending" for the image as last listed (undefined: not listed)
   */
  waitForImage(
    id: string,
    judge: (image: Image | undefined, seen: boolean) => "success" | "failure" | "pending",
    options: { timeoutMs: number; signal?: AbortSignal },
  ) {
    return images.waitForImage(this.context, id, judge, options);
  }

  /** The shared watch of the project's images. */
  imageWatch() {
    return images.imageWatch(this.context);
  }

  // Volumes -----------------------------------------------------------------------------------

  /** Creates a volume (of a size, or from a snapshot), waiting for it when asked. */
  createVolume(options: volumes.CreateVolumeOptions) {
    return volumes.createVolume(this.context, options);
  }

  /** Creates a volume like {@link createVolume}, from an image given by name or id when asked. */
  createVolumeFrom(options: volumeRefs.CreateVolumeFromOptions) {
    return volumeRefs.createVolumeFrom(this.context, options);
  }

  /** The project's volumes. */
  listVolumes(options?: FilterOptions & volumes.VolumeCallOptions) {
    return volumes.listVolumes(this.context, options);
  }

  /**
   * A volume by name or id; a missing one is a ResourceNotFoundError.
   * @param nameOrId - an id wins; several volumes of one name are an error listing them
   */
  getVolume(nameOrId: string, options?: FilterOptions & volumes.VolumeCallOptions) {
    return volumes.getVolume(this.context, nameOrId, options);
  }

  /**
   * Attaches a volume to a server.
   * @param serverId - the server's id
   * @param volume - the volume's name or id
   */
  attachVolume(
    serverId: string,
    volume: string,
    options?: volumes.VolumeWaitOptions & { readonly device?: string },
  ) {
    return volumes.attachVolume(this.context, serverId, volume, options);
  }

  /**
   * Detaches a volume from a server.
   * @param serverId - the server's id
   * @param volume - the volume's name or id
   */
  detachVolume(serverId: string, volume: string, options?: volumes.VolumeWaitOptions) {
    return volumes.detachVolume(this.context, serverId, volume, options);
  }

  /**
   * Attaches a volume to a server, both by reference.
   * @param volume - the volume's name or id
   * @param server - the server's name or id
   */
  attachVolumeTo(
    volume: string,
    server: string,
    options?: volumes.VolumeWaitOptions & { readonly device?: string },
  ) {
    return volumeRefs.attachVolumeTo(this.context, volume, server, options);
  }

  /**
   * Detaches a volume from a server, both by reference.
   * @param volume - the volume's name or id
   * @param server - the server's name or id
   */
  detachVolumeFrom(volume: string, server: string, options?: volumes.VolumeWaitOptions) {
    return volumeRefs.detachVolumeFrom(this.context, volume, server, options);
  }

  /** The shared watch of the project's volumes. */
  volumeWatch() {
    return volumes.volumeWatch(this.context);
  }

  /**
   * Deletes a volume; false when there was none.
   * @param volume - the volume's name or id
   */
  deleteVolume(volume: string, options?: volumes.VolumeWaitOptions) {
    return volumes.deleteVolume(this.context, volume, options);
  }
}

/** Options of {@link Cloud.findServer} and {@link Cloud.getServer}. */
export type ServerLookupOptions = FilterOptions & CallOptions;

/** Options of {@link Cloud.waitForServer}: a timeout, a signal, and optionally the judge. */
export type ServerWaitOptions = serverQueries.WaitOptions & { readonly judge?: Judge<Server> };

/** A caller's cancellation, taken by every call. */
export interface CallOptions {
  readonly signal?: AbortSignal;
}
