import type { Logger } from "pino";
import { type DiskLoadOptions, loadCloudConfigFromDisk } from "../config/load.js";
import type { CloudConfig } from "../config/types.js";
import { type CloudConnection, type ConnectOptions, connect } from "../connection/connect.js";
import type { Server } from "../models/server.js";
import type { WatchEvent } from "../state/watch.js";
import * as capabilities from "./capabilities.js";
import { type CloudContext, type CloudOptions, createCloudContext } from "./context.js";
import * as servers from "./create-server.js";
import * as deletion from "./delete-server.js";
import * as flavors from "./flavors.js";
import * as floatingIps from "./floating-ips.js";
import { ensureNetwork } from "./get-me-a-network.js";
import * as imageUpload from "./image-upload.js";
import * as images from "./images.js";
import * as keypairs from "./keypairs.js";
import * as networks from "./networks.js";
import * as ports from "./ports.js";
import * as routers from "./routers.js";
import * as securityGroups from "./security-groups.js";
import * as serverQueries from "./servers.js";
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
  capabilities = (options?: capabilities.CapabilityOptions) =>
    capabilities.getCapabilities(this.context, options);

  // Servers -----------------------------------------------------------------------------------
  createServer = (options: servers.CreateServerOptions) =>
    servers.createServer(this.context, this.createServerDeps, options);
  deleteServer = (nameOrId: string, options?: deletion.DeleteServerOptions) =>
    deletion.deleteServer(this.context, nameOrId, options);
  listServers = (options?: serverQueries.ListServersPorcelainOptions) =>
    serverQueries.listServers(this.context, options);
  findServer = (nameOrId: string, options?: Parameters<typeof serverQueries.findServer>[2]) =>
    serverQueries.findServer(this.context, nameOrId, options);
  getServer = (nameOrId: string, options?: Parameters<typeof serverQueries.getServer>[2]) =>
    serverQueries.getServer(this.context, nameOrId, options);
  waitForServer = (id: string, options?: Parameters<typeof serverQueries.waitForServer>[2]) =>
    serverQueries.waitForServer(this.context, id, options);
  /** Streams ADDED/MODIFIED/DELETED events of the project's servers; returns the unsubscribe. */
  watchServers = async (listener: (events: readonly WatchEvent<Server>[]) => void) =>
    (await serverQueries.serverWatch(this.context)).subscribe(listener);

  // Floating IPs ------------------------------------------------------------------------------
  listFloatingIps = (options?: Parameters<typeof floatingIps.listFloatingIps>[1]) =>
    floatingIps.listFloatingIps(this.context, options);
  createFloatingIp = (options?: floatingIps.CreateFloatingIpOptions) =>
    floatingIps.createFloatingIp(this.context, options);
  attachFloatingIp = (...args: Tail<Parameters<typeof floatingIps.attachFloatingIp>>) =>
    floatingIps.attachFloatingIp(this.context, ...args);
  detachFloatingIp = (...args: Tail<Parameters<typeof floatingIps.detachFloatingIp>>) =>
    floatingIps.detachFloatingIp(this.context, ...args);
  deleteFloatingIp = (...args: Tail<Parameters<typeof floatingIps.deleteFloatingIp>>) =>
    floatingIps.deleteFloatingIp(this.context, ...args);
  deleteUnattachedFloatingIps = (options?: floatingIps.CleanupFloatingIpsOptions) =>
    floatingIps.deleteUnattachedFloatingIps(this.context, options);

  // Networks ----------------------------------------------------------------------------------
  /** get-me-a-network: the network `network: "auto"` boots on (built if need be). */
  ensureNetwork = (options?: Parameters<typeof ensureNetwork>[1]) => ensureNetwork(this.context, options);
  listNetworks = (...args: Tail<Parameters<typeof networks.listNetworks>>) =>
    networks.listNetworks(this.context, ...args);
  getNetwork = (...args: Tail<Parameters<typeof networks.getNetwork>>) =>
    networks.getNetwork(this.context, ...args);
  createNetwork = (...args: Tail<Parameters<typeof networks.createNetwork>>) =>
    networks.createNetwork(this.context, ...args);
  deleteNetwork = (...args: Tail<Parameters<typeof networks.deleteNetwork>>) =>
    networks.deleteNetwork(this.context, ...args);
  listSubnets = (...args: Tail<Parameters<typeof networks.listSubnets>>) =>
    networks.listSubnets(this.context, ...args);
  createSubnet = (...args: Tail<Parameters<typeof networks.createSubnet>>) =>
    networks.createSubnet(this.context, ...args);
  deleteSubnet = (...args: Tail<Parameters<typeof networks.deleteSubnet>>) =>
    networks.deleteSubnet(this.context, ...args);
  listRouters = (...args: Tail<Parameters<typeof routers.listRouters>>) =>
    routers.listRouters(this.context, ...args);
  createRouter = (...args: Tail<Parameters<typeof routers.createRouter>>) =>
    routers.createRouter(this.context, ...args);
  addRouterInterface = (...args: Tail<Parameters<typeof routers.addRouterInterface>>) =>
    routers.addRouterInterface(this.context, ...args);
  removeRouterInterface = (...args: Tail<Parameters<typeof routers.removeRouterInterface>>) =>
    routers.removeRouterInterface(this.context, ...args);
  deleteRouter = (...args: Tail<Parameters<typeof routers.deleteRouter>>) =>
    routers.deleteRouter(this.context, ...args);
  listPorts = (...args: Tail<Parameters<typeof ports.listPorts>>) => ports.listPorts(this.context, ...args);
  createPort = (...args: Tail<Parameters<typeof ports.createPort>>) =>
    ports.createPort(this.context, ...args);
  deletePort = (...args: Tail<Parameters<typeof ports.deletePort>>) =>
    ports.deletePort(this.context, ...args);

  // Security groups ---------------------------------------------------------------------------
  listSecurityGroups = (...args: Tail<Parameters<typeof securityGroups.listSecurityGroups>>) =>
    securityGroups.listSecurityGroups(this.context, ...args);
  createSecurityGroup = (...args: Tail<Parameters<typeof securityGroups.createSecurityGroup>>) =>
    securityGroups.createSecurityGroup(this.context, ...args);
  deleteSecurityGroup = (...args: Tail<Parameters<typeof securityGroups.deleteSecurityGroup>>) =>
    securityGroups.deleteSecurityGroup(this.context, ...args);
  addSecurityGroupRule = (...args: Tail<Parameters<typeof securityGroups.addSecurityGroupRule>>) =>
    securityGroups.addSecurityGroupRule(this.context, ...args);
  deleteSecurityGroupRule = (...args: Tail<Parameters<typeof securityGroups.deleteSecurityGroupRule>>) =>
    securityGroups.deleteSecurityGroupRule(this.context, ...args);

  // Flavors and keypairs ----------------------------------------------------------------------
  listFlavors = (...args: Tail<Parameters<typeof flavors.listFlavors>>) =>
    flavors.listFlavors(this.context, ...args);
  getFlavor = (...args: Tail<Parameters<typeof flavors.getFlavor>>) =>
    flavors.getFlavor(this.context, ...args);
  listKeypairs = (...args: Tail<Parameters<typeof keypairs.listKeypairs>>) =>
    keypairs.listKeypairs(this.context, ...args);
  createKeypair = (...args: Tail<Parameters<typeof keypairs.createKeypair>>) =>
    keypairs.createKeypair(this.context, ...args);
  deleteKeypair = (...args: Tail<Parameters<typeof keypairs.deleteKeypair>>) =>
    keypairs.deleteKeypair(this.context, ...args);

  // Images ------------------------------------------------------------------------------------
  createImage = (...args: Tail<Parameters<typeof imageUpload.createImage>>) =>
    imageUpload.createImage(this.context, ...args);
  listImages = (...args: Tail<Parameters<typeof images.listImages>>) =>
    images.listImages(this.context, ...args);
  getImage = (...args: Tail<Parameters<typeof images.getImage>>) => images.getImage(this.context, ...args);
  deleteImage = (...args: Tail<Parameters<typeof images.deleteImage>>) =>
    images.deleteImage(this.context, ...args);
  updateImageProperties = (...args: Tail<Parameters<typeof images.updateImageProperties>>) =>
    images.updateImageProperties(this.context, ...args);
  waitForImage = (...args: Tail<Parameters<typeof images.waitForImage>>) =>
    images.waitForImage(this.context, ...args);

  // Volumes -----------------------------------------------------------------------------------
  createVolume = (...args: Tail<Parameters<typeof volumes.createVolume>>) =>
    volumes.createVolume(this.context, ...args);
  listVolumes = (...args: Tail<Parameters<typeof volumes.listVolumes>>) =>
    volumes.listVolumes(this.context, ...args);
  getVolume = (...args: Tail<Parameters<typeof volumes.getVolume>>) =>
    volumes.getVolume(this.context, ...args);
  attachVolume = (...args: Tail<Parameters<typeof volumes.attachVolume>>) =>
    volumes.attachVolume(this.context, ...args);
  detachVolume = (...args: Tail<Parameters<typeof volumes.detachVolume>>) =>
    volumes.detachVolume(this.context, ...args);
  deleteVolume = (...args: Tail<Parameters<typeof volumes.deleteVolume>>) =>
    volumes.deleteVolume(this.context, ...args);
}

/** A function's parameters without the first (the context). */
type Tail<T extends readonly unknown[]> = T extends readonly [unknown, ...infer Rest] ? Rest : never;
