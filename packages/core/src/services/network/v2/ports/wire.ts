/** One address of a port. */
export interface FixedIpWire {
  readonly subnet_id: string;
  readonly ip_address: string;
}

/** An extra (IP, MAC) pair allowed through port security. */
export interface AllowedAddressPairWire {
  readonly ip_address: string;
  readonly mac_address?: string;
}

/** One port as neutron sends it (`GET /v2.0/ports/{id}`). */
export interface PortWire {
  readonly id: string;
  readonly name: string;
  readonly network_id: string;
  readonly status: string;
  readonly admin_state_up: boolean;
  readonly mac_address: string;
  readonly fixed_ips: readonly FixedIpWire[];
  /** The server id for `compute:*` owners, the router id for `network:router_interface`. */
  readonly device_id: string;
  readonly device_owner: string;
  readonly project_id?: string;
  readonly tenant_id?: string;
  readonly security_groups?: readonly string[];
  readonly allowed_address_pairs?: readonly AllowedAddressPairWire[];
  readonly port_security_enabled?: boolean;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly created_at?: string;
  readonly updated_at?: string;
  readonly revision_number?: number;
  /** Extension "binding" (most keys admin only). */
  readonly "binding:vnic_type"?: string;
  readonly "binding:host_id"?: string;
  readonly "binding:profile"?: Record<string, unknown>;
  readonly "binding:vif_type"?: string;
  readonly "binding:vif_details"?: Record<string, unknown>;
  readonly dns_name?: string;
  readonly dns_domain?: string;
  readonly dns_assignment?: readonly Record<string, unknown>[];
  readonly extra_dhcp_opts?: readonly Record<string, unknown>[];
  readonly qos_policy_id?: string | null;
  readonly qos_network_policy_id?: string | null;
  readonly data_plane_status?: string | null;
  readonly ip_allocation?: string;
  readonly propagate_uplink_status?: boolean;
}

/** Body of `POST /v2.0/ports` (inside `{"port": ...}`). */
export interface PortCreateWire {
  readonly network_id: string;
  readonly name?: string;
  readonly description?: string;
  readonly admin_state_up?: boolean;
  readonly project_id?: string;
  readonly mac_address?: string;
  readonly fixed_ips?: readonly Partial<FixedIpWire>[];
  readonly device_id?: string;
  readonly device_owner?: string;
  readonly security_groups?: readonly string[];
  readonly allowed_address_pairs?: readonly AllowedAddressPairWire[];
  readonly port_security_enabled?: boolean;
  readonly "binding:vnic_type"?: string;
  readonly "binding:host_id"?: string;
  readonly "binding:profile"?: Record<string, unknown>;
  readonly dns_name?: string;
  readonly qos_policy_id?: string | null;
}

/** Body of `PUT /v2.0/ports/{id}` (inside `{"port": ...}`). */
export type PortUpdateWire = Omit<PortCreateWire, "network_id" | "project_id" | "mac_address">;
