import type { SubnetWire } from "../services/network/v2/subnets/wire.js";
import { type Location, locationOf, type NormalizeContext } from "./location.js";
import { definedOnly, restOf, str } from "./model-helpers.js";
import { projectIdOf, STANDARD_KEYS, type StandardFields, standardFields } from "./neutron-fields.js";

/** An address range handed out on a subnet. */
export interface AllocationPool {
  readonly start: string;
  readonly end: string;
}

/** A static route pushed to instances. */
export interface HostRoute {
  readonly destination: string;
  readonly nexthop: string;
}

/** A neutron subnet. */
export interface Subnet extends StandardFields {
  readonly location: Location;
  readonly id: string;
  readonly name: string;
  readonly networkId: string;
  readonly cidr: string;
  readonly ipVersion: 4 | 6;
  /** Absent when the subnet has no gateway. */
  readonly gatewayIp?: string;
  readonly allocationPools: readonly AllocationPool[];
  readonly dnsNameservers: readonly string[];
  readonly hostRoutes: readonly HostRoute[];
  readonly isDhcpEnabled: boolean;
  readonly subnetpoolId?: string;
  readonly ipv6AddressMode?: string;
  readonly ipv6RaMode?: string;
  readonly segmentId?: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

const CONSUMED = new Set([
  ...STANDARD_KEYS,
  "id",
  "name",
  "network_id",
  "cidr",
  "ip_version",
  "gateway_ip",
  "allocation_pools",
  "dns_nameservers",
  "host_routes",
  "enable_dhcp",
  "subnetpool_id",
  "ipv6_address_mode",
  "ipv6_ra_mode",
  "segment_id",
]);

/** Normalizes a neutron subnet. */
export function normalizeSubnet(wire: SubnetWire, ctx: NormalizeContext): Subnet {
  return {
    location: locationOf(ctx, projectIdOf(wire)),
    id: wire.id,
    name: wire.name ?? "",
    networkId: wire.network_id,
    cidr: wire.cidr,
    ipVersion: wire.ip_version === 6 ? 6 : 4,
    ...definedOnly({
      gatewayIp: str(wire.gateway_ip),
      subnetpoolId: str(wire.subnetpool_id),
      ipv6AddressMode: str(wire.ipv6_address_mode),
      ipv6RaMode: str(wire.ipv6_ra_mode),
      segmentId: str(wire.segment_id),
    }),
    allocationPools: (wire.allocation_pools ?? []).map((pool) => ({ start: pool.start, end: pool.end })),
    dnsNameservers: [...(wire.dns_nameservers ?? [])],
    hostRoutes: (wire.host_routes ?? []).map((route) => ({
      destination: route.destination,
      nexthop: route.nexthop,
    })),
    isDhcpEnabled: wire.enable_dhcp === true,
    ...standardFields(wire),
    properties: restOf(wire, CONSUMED),
  };
}
