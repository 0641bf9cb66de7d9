/** Summary of the port a floating IP is bound to (extension "fip-port-details"). */
export interface FloatingIpPortDetailsWire {
  readonly name?: string;
  readonly network_id?: string;
  readonly mac_address?: string;
  readonly admin_state_up?: boolean;
  readonly status?: string;
  readonly device_id?: string;
  readonly device_owner?: string;
}

/** One floating IP as neutron sends it (`GET /v2.0/floatingips/{id}`). */
export interface FloatingIpWire {
  readonly id: string;
  readonly floating_ip_address: string;
  readonly floating_network_id: string;
  /** Null when not associated. */
  readonly port_id: string | null;
  readonly fixed_ip_address: string | null;
  readonly router_id: string | null;
  /** ACTIVE, DOWN or ERROR. */
  readonly status: string;
  readonly project_id?: string;
  readonly tenant_id?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly created_at?: string;
  readonly updated_at?: string;
  readonly revision_number?: number;
  readonly port_details?: FloatingIpPortDetailsWire | null;
  readonly port_forwardings?: readonly Record<string, unknown>[];
  readonly dns_name?: string;
  readonly dns_domain?: string;
  readonly qos_policy_id?: string | null;
  readonly qos_network_policy_id?: string | null;
}

/** Body of `POST /v2.0/floatingips` (inside `{"floatingip": ...}`). */
export interface FloatingIpCreateWire {
  readonly floating_network_id: string;
  readonly port_id?: string;
  readonly fixed_ip_address?: string;
  readonly floating_ip_address?: string;
  readonly subnet_id?: string;
  readonly description?: string;
  readonly project_id?: string;
  readonly dns_name?: string;
  readonly dns_domain?: string;
  readonly qos_policy_id?: string;
}

/** Body of `PUT /v2.0/floatingips/{id}`: `port_id: null` disassociates. */
export interface FloatingIpUpdateWire {
  readonly port_id?: string | null;
  readonly fixed_ip_address?: string;
  readonly description?: string;
  readonly qos_policy_id?: string | null;
}
