/** Path builders for nova server groups, relative to the compute v2.1 endpoint. */

/** `/os-server-groups` */
export const serverGroupsPath = (): string => "/os-server-groups";
/** `/os-server-groups/{id}` */
export const serverGroupPath = (id: string): string => `/os-server-groups/${encodeURIComponent(id)}`;
