/** One quota with usage (`/detail`). */
export interface QuotaDetailWire {
  readonly limit: number;
  readonly in_use: number;
  readonly reserved: number;
}

/**
 * A compute quota set: numbers, or {limit, in_use, reserved} from `/detail`.
 * NOTE: compute 2.36 dropped the network-proxy quotas and 2.57 the personality ones.
 */
export interface QuotaSetWire {
  readonly id: string;
  readonly [resource: string]: number | QuotaDetailWire | string;
}
