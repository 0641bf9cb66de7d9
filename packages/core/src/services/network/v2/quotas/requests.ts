import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { requireId } from "../../../query.js";
import { unwrap } from "../resource.js";
import { quotaDetailsPath, quotaPath } from "./urls.js";
import type { QuotaDetailsWire, QuotaWire } from "./wire.js";

/** A project's network quotas (`GET /v2.0/quotas/{project_id}`). */
export async function getQuota(
  client: ServiceClient,
  projectId: string,
  call: CallOptions = {},
): Promise<QuotaWire> {
  const response = await client.request({
    method: "GET",
    path: quotaPath(requireId("projectId", projectId)),
    okStatus: [200],
    ...callFields(call),
  });
  return unwrap<QuotaWire>(response.json(), "quota");
}

/** A project's network quotas with usage (`GET /v2.0/quotas/{project_id}/details`). */
export async function getQuotaDetails(
  client: ServiceClient,
  projectId: string,
  call: CallOptions = {},
): Promise<QuotaDetailsWire> {
  const response = await client.request({
    method: "GET",
    path: quotaDetailsPath(requireId("projectId", projectId)),
    okStatus: [200],
    ...callFields(call),
  });
  return unwrap<QuotaDetailsWire>(response.json(), "quota");
}
