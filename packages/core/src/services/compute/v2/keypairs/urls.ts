/** Path builders for nova keypairs, relative to the compute v2.1 endpoint. */

/** `/os-keypairs` */
export const keypairsPath = (): string => "/os-keypairs";
/** `/os-keypairs/{name}` */
export const keypairPath = (name: string): string => `/os-keypairs/${encodeURIComponent(name)}`;
