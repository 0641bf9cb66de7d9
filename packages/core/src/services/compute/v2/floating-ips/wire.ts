/** One floating IP as nova's os-floating-ips proxy sends it. */
export interface NovaFloatingIpWire {
  /** A UUID on nova-network and on neutron-backed nova; an integer on very old nova. */
  readonly id: string | number;
  readonly ip: string;
  /** The pool (the external network's name on neutron-backed nova). */
  readonly pool: string;
  readonly fixed_ip: string | null;
  /** The server it is attached to. */
  readonly instance_id: string | null;
}

/** Body of `POST /os-floating-ips`: a pool name, or nothing for the default pool. */
export interface NovaFloatingIpCreateWire {
  readonly pool?: string;
}
