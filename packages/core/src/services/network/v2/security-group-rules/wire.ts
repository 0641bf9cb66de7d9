/** One security group rule as neutron sends it. */
export interface SecurityGroupRuleWire {
  readonly id: string;
  readonly security_group_id: string;
  readonly direction: "ingress" | "egress";
  readonly ethertype: "IPv4" | "IPv6";
  /** A name (tcp, udp, icmp, ...), a number as a string, or null for any. */
  readonly protocol: string | null;
  readonly port_range_min: number | null;
  readonly port_range_max: number | null;
  readonly remote_ip_prefix: string | null;
  readonly remote_group_id: string | null;
  /** Extension "security-groups-remote-address-group". */
  readonly remote_address_group_id?: string | null;
  readonly project_id?: string;
  readonly tenant_id?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly created_at?: string;
  readonly updated_at?: string;
  readonly revision_number?: number;
  readonly belongs_to_default_sg?: boolean;
}

/** Body of `POST /v2.0/security-group-rules` (inside `{"security_group_rule": ...}`). */
export interface SecurityGroupRuleCreateWire {
  readonly security_group_id: string;
  readonly direction: "ingress" | "egress";
  readonly ethertype?: "IPv4" | "IPv6";
  readonly protocol?: string;
  readonly port_range_min?: number;
  readonly port_range_max?: number;
  readonly remote_ip_prefix?: string;
  readonly remote_group_id?: string;
  readonly remote_address_group_id?: string;
  readonly description?: string;
  readonly project_id?: string;
}
