/** An address range handed out by DHCP/IPAM. */
export interface AllocationPoolWire {
  readonly start: string;
  readonly end: string;
}

/** A static route pushed to instances. */
export interface HostRouteWire {
  readonly destination: string;
  readonly nexthop: string;
}

/** One subnet as neutron sends it (`GET /v2.0/subnets/{id}`). */
export interface SubnetWire {
  readonly id: string;
  readonly name: string;
  readonly network_id: string;
  readonly cidr: string;
  readonly ip_version: 4 | 6;
  readonly gateway_ip: string | null;
  readonly enable_dhcp: boolean;
  readonly allocation_pools: readonly AllocationPoolWire[];
  readonly dns_nameservers: readonly string[];
  readonly host_routes: readonly HostRouteWire[];
  readonly project_id?: string;
  readonly tenant_id?: string;
  readonly ipv6_address_mode?: string | null;
  readonly ipv6_ra_mode?: string | null;
  readonly subnetpool_id?: string | null;
  readonly segment_id?: string | null;
  readonly service_types?: readonly string[];
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly created_at?: string;
  readonly updated_at?: string;
  readonly revision_number?: number;
  readonly dns_publish_fixed_ip?: boolean;
  /** Read-only mirror of the network's flag (extension "subnet-external-network"). */
  readonly "router:external"?: boolean;
}

/** Body of `POST /v2.0/subnets` (inside `{"subnet": ...}`). */
export interface SubnetCreateWire {
  readonly network_id: string;
  readonly ip_version: 4 | 6;
  readonly cidr?: string;
  readonly name?: string;
  readonly description?: string;
  readonly project_id?: string;
  readonly gateway_ip?: string | null;
  readonly enable_dhcp?: boolean;
  readonly allocation_pools?: readonly AllocationPoolWire[];
  readonly dns_nameservers?: readonly string[];
  readonly host_routes?: readonly HostRouteWire[];
  readonly ipv6_address_mode?: string;
  readonly ipv6_ra_mode?: string;
  readonly subnetpool_id?: string;
  readonly use_default_subnetpool?: boolean;
  readonly prefixlen?: number;
  readonly segment_id?: string;
  readonly service_types?: readonly string[];
}

/** Body of `PUT /v2.0/subnets/{id}` (inside `{"subnet": ...}`). */
export interface SubnetUpdateWire {
  readonly name?: string;
  readonly description?: string;
  readonly gateway_ip?: string | null;
  readonly enable_dhcp?: boolean;
  readonly allocation_pools?: readonly AllocationPoolWire[];
  readonly dns_nameservers?: readonly string[];
  readonly host_routes?: readonly HostRouteWire[];
  readonly service_types?: readonly string[];
  readonly segment_id?: string | null;
}
