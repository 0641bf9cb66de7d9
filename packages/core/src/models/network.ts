import type { NovaNetworkWire } from "../services/compute/v2/networks/wire.js";
import type { NetworkWire } from "../services/network/v2/networks/wire.js";
import { isoTime } from "../timestamps.js";
import { type Location, locationOf, type NormalizeContext } from "./location.js";
import { readingWire } from "./malformed.js";
import { definedOnly, restOf } from "./model-helpers.js";
import { projectIdOf, STANDARD_KEYS, type StandardFields, standardFields } from "./neutron-fields.js";

/** A network, from neutron or from nova-network's os-networks, in one shape. */
export interface Network extends StandardFields {
  /** Region-level: no zone (see availabilityZones). */
  readonly location: Location;
  readonly id: string;
  readonly name: string;
  /** ACTIVE, DOWN, BUILD, ERROR. */
  readonly status: string;
  readonly isAdminStateUp: boolean;
  readonly isShared: boolean;
  /** Routed to the outside (floating IPs come from external networks). */
  readonly isRouterExternal: boolean;
  /** The default external network for auto-allocation. */
  readonly isDefault: boolean;
  readonly mtu?: number;
  readonly subnetIds: readonly string[];
  readonly availabilityZones: readonly string[];
  readonly isPortSecurityEnabled?: boolean;
  /** provider:* attributes, nova-network's cidr/vlan/..., and every other key, as sent. */
  readonly properties: Readonly<Record<string, unknown>>;
}

const CONSUMED = new Set([
  ...STANDARD_KEYS,
  "id",
  "name",
  "status",
  "admin_state_up",
  "shared",
  "router:external",
  "is_default",
  "mtu",
  "subnets",
  "availability_zones",
  "port_security_enabled",
]);

/** Normalizes a neutron network. */
export const normalizeNetwork: (wire: NetworkWire, ctx: NormalizeContext) => Network = readingWire(
  "network",
  readNetwork,
);

function readNetwork(wire: NetworkWire, ctx: NormalizeContext): Network {
  return {
    location: locationOf(ctx, projectIdOf(wire)),
    id: wire.id,
    name: wire.name ?? "",
    status: wire.status ?? "UNKNOWN",
    isAdminStateUp: wire.admin_state_up !== false,
    isShared: wire.shared === true,
    isRouterExternal: wire["router:external"] === true,
    isDefault: wire.is_default === true,
    ...definedOnly({
      mtu: typeof wire.mtu === "number" ? wire.mtu : undefined,
      isPortSecurityEnabled:
        typeof wire.port_security_enabled === "boolean" ? wire.port_security_enabled : undefined,
    }),
    subnetIds: [...(wire.subnets ?? [])],
    availabilityZones: [...(wire.availability_zones ?? [])],
    ...standardFields(wire),
    properties: restOf(wire, CONSUMED),
  };
}

const NOVA_CONSUMED = new Set(["id", "label", "mtu", "project_id", "created_at", "updated_at"]);

/**
 * Normalizes a nova-network network (os-networks). NOTE: nova reports no status, sharing or
 * external flag: a network nova lists is usable (ACTIVE), project networks are not shared,
 * and nova-network has no external networks (its floating IPs come from pools).
 */
export function normalizeNovaNetwork(wire: NovaNetworkWire, ctx: NormalizeContext): Network {
  return {
    location: locationOf(ctx, wire.project_id),
    id: String(wire.id),
    name: wire.label ?? "",
    status: "ACTIVE",
    isAdminStateUp: true,
    isShared: !wire.project_id,
    isRouterExternal: false,
    isDefault: false,
    ...definedOnly({
      mtu: typeof wire.mtu === "number" ? wire.mtu : undefined,
      createdAt: isoTime(wire.created_at),
      updatedAt: isoTime(wire.updated_at),
    }),
    subnetIds: [],
    availabilityZones: [],
    tags: [],
    properties: restOf(wire, NOVA_CONSUMED),
  };
}
