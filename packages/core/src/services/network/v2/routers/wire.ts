/** One fixed IP of a router's gateway port on the external network. */
export interface ExternalFixedIpWire {
  readonly subnet_id?: string;
  readonly ip_address?: string;
}

/** A router's uplink to an external network (extension "external-net"/"ext-gw-mode"). */
export interface ExternalGatewayInfoWire {
  readonly network_id: string;
  /** Extension "ext-gw-mode"; admin-only to change on most clouds. */
  readonly enable_snat?: boolean;
  readonly external_fixed_ips?: readonly ExternalFixedIpWire[];
  readonly qos_policy_id?: string | null;
}

/** A static route of a router (extension "extraroute"). */
export interface RouteWire {
  readonly destination: string;
  readonly nexthop: string;
}

/** One router as neutron sends it (`GET /v2.0/routers/{id}`). */
export interface RouterWire {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly admin_state_up: boolean;
  readonly external_gateway_info: ExternalGatewayInfoWire | null;
  readonly project_id?: string;
  readonly tenant_id?: string;
  readonly routes?: readonly RouteWire[];
  readonly description?: string;
  readonly distributed?: boolean;
  readonly ha?: boolean;
  readonly availability_zones?: readonly string[];
  readonly availability_zone_hints?: readonly string[];
  readonly flavor_id?: string | null;
  readonly service_type_id?: string | null;
  readonly tags?: readonly string[];
  readonly created_at?: string;
  readonly updated_at?: string;
  readonly revision_number?: number;
  readonly conntrack_helpers?: readonly Record<string, unknown>[];
  /** Extension "external-gateway-multihoming". */
  readonly external_gateways?: readonly ExternalGatewayInfoWire[];
}

/** Body of `POST /v2.0/routers` (inside `{"router": ...}`). */
export interface RouterCreateWire {
  readonly name?: string;
  readonly description?: string;
  readonly admin_state_up?: boolean;
  readonly project_id?: string;
  readonly external_gateway_info?: ExternalGatewayInfoWire;
  readonly distributed?: boolean;
  readonly ha?: boolean;
  readonly availability_zone_hints?: readonly string[];
  readonly flavor_id?: string;
}

/** Body of `PUT /v2.0/routers/{id}` (inside `{"router": ...}`); a null gateway clears it. */
export interface RouterUpdateWire {
  readonly name?: string;
  readonly description?: string;
  readonly admin_state_up?: boolean;
  readonly external_gateway_info?: ExternalGatewayInfoWire | Record<string, never> | null;
  readonly routes?: readonly RouteWire[];
  readonly distributed?: boolean;
  readonly ha?: boolean;
}

/** Body of add/remove_router_interface: exactly one of subnet_id or port_id. */
export type RouterInterfaceRequestWire = { readonly subnet_id: string } | { readonly port_id: string };

/** Answer of add/remove_router_interface (not enveloped). */
export interface RouterInterfaceWire {
  readonly id: string;
  readonly subnet_id: string;
  readonly subnet_ids: readonly string[];
  readonly port_id: string;
  readonly network_id: string;
  readonly project_id?: string;
  readonly tenant_id?: string;
  readonly tags?: readonly string[];
}
