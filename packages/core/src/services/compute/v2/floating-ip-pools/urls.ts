/** `/os-floating-ip-pools` (nova-network proxy, compute < 2.36). */
export const NOVA_FLOATING_IP_POOLS_PATH = "/os-floating-ip-pools";
