import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { queryOf } from "../../../query.js";
import { availabilityZonesPath, limitsPath } from "./urls.js";
import type { AvailabilityZoneWire, LimitsWire } from "./wire.js";

/** GET /limits: the project's absolute compute limits and usage (admins: `projectId`'s). */
export async function getLimits(
  client: ServiceClient,
  options: { readonly projectId?: string } = {},
  call: CallOptions = {},
): Promise<LimitsWire> {
  const response = await client.request({
    method: "GET",
    path: limitsPath(),
    query: queryOf(options, { projectId: "tenant_id" }),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ limits: LimitsWire }>().limits;
}

/** GET /os-availability-zone (or `/detail` with hosts, for admins). */
export async function listAvailabilityZones(
  client: ServiceClient,
  options: { readonly detail?: boolean } = {},
  call: CallOptions = {},
): Promise<AvailabilityZoneWire[]> {
  const response = await client.request({
    method: "GET",
    path: availabilityZonesPath(options.detail),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ availabilityZoneInfo: AvailabilityZoneWire[] }>().availabilityZoneInfo;
}
