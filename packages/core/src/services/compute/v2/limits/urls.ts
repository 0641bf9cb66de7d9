/** `/limits`, relative to the compute v2.1 endpoint. */
export const limitsPath = (): string => "/limits";
/** `/os-availability-zone` or `/os-availability-zone/detail` (admins: with hosts). */
export const availabilityZonesPath = (detail = false): string =>
  detail ? "/os-availability-zone/detail" : "/os-availability-zone";
