/** `/os-security-groups` (nova-network proxy, compute < 2.36). */
export const NOVA_SECURITY_GROUPS_PATH = "/os-security-groups";

/** `/os-security-groups/{id}`. */
export function novaSecurityGroupPath(id: string): string {
  return `${NOVA_SECURITY_GROUPS_PATH}/${encodeURIComponent(id)}`;
}

/** `/servers/{id}/os-security-groups`: the groups of one server. */
export function serverSecurityGroupsPath(serverId: string): string {
  return `/servers/${encodeURIComponent(serverId)}/os-security-groups`;
}
