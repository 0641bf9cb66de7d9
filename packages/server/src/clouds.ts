import { Cloud, type CloudConfig, type CloudOptions } from "@oaktree/core";
import type { Logger } from "pino";
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

/** How the registry opens a cloud: Cloud.open by default; tests may wrap it. */
export type OpenCloud = (config: CloudConfig, options: CloudOptions, logger?: Logger) => Promise<Cloud>;

export interface CloudRegistryOptions {
  /** Every configured cloud x region (one entry per region, as listCloudConfigs returns). */
  readonly configs: readonly CloudConfig[];
  /** The cloud a request with an empty `location.cloud` uses. Default: the only cloud, if one. */
  readonly defaultCloud?: string;
  /** State options shared by every cloud (one watch registry, poll intervals). */
  readonly cloudOptions?: CloudOptions;
  readonly logger?: Logger;
  readonly open?: OpenCloud;
}

interface Slot {
  readonly config: CloudConfig;
  opening?: Promise<Cloud>;
  cloud?: Cloud;
  error?: string;
}

/**
 * Every configured cloud and region, each opened (authenticated, discovered) on first use and
 * kept: one connection, rate limit and set of watches per (cloud, region). Requests find
 * theirs by Location; a bad Location is INVALID_ARGUMENT naming the field before any cloud call.
 */
export class CloudRegistry {
  private readonly slots: Slot[];
  private readonly open: OpenCloud;
  readonly defaultCloud: string | undefined;

  constructor(private readonly options: CloudRegistryOptions) {
    this.slots = options.configs.map((config) => ({ config }));
    this.open =
      options.open ?? ((config, state, logger) => Cloud.open({ config, state, ...(logger && { logger }) }));
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
    return this.slots.map((slot) => ({
      config: slot.config,
      state: slot.cloud ? "authenticated" : slot.error !== undefined ? "failed" : "not-connected",
      ...(slot.error !== undefined && { error: slot.error }),
      isDefault: slot.config.name === this.defaultCloud,
    }));
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
    if (slot.cloud) return slot.cloud;
    slot.opening ??= this.open(slot.config, this.options.cloudOptions ?? {}, this.options.logger).then(
      (cloud) => {
        slot.cloud = cloud;
        slot.error = undefined;
        return cloud;
      },
      (error: unknown) => {
        slot.opening = undefined;
        slot.error = error instanceof Error ? error.message : String(error);
        throw error;
      },
    );
    return slot.opening;
  }

  /** Closes every opened cloud (watches and connections). */
  async close(): Promise<void> {
    const opened = this.slots.map((slot) => slot.opening?.catch(() => undefined));
    await Promise.all(opened.map(async (cloud) => (await cloud)?.close()));
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
