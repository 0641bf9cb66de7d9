import { ValidationError } from "../../../../errors.js";
import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { queryOf, requireId } from "../../../query.js";
import { quotaSetPath } from "./urls.js";
import type { QuotaSetWire } from "./wire.js";

/** Which quota set of a project to read. */
export interface GetQuotaSetOptions {
  /** With usage: each quota becomes {limit, in_use, reserved}. */
  readonly detail?: boolean;
  /** The defaults for new projects instead of this project's. */
  readonly defaults?: boolean;
  /** One user's quotas within the project. */
  readonly userId?: string;
}

/** GET /os-quota-sets/{projectId}[/detail|/defaults]. */
export async function getQuotaSet(
  client: ServiceClient,
  projectId: string,
  options: GetQuotaSetOptions = {},
  call: CallOptions = {},
): Promise<QuotaSetWire> {
  requireId("projectId", projectId);
  if (options.detail && options.defaults)
    throw new ValidationError("detail", "cannot be combined with defaults");
  const suffix = options.detail ? "detail" : options.defaults ? "defaults" : "";
  const response = await client.request({
    method: "GET",
    path: quotaSetPath(projectId, suffix),
    query: queryOf({ userId: options.userId }, { userId: "user_id" }),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ quota_set: QuotaSetWire }>().quota_set;
}

/** PUT /os-quota-sets/{projectId} (admins): sets these quotas; `force` skips the usage check. */
export async function updateQuotaSet(
  client: ServiceClient,
  projectId: string,
  quotas: Readonly<Record<string, number>>,
  options: { readonly force?: boolean; readonly userId?: string } = {},
  call: CallOptions = {},
): Promise<QuotaSetWire> {
  requireId("projectId", projectId);
  const entries = Object.entries(quotas);
  if (entries.length === 0) throw new ValidationError("quotas", "nothing to update");
  for (const [name, value] of entries) {
    if (!Number.isInteger(value) || value < -1)
      throw new ValidationError(`quotas.${name}`, "must be an integer, -1 for unlimited");
  }
  const response = await client.request({
    method: "PUT",
    path: quotaSetPath(projectId),
    query: queryOf({ userId: options.userId }, { userId: "user_id" }),
    json: { quota_set: { ...quotas, ...(options.force !== undefined && { force: options.force }) } },
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ quota_set: QuotaSetWire }>().quota_set;
}
