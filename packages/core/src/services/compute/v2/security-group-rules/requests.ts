import { OaktreeError, ValidationError } from "../../../../errors.js";
import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { compact, requireId } from "../../../query.js";
import { proxyVersionField } from "../floating-ips/proxy.js";
import { NOVA_SECURITY_GROUP_RULES_PATH, novaSecurityGroupRulePath } from "./urls.js";
import type { NovaSecurityGroupRuleCreateWire, NovaSecurityGroupRuleWire } from "./wire.js";

const WHAT = "os-security-group-rules";

/** A new ingress rule on a nova security group: a CIDR or a source group, not both. */
export interface CreateNovaSecurityGroupRuleOptions {
  readonly parentGroupId: string;
  /** tcp, udp or icmp; ports need one. */
  readonly ipProtocol?: "tcp" | "udp" | "icmp";
  /** First port (ICMP type); -1 means any. */
  readonly fromPort?: number;
  /** Last port (ICMP code); -1 means any. */
  readonly toPort?: number;
  readonly cidr?: string;
  /** The id of the group whose members may connect. */
  readonly groupId?: string;
}

/**
 * Creates a rule (`POST /os-security-group-rules`, 200).
 * NOTE: nova-network rules are ingress only and IPv4/IPv6 by the CIDR; there is no egress.
 */
export async function createNovaSecurityGroupRule(
  client: ServiceClient,
  options: CreateNovaSecurityGroupRuleOptions,
  call: CallOptions = {},
): Promise<NovaSecurityGroupRuleWire> {
  requireId("parentGroupId", options.parentGroupId);
  if (options.cidr !== undefined && options.groupId !== undefined) {
    throw new ValidationError("groupId", "cannot be combined with cidr");
  }
  for (const field of ["fromPort", "toPort"] as const) {
    const port = options[field];
    if (port !== undefined && (!Number.isInteger(port) || port < -1 || port > 65535)) {
      throw new ValidationError(field, "must be an integer from -1 to 65535");
    }
  }
  if ((options.fromPort !== undefined || options.toPort !== undefined) && options.ipProtocol === undefined) {
    throw new ValidationError("ipProtocol", "is required with ports");
  }
  const body: NovaSecurityGroupRuleCreateWire = {
    parent_group_id: options.parentGroupId,
    ...compact({
      ip_protocol: options.ipProtocol,
      from_port: options.fromPort,
      to_port: options.toPort,
      cidr: options.cidr,
      group_id: options.groupId,
    }),
  };
  const response = await client.request({
    method: "POST",
    path: NOVA_SECURITY_GROUP_RULES_PATH,
    json: { security_group_rule: body },
    okStatus: [200],
    ...proxyVersionField(client, WHAT),
    ...callFields(call),
  });
  const rule = response.json<{ security_group_rule?: NovaSecurityGroupRuleWire } | undefined>()
    ?.security_group_rule;
  if (!rule)
    throw new OaktreeError('compute: the os-security-group-rules response has no "security_group_rule"');
  return rule;
}

/** Deletes a rule (`DELETE /os-security-group-rules/{id}`, 202). */
export async function deleteNovaSecurityGroupRule(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<void> {
  requireId("id", id);
  await client.request({
    method: "DELETE",
    path: novaSecurityGroupRulePath(id),
    okStatus: [202],
    ...proxyVersionField(client, WHAT),
    ...callFields(call),
  });
}
