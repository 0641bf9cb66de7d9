import {
  Cloud,
  type CloudConfig,
  type CloudOptions,
  type ConnectOptions,
  createDelegatedAuth,
} from "@oaktree/core";
import type { Logger } from "pino";
import { callerFor, checkProject } from "./auth/deployer.js";
import { invalidArgument } from "./errors.js";
import type { Location } from "./gen/oaktree/v1/location_pb.js";

/** Whether oaktree holds a working connection to a cloud and region. */
export type CloudAuthState = "not-connected" | "authenticated" | "failed";

/** One configured cloud and region, as ListClouds reports it. */
export interface CloudEntry {
  readonly config: CloudConfig;
  readonly state: CloudAuthState;
  /** The last connection error (state "failed"). */
  readonly error?: string;
  readonly isDefault: boolean;
}

/**
 * How the registry opens a cloud: Cloud.open by default; tests may wrap it. `connect` carries
 * what the registry needs of the connection (deployer mode: the delegated auth, lazy).
 */
export type OpenCloud = (
  config: CloudConfig,
  options: CloudOptions,
  logger?: Logger,
  connect?: ConnectOptions,
) => Promise<Cloud>;

/**
 * `personal`: each cloud acts with its clouds.yaml credentials. `deployer`: with each caller's
 * own token, one Cloud per (cloud, region, project) (docs/decisions/0022).
 */
export type AuthMode = "personal" | "deployer";

export interface CloudRegistryOptions {
  /** Every configured cloud x region (one entry per region, as listCloudConfigs returns). */
  readonly configs: readonly CloudConfig[];
  /** The cloud a request with an empty `location.cloud` uses. Default: the only cloud, if one. */
  readonly defaultCloud?: string;
  /** State options shared by every cloud (one watch registry, poll intervals). */
  readonly cloudOptions?: CloudOptions;
  readonly logger?: Logger;
  readonly open?: OpenCloud;
  /** Default personal. */
  readonly auth?: AuthMode;
  /** Deployer mode: a project's Cloud unused this long, with no watch running, is closed. Default 15 min. */
  readonly idleProjectMs?: number;
  /** Told of a Cloud the registry closed before its own close() (an idle project's): metrics let go of it. */
  readonly onEvicted?: (cloud: Cloud) => void;
}

/** One opened (or opening) Cloud. */
interface Opened {
  opening?: Promise<Cloud>;
  cloud?: Cloud;
  error?: string;
  lastUsed: number;
}

interface Slot extends Opened {
  readonly config: CloudConfig;
  /** Deployer mode: one Cloud per project id. */
  readonly projects: Map<string, Opened>;
}

/**
 * Every configured cloud and region, each opened (authenticated, discovered) on first use and
 * kept: one connection, rate limit and set of watches per (cloud, region), and in deployer
 * mode per (cloud, region, caller's project). Requests find theirs by Location; a bad
 * Location is INVALID_ARGUMENT naming the field before any cloud call.
 */
export class CloudRegistry {
  private readonly slots: Slot[];
  private readonly open: OpenCloud;
  readonly defaultCloud: string | undefined;
  readonly mode: AuthMode;

  constructor(private readonly options: CloudRegistryOptions) {
    this.slots = options.configs.map((config) => ({ config, projects: new Map(), lastUsed: 0 }));
    this.open =
      options.open ??
      ((config, state, logger, connect) =>
        Cloud.open({ config, state, ...(logger && { logger }), ...(connect && { connect }) }));
    this.mode = options.auth ?? "personal";
    const names = this.cloudNames();
    this.defaultCloud =
      options.defaultCloud !== undefined && options.defaultCloud !== ""
        ? options.defaultCloud
        : names.length === 1
          ? names[0]
          : undefined;
  }

  /** The distinct cloud names, in configuration order. */
  cloudNames(): string[] {
    return [...new Set(this.slots.map((slot) => slot.config.name))];
  }

  /** Every cloud and region with its state. */
  entries(): CloudEntry[] {
    return this.slots.map((slot) => {
      // Deployer mode: the caller's own project, when it has been opened.
      const opened = this.mode === "deployer" ? this.projectOf(slot) : slot;
      return {
        config: slot.config,
        state: opened?.cloud ? "authenticated" : opened?.error !== undefined ? "failed" : "not-connected",
        ...(opened?.error !== undefined && { error: opened.error }),
        isDefault: slot.config.name === this.defaultCloud,
      };
    });
  }

  /**
   * The config of a cloud by name (empty: the default cloud), its first region, checked
   * without I/O: deployer mode asks this cloud's keystone about a caller's credentials.
   */
  configOfCloud(name: string | undefined): CloudConfig {
    return this.slotFor({ cloud: name ?? "" } as Location).config;
  }

  /**
   * The config a Location names, checked without I/O: empty cloud -> the default cloud, empty
   * region -> the cloud's first region.
   */
  configFor(location: Location | undefined): CloudConfig {
    return this.slotFor(location).config;
  }

  /** The open Cloud a Location names (opened on first use; a failed open is retried next time). */
  async resolve(location: Location | undefined): Promise<Cloud> {
    const slot = this.slotFor(location);
    if (this.mode === "personal") return this.openIn(slot, slot.config);
    // Deployer mode: the caller's project's own Cloud, so that caches, watches, leases and
    // rate-limit buckets (all keyed by its scope) never mix two projects.
    const caller = callerFor(slot.config.name);
    checkProject(location, caller.token);
    const projectId = caller.token.project?.id as string; // the authenticator insists on one
    this.closeIdleProjects(slot);
    let opened = slot.projects.get(projectId);
    if (!opened) {
      opened = { lastUsed: Date.now() };
      slot.projects.set(projectId, opened);
    }
    return this.openIn(opened, slot.config, {
      auth: createDelegatedAuth({ projectId }),
      lazy: true,
      // A limiter shared by every connection (Redis) keeps each project's buckets apart.
      rateLimitScope: `${slot.config.region ?? ""}/${projectId}`,
    });
  }

  /** How many per-project Clouds are open (deployer mode), over every cloud and region. */
  projectCount(): number {
    return this.slots.reduce((sum, slot) => sum + slot.projects.size, 0);
  }

  /** Closes every opened cloud (watches and connections). */
  async close(): Promise<void> {
    const opened = this.slots.flatMap((slot) => [slot, ...slot.projects.values()]);
    await Promise.all(opened.map(async (one) => (await one.opening?.catch(() => undefined))?.close()));
  }

  /** The Cloud of `opened` (opened on first use; a failed open is retried next time). */
  private openIn(opened: Opened, config: CloudConfig, connect?: ConnectOptions): Promise<Cloud> {
    opened.lastUsed = Date.now();
    if (opened.cloud) return Promise.resolve(opened.cloud);
    opened.opening ??= this.open(config, this.options.cloudOptions ?? {}, this.options.logger, connect).then(
      (cloud) => {
        opened.cloud = cloud;
        opened.error = undefined;
        return cloud;
      },
      (error: unknown) => {
        opened.opening = undefined;
        opened.error = error instanceof Error ? error.message : String(error);
        throw error;
      },
    );
    return opened.opening;
  }

  /** Deployer mode: closes the Clouds of projects nobody used for a while and nobody watches. */
  private closeIdleProjects(slot: Slot): void {
    const idleMs = this.options.idleProjectMs ?? 15 * 60_000;
    const now = Date.now();
    for (const [projectId, opened] of slot.projects) {
      if (now - opened.lastUsed < idleMs || !opened.cloud || opened.cloud.sharedWatchCount() > 0) continue;
      slot.projects.delete(projectId);
      this.options.onEvicted?.(opened.cloud);
      void opened.cloud.close().catch(() => undefined);
    }
  }

  /** The caller's project in `slot`, when the current call has a caller (ListClouds in deployer mode). */
  private projectOf(slot: Slot): Opened | undefined {
    let projectId: string | undefined;
    try {
      projectId = callerFor(slot.config.name).token.project?.id;
    } catch {
      return undefined;
    }
    return projectId === undefined ? undefined : slot.projects.get(projectId);
  }

  private slotFor(location: Location | undefined): Slot {
    const name = location?.cloud || this.defaultCloud;
    if (!name) {
      const names = this.cloudNames();
      throw invalidArgument(
        "location.cloud",
        names.length === 0
          ? "no cloud is configured"
          : `required: ${names.length} clouds are configured (${names.join(", ")}) and none is the default (set OS_CLOUD)`,
      );
    }
    const ofCloud = this.slots.filter((slot) => slot.config.name === name);
    if (ofCloud.length === 0) {
      throw invalidArgument(
        "location.cloud",
        `unknown cloud "${name}"; configured: ${this.cloudNames().join(", ") || "none"}`,
      );
    }
    const region = location?.region;
    if (!region) return ofCloud[0] as Slot;
    const slot = ofCloud.find((candidate) => candidate.config.region === region);
    if (!slot) {
      const regions = ofCloud.map((candidate) => candidate.config.region ?? "(none)").join(", ");
      throw invalidArgument(
        "location.region",
        `cloud "${name}" has no region "${region}"; its regions: ${regions}`,
      );
    }
    return slot;
  }
}
