import { paginate } from "../../../../http/paginate.js";
import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { type QueryNames, queryOf, requireId } from "../../../query.js";
import { keystoneLinksStrategy } from "../keystone-links.js";
import { authProjectsPath, projectPath, projectsPath, userProjectsPath } from "./urls.js";
import type { ProjectWire } from "./wire.js";

/** Filters of GET /projects. */
export interface ListProjectsOptions {
  readonly name?: string;
  readonly domainId?: string;
  readonly parentId?: string;
  readonly enabled?: boolean;
  readonly isDomain?: boolean;
  /** Projects with every one of these tags (comma-joined). */
  readonly tags?: readonly string[];
}

const LIST_QUERY: QueryNames<ListProjectsOptions> = {
  name: "name",
  domainId: "domain_id",
  parentId: "parent_id",
  enabled: "enabled",
  isDomain: "is_domain",
  tags: "tags",
};

/** GET /projects (needs a role that may list projects; see listMyProjects otherwise). */
export function listProjects(
  client: ServiceClient,
  options: ListProjectsOptions = {},
  call: CallOptions = {},
): AsyncGenerator<ProjectWire, void, undefined> {
  const query = queryOf({ ...options, tags: undefined }, LIST_QUERY);
  const withTags = options.tags === undefined ? query : { ...query, tags: options.tags.join(",") };
  return paginate<ProjectWire>(
    client,
    { method: "GET", path: projectsPath(), query: withTags, okStatus: [200], ...callFields(call) },
    keystoneLinksStrategy("projects"),
  );
}

/**
 * The projects the caller may use: GET /users/{userId}/projects when a user id is given, else
 * GET /auth/projects (what any token may call).
 */
export function listMyProjects(
  client: ServiceClient,
  userId?: string,
  call: CallOptions = {},
): AsyncGenerator<ProjectWire, void, undefined> {
  const path = userId === undefined ? authProjectsPath() : userProjectsPath(requireId("userId", userId));
  return paginate<ProjectWire>(
    client,
    { method: "GET", path, okStatus: [200], ...callFields(call) },
    keystoneLinksStrategy("projects"),
  );
}

/** GET /projects/{id}: fills a Location's project name and domain. */
export async function getProject(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<ProjectWire> {
  requireId("id", id);
  const response = await client.request({
    method: "GET",
    path: projectPath(id),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ project: ProjectWire }>().project;
}
