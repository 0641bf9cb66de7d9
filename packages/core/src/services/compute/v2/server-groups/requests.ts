import { ValidationError } from "../../../../errors.js";
import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { requireMicroversion, supportsMicroversion } from "../../../microversion.js";
import {
  type QueryNames,
  queryOf,
  requireId,
  requireNonNegativeInteger,
  requirePositiveInteger,
} from "../../../query.js";
import { serverGroupPath, serverGroupsPath } from "./urls.js";
import type { ServerGroupWire } from "./wire.js";

/** Filters and paging of GET /os-server-groups (nova pages it by offset, without links). */
export interface ListServerGroupsOptions {
  /** Admins: every project's groups. */
  readonly allProjects?: boolean;
  readonly limit?: number;
  readonly offset?: number;
}

const LIST_QUERY: QueryNames<ListServerGroupsOptions> = {
  allProjects: "all_projects",
  limit: "limit",
  offset: "offset",
};

/** GET /os-server-groups. */
export async function listServerGroups(
  client: ServiceClient,
  options: ListServerGroupsOptions = {},
  call: CallOptions = {},
): Promise<ServerGroupWire[]> {
  requirePositiveInteger("limit", options.limit);
  requireNonNegativeInteger("offset", options.offset);
  const response = await client.request({
    method: "GET",
    path: serverGroupsPath(),
    query: queryOf(options, LIST_QUERY),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ server_groups: ServerGroupWire[] }>().server_groups;
}

/** GET /os-server-groups/{id}. */
export async function getServerGroup(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<ServerGroupWire> {
  requireId("id", id);
  const response = await client.request({
    method: "GET",
    path: serverGroupPath(id),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ server_group: ServerGroupWire }>().server_group;
}

/** Server group policies; the soft ones since 2.15. */
export type ServerGroupPolicy = "affinity" | "anti-affinity" | "soft-affinity" | "soft-anti-affinity";

const POLICIES: readonly ServerGroupPolicy[] = [
  "affinity",
  "anti-affinity",
  "soft-affinity",
  "soft-anti-affinity",
];

/** What POST /os-server-groups takes. */
export interface CreateServerGroupOptions {
  readonly name: string;
  readonly policy: ServerGroupPolicy;
  /** `{ max_server_per_host: n }` for anti-affinity; 2.64. */
  readonly rules?: Readonly<Record<string, unknown>>;
}

/**
 * POST /os-server-groups.
 * NOTE: compute 2.64 replaced `policies: [p]` with `policy: p` (+ `rules`); the binding sends
 * the shape of the negotiated microversion.
 */
export async function createServerGroup(
  client: ServiceClient,
  options: CreateServerGroupOptions,
  call: CallOptions = {},
): Promise<ServerGroupWire> {
  requireId("name", options.name);
  if (!POLICIES.includes(options.policy))
    throw new ValidationError("policy", `must be one of ${POLICIES.join(", ")}`);
  if (options.policy.startsWith("soft-")) requireMicroversion(client, "2.15", `policy ${options.policy}`);
  if (options.rules !== undefined) requireMicroversion(client, "2.64", "rules");
  const server_group = supportsMicroversion(client, "2.64")
    ? {
        name: options.name,
        policy: options.policy,
        ...(options.rules !== undefined && { rules: options.rules }),
      }
    : { name: options.name, policies: [options.policy] };
  const response = await client.request({
    method: "POST",
    path: serverGroupsPath(),
    json: { server_group },
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ server_group: ServerGroupWire }>().server_group;
}

/** DELETE /os-server-groups/{id} (204). */
export async function deleteServerGroup(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<void> {
  requireId("id", id);
  await client.request({ method: "DELETE", path: serverGroupPath(id), okStatus: [204], ...callFields(call) });
}
