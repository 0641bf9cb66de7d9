/** `/quotas/{project_id}`. */
export function quotaPath(projectId: string): string {
  return `/quotas/${encodeURIComponent(projectId)}`;
}

/** `/quotas/{project_id}/details` (extension "quota_details"). */
export function quotaDetailsPath(projectId: string): string {
  return `${quotaPath(projectId)}/details`;
}
