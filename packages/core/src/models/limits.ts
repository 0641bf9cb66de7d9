import type { LimitsWire } from "../services/compute/v2/limits/wire.js";
import { type Location, locationOf, type NormalizeContext } from "./location.js";

/** One legacy rate limit (empty on modern clouds). */
export interface ComputeRateLimit {
  readonly uri: string;
  readonly regex: string;
  readonly verb: string;
  readonly value: number;
  readonly remaining: number;
  readonly unit: string;
  readonly nextAvailable?: string;
}

/**
 * A project's compute limits and usage. -1 means unlimited; a field is absent when the cloud
 * did not report it (compute 2.36 dropped the floating IP and security group entries, 2.57
 * the personality ones).
 */
export interface ComputeLimits {
  readonly location: Location;
  readonly maxTotalInstances?: number;
  readonly maxTotalCores?: number;
  /** MiB */
  readonly maxTotalRamSize?: number;
  readonly maxTotalKeypairs?: number;
  readonly maxServerMeta?: number;
  readonly maxImageMeta?: number;
  readonly maxServerGroups?: number;
  readonly maxServerGroupMembers?: number;
  readonly maxTotalFloatingIps?: number;
  readonly maxSecurityGroups?: number;
  readonly maxSecurityGroupRules?: number;
  readonly totalInstancesUsed?: number;
  readonly totalCoresUsed?: number;
  readonly totalRamUsed?: number;
  readonly totalServerGroupsUsed?: number;
  readonly totalFloatingIpsUsed?: number;
  readonly totalSecurityGroupsUsed?: number;
  readonly rate: readonly ComputeRateLimit[];
  /** Other absolute entries (personality, vendor ones), as sent. */
  readonly properties: Readonly<Record<string, unknown>>;
}

/** Model field for each absolute key nova sends (RAM spelled the camelCase way). */
const FIELDS: Readonly<Record<string, keyof ComputeLimits>> = {
  maxTotalInstances: "maxTotalInstances",
  maxTotalCores: "maxTotalCores",
  maxTotalRAMSize: "maxTotalRamSize",
  maxTotalKeypairs: "maxTotalKeypairs",
  maxServerMeta: "maxServerMeta",
  maxImageMeta: "maxImageMeta",
  maxServerGroups: "maxServerGroups",
  maxServerGroupMembers: "maxServerGroupMembers",
  maxTotalFloatingIps: "maxTotalFloatingIps",
  maxSecurityGroups: "maxSecurityGroups",
  maxSecurityGroupRules: "maxSecurityGroupRules",
  totalInstancesUsed: "totalInstancesUsed",
  totalCoresUsed: "totalCoresUsed",
  totalRAMUsed: "totalRamUsed",
  totalServerGroupsUsed: "totalServerGroupsUsed",
  totalFloatingIpsUsed: "totalFloatingIpsUsed",
  totalSecurityGroupsUsed: "totalSecurityGroupsUsed",
};

/** Normalizes the body of GET /limits. */
export function normalizeLimits(wire: LimitsWire, ctx: NormalizeContext): ComputeLimits {
  const fields: Record<string, number> = {};
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(wire.absolute ?? {})) {
    const field = FIELDS[key];
    if (field !== undefined && typeof value === "number") fields[field] = value;
    else properties[key] = value;
  }
  const rate: ComputeRateLimit[] = [];
  for (const entry of wire.rate ?? []) {
    for (const limit of entry.limit ?? []) {
      rate.push({
        uri: entry.uri,
        regex: entry.regex,
        verb: limit.verb,
        value: limit.value,
        remaining: limit.remaining,
        unit: limit.unit,
        ...(limit["next-available"] !== undefined && { nextAvailable: limit["next-available"] }),
      });
    }
  }
  return { location: locationOf(ctx), ...fields, rate, properties };
}
