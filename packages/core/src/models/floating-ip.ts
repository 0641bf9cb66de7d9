import type { NovaFloatingIpWire } from "../services/compute/v2/floating-ips/wire.js";
import type { FloatingIpWire } from "../services/network/v2/floating-ips/wire.js";
import { type Location, locationOf, type NormalizeContext } from "./location.js";
import { readingWire } from "./malformed.js";
import { definedOnly, restOf, str } from "./model-helpers.js";
import { projectIdOf, STANDARD_KEYS, type StandardFields, standardFields } from "./neutron-fields.js";

/**
 * A floating IP, in one shape whether it came from neutron or from nova's os-floating-ips
 * (nova-network clouds).
 */
export interface FloatingIp extends StandardFields {
  readonly location: Location;
  readonly id: string;
  /** The public address. */
  readonly floatingIpAddress: string;
  /** The private address it maps to, when attached. */
  readonly fixedIpAddress?: string;
  /** Neutron only: the port it is bound to. */
  readonly portId?: string;
  readonly routerId?: string;
  /** The external network's id (neutron), or the pool's name (nova). */
  readonly networkId: string;
  /** ACTIVE, DOWN, ERROR (neutron); UNKNOWN from nova, which reports none. */
  readonly status: string;
  /** Bound to a port (neutron) or a server (nova). */
  readonly attached: boolean;
  /** nova's `instance_id` as `instanceId`, and every unread key, as sent. */
  readonly properties: Readonly<Record<string, unknown>>;
}

const CONSUMED = new Set([
  ...STANDARD_KEYS,
  "id",
  "floating_ip_address",
  "fixed_ip_address",
  "port_id",
  "router_id",
  "floating_network_id",
  "status",
]);

/** Normalizes a neutron floating IP. */
export const normalizeFloatingIp: (wire: FloatingIpWire, ctx: NormalizeContext) => FloatingIp = readingWire(
  "floating IP",
  readFloatingIp,
);

function readFloatingIp(wire: FloatingIpWire, ctx: NormalizeContext): FloatingIp {
  const portId = str(wire.port_id);
  return {
    location: locationOf(ctx, projectIdOf(wire)),
    id: wire.id,
    floatingIpAddress: wire.floating_ip_address,
    ...definedOnly({
      fixedIpAddress: str(wire.fixed_ip_address),
      portId,
      routerId: str(wire.router_id),
    }),
    networkId: wire.floating_network_id,
    status: wire.status ?? "UNKNOWN",
    attached: portId !== undefined,
    ...standardFields(wire),
    properties: restOf(wire, CONSUMED),
  };
}

/**
 * Normalizes a floating IP from nova's os-floating-ips proxy.
 * NOTE: nova gives `ip`, `fixed_ip`, `instance_id` and `pool`; the pool's name stands in for
 * the network id, the server id goes to `properties.instanceId`, and nova reports no
 * status, project, tags or timestamps.
 */
export const normalizeNovaFloatingIp: (wire: NovaFloatingIpWire, ctx: NormalizeContext) => FloatingIp =
  readingWire("floating IP", readNovaFloatingIp);

function readNovaFloatingIp(wire: NovaFloatingIpWire, ctx: NormalizeContext): FloatingIp {
  const instanceId = str(wire.instance_id);
  const rest = restOf(wire, new Set(["id", "ip", "fixed_ip", "instance_id", "pool"]));
  return {
    location: locationOf(ctx),
    id: String(wire.id),
    floatingIpAddress: wire.ip,
    ...definedOnly({ fixedIpAddress: str(wire.fixed_ip) }),
    networkId: wire.pool ?? "",
    status: "UNKNOWN",
    attached: instanceId !== undefined,
    tags: [],
    properties: { ...rest, ...(instanceId !== undefined && { instanceId }) },
  };
}
