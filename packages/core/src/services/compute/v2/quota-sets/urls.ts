/** `/os-quota-sets/{projectId}`, `/detail` or `/defaults`, relative to the compute v2.1 endpoint. */
export const quotaSetPath = (projectId: string, suffix: "" | "detail" | "defaults" = ""): string =>
  `/os-quota-sets/${encodeURIComponent(projectId)}${suffix ? `/${suffix}` : ""}`;
