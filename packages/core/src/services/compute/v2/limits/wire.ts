/**
 * Absolute compute limits of GET /limits. NOTE: compute 2.36 dropped the network-proxy
 * entries (floating IPs, security groups) and 2.57 the personality ones; -1 means unlimited.
 */
export interface AbsoluteLimitsWire {
  readonly maxTotalInstances?: number;
  readonly maxTotalCores?: number;
  readonly maxTotalRAMSize?: number;
  readonly maxTotalKeypairs?: number;
  readonly maxServerMeta?: number;
  readonly maxImageMeta?: number;
  readonly maxServerGroups?: number;
  readonly maxServerGroupMembers?: number;
  readonly maxPersonality?: number;
  readonly maxPersonalitySize?: number;
  readonly maxTotalFloatingIps?: number;
  readonly maxSecurityGroups?: number;
  readonly maxSecurityGroupRules?: number;
  readonly totalInstancesUsed?: number;
  readonly totalCoresUsed?: number;
  readonly totalRAMUsed?: number;
  readonly totalServerGroupsUsed?: number;
  readonly totalFloatingIpsUsed?: number;
  readonly totalSecurityGroupsUsed?: number;
  readonly [key: string]: number | undefined;
}

/** One rate limit of the legacy `rate` list (empty on modern clouds). */
export interface RateLimitWire {
  readonly uri: string;
  readonly regex: string;
  readonly limit: readonly {
    readonly verb: string;
    readonly value: number;
    readonly remaining: number;
    readonly unit: string;
    readonly "next-available"?: string;
  }[];
}

/** The body of GET /limits. */
export interface LimitsWire {
  readonly absolute: AbsoluteLimitsWire;
  readonly rate?: readonly RateLimitWire[];
}

/** One zone of GET /os-availability-zone. */
export interface AvailabilityZoneWire {
  readonly zoneName: string;
  readonly zoneState: { readonly available: boolean };
  /** Null unless the detail call by an admin. */
  readonly hosts: Readonly<Record<string, unknown>> | null;
}
