import type { PortWire } from "../services/network/v2/ports/wire.js";
import { type Location, locationOf, type NormalizeContext } from "./location.js";
import { readingWire } from "./malformed.js";
import { definedOnly, restOf, str } from "./model-helpers.js";
import { projectIdOf, STANDARD_KEYS, type StandardFields, standardFields } from "./neutron-fields.js";

/** One address of a port. */
export interface PortFixedIp {
  readonly subnetId: string;
  readonly ipAddress: string;
}

/** A neutron port. */
export interface Port extends StandardFields {
  readonly location: Location;
  readonly id: string;
  readonly name: string;
  readonly networkId: string;
  /** The server (compute:*), router (network:router_interface) or DHCP agent using it. */
  readonly deviceId?: string;
  readonly deviceOwner?: string;
  readonly fixedIps: readonly PortFixedIp[];
  readonly macAddress: string;
  /** ACTIVE, DOWN, BUILD, ERROR. */
  readonly status: string;
  readonly isAdminStateUp: boolean;
  readonly securityGroupIds: readonly string[];
  readonly isPortSecurityEnabled?: boolean;
  readonly allowedAddressPairs: readonly { readonly ipAddress: string; readonly macAddress?: string }[];
  readonly bindingVnicType?: string;
  readonly bindingHostId?: string;
  readonly dnsName?: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

const CONSUMED = new Set([
  ...STANDARD_KEYS,
  "id",
  "name",
  "network_id",
  "device_id",
  "device_owner",
  "fixed_ips",
  "mac_address",
  "status",
  "admin_state_up",
  "security_groups",
  "port_security_enabled",
  "allowed_address_pairs",
  "binding:vnic_type",
  "binding:host_id",
  "dns_name",
]);

/** Normalizes a neutron port. */
export const normalizePort: (wire: PortWire, ctx: NormalizeContext) => Port = readingWire("port", readPort);

function readPort(wire: PortWire, ctx: NormalizeContext): Port {
  return {
    location: locationOf(ctx, projectIdOf(wire)),
    id: wire.id,
    name: wire.name ?? "",
    networkId: wire.network_id,
    ...definedOnly({
      deviceId: str(wire.device_id),
      deviceOwner: str(wire.device_owner),
      isPortSecurityEnabled:
        typeof wire.port_security_enabled === "boolean" ? wire.port_security_enabled : undefined,
      bindingVnicType: str(wire["binding:vnic_type"]),
      bindingHostId: str(wire["binding:host_id"]),
      dnsName: str(wire.dns_name),
    }),
    fixedIps: (wire.fixed_ips ?? []).map((ip) => ({ subnetId: ip.subnet_id, ipAddress: ip.ip_address })),
    macAddress: wire.mac_address ?? "",
    status: wire.status ?? "UNKNOWN",
    isAdminStateUp: wire.admin_state_up !== false,
    securityGroupIds: [...(wire.security_groups ?? [])],
    allowedAddressPairs: (wire.allowed_address_pairs ?? []).map(
      (pair) =>
        definedOnly({ ipAddress: pair.ip_address, macAddress: str(pair.mac_address) }) as {
          ipAddress: string;
          macAddress?: string;
        },
    ),
    ...standardFields(wire),
    properties: restOf(wire, CONSUMED),
  };
}
