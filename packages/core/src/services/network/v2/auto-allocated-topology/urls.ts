/** `/auto-allocated-topology/{project_id}`. */
export function autoAllocatedTopologyPath(projectId: string): string {
  return `/auto-allocated-topology/${encodeURIComponent(projectId)}`;
}
