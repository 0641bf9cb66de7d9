/** `/os-security-group-rules` (nova-network proxy, compute < 2.36). */
export const NOVA_SECURITY_GROUP_RULES_PATH = "/os-security-group-rules";

/** `/os-security-group-rules/{id}`. */
export function novaSecurityGroupRulePath(id: string): string {
  return `${NOVA_SECURITY_GROUP_RULES_PATH}/${encodeURIComponent(id)}`;
}
