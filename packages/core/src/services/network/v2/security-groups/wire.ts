import type { SecurityGroupRuleWire } from "../security-group-rules/wire.js";

/** One security group as neutron sends it, with its rules. */
export interface SecurityGroupWire {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly security_group_rules: readonly SecurityGroupRuleWire[];
  readonly project_id?: string;
  readonly tenant_id?: string;
  /** Extension "stateful-security-group". */
  readonly stateful?: boolean;
  /** Extension "security-groups-shared-filtering". */
  readonly shared?: boolean;
  readonly tags?: readonly string[];
  readonly created_at?: string;
  readonly updated_at?: string;
  readonly revision_number?: number;
}

/** Body of `POST /v2.0/security-groups` (inside `{"security_group": ...}`). */
export interface SecurityGroupCreateWire {
  readonly name: string;
  readonly description?: string;
  readonly project_id?: string;
  readonly stateful?: boolean;
}

/** Body of `PUT /v2.0/security-groups/{id}`. */
export interface SecurityGroupUpdateWire {
  readonly name?: string;
  readonly description?: string;
  readonly stateful?: boolean;
}
