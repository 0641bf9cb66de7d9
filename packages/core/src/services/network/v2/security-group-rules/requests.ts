import { ValidationError } from "../../../../errors.js";
import type { ServiceClient } from "../../../../http/types.js";
import type { CallOptions } from "../../../call-options.js";
import { type QueryNames, queryOf, requireId } from "../../../query.js";
import { NEUTRON_LIST_QUERY, type NeutronListOptions, validateListOptions } from "../query.js";
import { compact, createItem, deleteItem, getItem, listItems } from "../resource.js";
import { SECURITY_GROUP_RULES } from "./urls.js";
import type { SecurityGroupRuleCreateWire, SecurityGroupRuleWire } from "./wire.js";

/** Filters of `GET /v2.0/security-group-rules`. */
export interface ListSecurityGroupRulesOptions extends NeutronListOptions {
  readonly id?: string;
  readonly securityGroupId?: string;
  readonly direction?: "ingress" | "egress";
  readonly ethertype?: "IPv4" | "IPv6";
  readonly protocol?: string;
  readonly remoteGroupId?: string;
  readonly remoteIpPrefix?: string;
}

/** The one table of query names of security group rules. */
export const SECURITY_GROUP_RULE_QUERY: QueryNames<ListSecurityGroupRulesOptions> = {
  ...NEUTRON_LIST_QUERY,
  id: "id",
  securityGroupId: "security_group_id",
  direction: "direction",
  ethertype: "ethertype",
  protocol: "protocol",
  remoteGroupId: "remote_group_id",
  remoteIpPrefix: "remote_ip_prefix",
};

/** Every rule matching the filters, page after page. */
export function listSecurityGroupRules(
  client: ServiceClient,
  options: ListSecurityGroupRulesOptions = {},
  call: CallOptions = {},
): AsyncGenerator<SecurityGroupRuleWire, void, undefined> {
  validateListOptions(options);
  return listItems<SecurityGroupRuleWire>(
    client,
    SECURITY_GROUP_RULES,
    queryOf(options, SECURITY_GROUP_RULE_QUERY),
    call,
  );
}

/** One rule by id. */
export function getSecurityGroupRule(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<SecurityGroupRuleWire> {
  return getItem<SecurityGroupRuleWire>(client, SECURITY_GROUP_RULES, requireId("id", id), call);
}

/** A new rule. Ports need a protocol; a remote is either a prefix or a group. */
export interface CreateSecurityGroupRuleOptions {
  readonly securityGroupId: string;
  readonly direction: "ingress" | "egress";
  /** Default IPv4 (neutron's default). */
  readonly ethertype?: "IPv4" | "IPv6";
  readonly protocol?: string;
  readonly portRangeMin?: number;
  readonly portRangeMax?: number;
  readonly remoteIpPrefix?: string;
  readonly remoteGroupId?: string;
  readonly remoteAddressGroupId?: string;
  readonly description?: string;
  readonly projectId?: string;
}

/** Checks a rule's ports and remote before any I/O. */
function validateRule(options: {
  readonly protocol?: string;
  readonly portRangeMin?: number;
  readonly portRangeMax?: number;
  readonly remoteIpPrefix?: string;
  readonly remoteGroupId?: string;
}): void {
  for (const field of ["portRangeMin", "portRangeMax"] as const) {
    const port = options[field];
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
      throw new ValidationError(field, "must be an integer from 0 to 65535");
    }
  }
  if ((options.portRangeMin !== undefined || options.portRangeMax !== undefined) && !options.protocol) {
    throw new ValidationError("protocol", "is required with a port range");
  }
  if (
    options.portRangeMin !== undefined &&
    options.portRangeMax !== undefined &&
    options.portRangeMin > options.portRangeMax &&
    options.protocol !== "icmp"
  ) {
    throw new ValidationError("portRangeMax", "must not be below portRangeMin");
  }
  if (options.remoteIpPrefix !== undefined && options.remoteGroupId !== undefined) {
    throw new ValidationError("remoteGroupId", "cannot be combined with remoteIpPrefix");
  }
}

/** Creates a rule (`POST /v2.0/security-group-rules`, 201). */
export function createSecurityGroupRule(
  client: ServiceClient,
  options: CreateSecurityGroupRuleOptions,
  call: CallOptions = {},
): Promise<SecurityGroupRuleWire> {
  requireId("securityGroupId", options.securityGroupId);
  if (options.direction !== "ingress" && options.direction !== "egress") {
    throw new ValidationError("direction", 'must be "ingress" or "egress"');
  }
  validateRule(options);
  const body: SecurityGroupRuleCreateWire = {
    security_group_id: options.securityGroupId,
    direction: options.direction,
    ...compact({
      ethertype: options.ethertype,
      protocol: options.protocol,
      port_range_min: options.portRangeMin,
      port_range_max: options.portRangeMax,
      remote_ip_prefix: options.remoteIpPrefix,
      remote_group_id: options.remoteGroupId,
      remote_address_group_id: options.remoteAddressGroupId,
      description: options.description,
      project_id: options.projectId,
    }),
  };
  return createItem<SecurityGroupRuleWire>(client, SECURITY_GROUP_RULES, body, call);
}

/** Deletes a rule (`DELETE /v2.0/security-group-rules/{id}`, 204). */
export function deleteSecurityGroupRule(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<void> {
  return deleteItem(client, SECURITY_GROUP_RULES, requireId("id", id), call);
}
