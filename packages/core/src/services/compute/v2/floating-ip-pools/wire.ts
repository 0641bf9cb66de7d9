/** One pool floating IPs can be allocated from (on neutron-backed nova: an external network). */
export interface NovaFloatingIpPoolWire {
  readonly name: string;
}
