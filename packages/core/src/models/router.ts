import type { RouterWire } from "../services/network/v2/routers/wire.js";
import { type Location, locationOf, type NormalizeContext } from "./location.js";
import { definedOnly, restOf } from "./model-helpers.js";
import { projectIdOf, STANDARD_KEYS, type StandardFields, standardFields } from "./neutron-fields.js";
import type { HostRoute } from "./subnet.js";

/** A router's uplink to an external network. */
export interface RouterGateway {
  readonly networkId: string;
  readonly externalFixedIps: readonly { readonly subnetId?: string; readonly ipAddress?: string }[];
  /** Absent when the cloud hides it (extension "ext-gw-mode" not loaded). */
  readonly enableSnat?: boolean;
}

/**
 * A neutron router. Its interfaces are ports (device_owner "network:router_interface*",
 * device_id = the router's id): list them with the port binding.
 */
export interface Router extends StandardFields {
  readonly location: Location;
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly isAdminStateUp: boolean;
  /** Absent for a router without an uplink. */
  readonly externalGateway?: RouterGateway;
  readonly routes: readonly HostRoute[];
  readonly isDistributed?: boolean;
  readonly isHa?: boolean;
  readonly availabilityZones: readonly string[];
  readonly properties: Readonly<Record<string, unknown>>;
}

const CONSUMED = new Set([
  ...STANDARD_KEYS,
  "id",
  "name",
  "status",
  "admin_state_up",
  "external_gateway_info",
  "routes",
  "distributed",
  "ha",
  "availability_zones",
]);

/** Normalizes a neutron router. */
export function normalizeRouter(wire: RouterWire, ctx: NormalizeContext): Router {
  const gateway = wire.external_gateway_info;
  return {
    location: locationOf(ctx, projectIdOf(wire)),
    id: wire.id,
    name: wire.name ?? "",
    status: wire.status ?? "UNKNOWN",
    isAdminStateUp: wire.admin_state_up !== false,
    ...(gateway?.network_id && {
      externalGateway: {
        networkId: gateway.network_id,
        externalFixedIps: (gateway.external_fixed_ips ?? []).map((ip) =>
          definedOnly({ subnetId: ip.subnet_id, ipAddress: ip.ip_address }),
        ),
        ...(typeof gateway.enable_snat === "boolean" && { enableSnat: gateway.enable_snat }),
      },
    }),
    routes: (wire.routes ?? []).map((route) => ({ destination: route.destination, nexthop: route.nexthop })),
    ...definedOnly({
      isDistributed: typeof wire.distributed === "boolean" ? wire.distributed : undefined,
      isHa: typeof wire.ha === "boolean" ? wire.ha : undefined,
    }),
    availabilityZones: [...(wire.availability_zones ?? [])],
    ...standardFields(wire),
    properties: restOf(wire, CONSUMED),
  };
}
