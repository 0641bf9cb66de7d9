import { create } from "@bufbuild/protobuf";
import type { ComputeLimits } from "@oaktree/core/models/limits.js";
import { type Limits, LimitsSchema } from "../gen/oaktree/v1/limits_pb.js";
import { locationToProto, propertiesOf } from "./common.js";

/** The limits the proto names; every other absolute entry and the rate limits go to `properties`. */
const NAMED = [
  "maxTotalInstances",
  "maxTotalCores",
  "maxTotalRamSize",
  "maxTotalKeypairs",
  "maxServerMeta",
  "maxServerGroups",
  "maxServerGroupMembers",
  "totalInstancesUsed",
  "totalCoresUsed",
  "totalRamUsed",
  "totalServerGroupsUsed",
  "maxTotalFloatingIps",
  "totalFloatingIpsUsed",
  "maxSecurityGroups",
  "totalSecurityGroupsUsed",
] as const;

/** Core's ComputeLimits as the proto's Limits: a limit the cloud did not report stays unset. */
export function limitsToProto(limits: ComputeLimits): Limits {
  const named: Partial<Record<(typeof NAMED)[number], bigint>> = {};
  for (const key of NAMED) {
    const value = limits[key];
    if (value !== undefined) named[key] = BigInt(value);
  }
  return create(LimitsSchema, {
    location: locationToProto(limits.location),
    ...named,
    properties: propertiesOf({
      ...limits.properties,
      ...(limits.maxImageMeta !== undefined && { maxImageMeta: limits.maxImageMeta }),
      ...(limits.maxSecurityGroupRules !== undefined && {
        maxSecurityGroupRules: limits.maxSecurityGroupRules,
      }),
      ...(limits.rate.length > 0 && { rate: limits.rate }),
    }),
  });
}
