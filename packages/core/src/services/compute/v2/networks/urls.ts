/** `/os-networks` (nova-network proxy, compute < 2.36). */
export const NOVA_NETWORKS_PATH = "/os-networks";

/** `/os-networks/{id}`. */
export function novaNetworkPath(id: string): string {
  return `${NOVA_NETWORKS_PATH}/${encodeURIComponent(id)}`;
}
