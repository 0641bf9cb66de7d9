/** One network as neutron sends it (`GET /v2.0/networks/{id}`). */
export interface NetworkWire {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly admin_state_up: boolean;
  readonly shared: boolean;
  readonly subnets: readonly string[];
  readonly project_id?: string;
  /** Older neutron (before project_id existed) and still sent beside it. */
  readonly tenant_id?: string;
  /** Extension "external-net". */
  readonly "router:external"?: boolean;
  /** Extension "auto-allocated-topology": the default external network. */
  readonly is_default?: boolean;
  /** Extension "net-mtu". */
  readonly mtu?: number;
  /** Extension "network_availability_zone". */
  readonly availability_zones?: readonly string[];
  readonly availability_zone_hints?: readonly string[];
  readonly description?: string;
  /** Extension "standard-attr-tag". */
  readonly tags?: readonly string[];
  /** Extension "standard-attr-timestamp" (UTC, often without a zone designator). */
  readonly created_at?: string;
  readonly updated_at?: string;
  /** Extension "standard-attr-revisions". */
  readonly revision_number?: number;
  readonly port_security_enabled?: boolean;
  readonly dns_domain?: string;
  readonly qos_policy_id?: string | null;
  readonly ipv4_address_scope?: string | null;
  readonly ipv6_address_scope?: string | null;
  /** Extension "provider" (admin only by default). */
  readonly "provider:network_type"?: string;
  readonly "provider:physical_network"?: string | null;
  readonly "provider:segmentation_id"?: number | null;
  /** Extension "multi-provider". */
  readonly segments?: readonly Record<string, unknown>[];
}

/** Body of `POST /v2.0/networks` (inside `{"network": ...}`). */
export interface NetworkCreateWire {
  readonly name?: string;
  readonly admin_state_up?: boolean;
  readonly shared?: boolean;
  readonly description?: string;
  readonly project_id?: string;
  readonly "router:external"?: boolean;
  readonly is_default?: boolean;
  readonly mtu?: number;
  readonly port_security_enabled?: boolean;
  readonly availability_zone_hints?: readonly string[];
  readonly dns_domain?: string;
  readonly qos_policy_id?: string | null;
  readonly "provider:network_type"?: string;
  readonly "provider:physical_network"?: string;
  readonly "provider:segmentation_id"?: number;
}

/** Body of `PUT /v2.0/networks/{id}` (inside `{"network": ...}`). */
export type NetworkUpdateWire = Omit<NetworkCreateWire, "project_id" | "availability_zone_hints">;
