import type { NovaSecurityGroupRuleWire } from "../security-group-rules/wire.js";

/** One security group as nova's os-security-groups proxy sends it. */
export interface NovaSecurityGroupWire {
  /** A UUID on neutron-backed nova; an integer on nova-network. */
  readonly id: string | number;
  readonly name: string;
  readonly description: string;
  readonly tenant_id?: string;
  readonly rules: readonly NovaSecurityGroupRuleWire[];
}

/** Body of `POST /os-security-groups` and `PUT /os-security-groups/{id}`. */
export interface NovaSecurityGroupCreateWire {
  readonly name: string;
  readonly description: string;
}
