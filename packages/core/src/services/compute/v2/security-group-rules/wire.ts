/**
 * One rule as nova's proxy sends it. Nova rules are ingress only; a rule allows either an
 * address range (`ip_range.cidr`) or another group (`group.name`), and -1 ports mean any
 * (ICMP type/code).
 */
export interface NovaSecurityGroupRuleWire {
  readonly id: string | number;
  readonly parent_group_id: string | number;
  /** tcp, udp, icmp, or null for any. */
  readonly ip_protocol: string | null;
  readonly from_port: number | null;
  readonly to_port: number | null;
  /** `{}` for a group rule. */
  readonly ip_range: { readonly cidr?: string };
  /** `{}` for a CIDR rule. */
  readonly group: { readonly name?: string; readonly tenant_id?: string };
}

/** Body of `POST /os-security-group-rules` (inside `{"security_group_rule": ...}`). */
export interface NovaSecurityGroupRuleCreateWire {
  readonly parent_group_id: string;
  readonly ip_protocol?: string;
  readonly from_port?: number;
  readonly to_port?: number;
  readonly cidr?: string;
  readonly group_id?: string;
}
