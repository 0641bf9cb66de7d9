/** `/os-floating-ips` (nova-network proxy, compute < 2.36). */
export const NOVA_FLOATING_IPS_PATH = "/os-floating-ips";

/** `/os-floating-ips/{id}`. */
export function novaFloatingIpPath(id: string): string {
  return `${NOVA_FLOATING_IPS_PATH}/${encodeURIComponent(id)}`;
}
