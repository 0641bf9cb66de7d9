import { ValidationError } from "../../../../errors.js";
import type { ServiceClient } from "../../../../http/types.js";
import type { CallOptions } from "../../../call-options.js";
import { type QueryNames, queryOf, requireId } from "../../../query.js";
import { NEUTRON_LIST_QUERY, type NeutronListOptions, validateListOptions } from "../query.js";
import { compact, createItem, deleteItem, getItem, listItems, updateItem } from "../resource.js";
import { SECURITY_GROUPS } from "./urls.js";
import type { SecurityGroupCreateWire, SecurityGroupUpdateWire, SecurityGroupWire } from "./wire.js";

/** Filters of `GET /v2.0/security-groups`. */
export interface ListSecurityGroupsOptions extends NeutronListOptions {
  readonly id?: string;
  readonly name?: string;
  readonly description?: string;
  readonly shared?: boolean;
}

/** The one table of query names of security groups. */
export const SECURITY_GROUP_QUERY: QueryNames<ListSecurityGroupsOptions> = {
  ...NEUTRON_LIST_QUERY,
  id: "id",
  name: "name",
  description: "description",
  shared: "shared",
};

/** Every security group matching the filters, with their rules, page after page. */
export function listSecurityGroups(
  client: ServiceClient,
  options: ListSecurityGroupsOptions = {},
  call: CallOptions = {},
): AsyncGenerator<SecurityGroupWire, void, undefined> {
  validateListOptions(options);
  return listItems<SecurityGroupWire>(client, SECURITY_GROUPS, queryOf(options, SECURITY_GROUP_QUERY), call);
}

/** One security group by id. */
export function getSecurityGroup(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<SecurityGroupWire> {
  return getItem<SecurityGroupWire>(client, SECURITY_GROUPS, requireId("id", id), call);
}

/** A new security group (neutron adds two egress rules to it). */
export interface CreateSecurityGroupOptions {
  readonly name: string;
  readonly description?: string;
  readonly projectId?: string;
  readonly stateful?: boolean;
}

/** Creates a security group (`POST /v2.0/security-groups`, 201). */
export function createSecurityGroup(
  client: ServiceClient,
  options: CreateSecurityGroupOptions,
  call: CallOptions = {},
): Promise<SecurityGroupWire> {
  requireId("name", options.name);
  const body: SecurityGroupCreateWire = {
    name: options.name,
    ...compact({
      description: options.description,
      project_id: options.projectId,
      stateful: options.stateful,
    }),
  };
  return createItem<SecurityGroupWire>(client, SECURITY_GROUPS, body, call);
}

/** Changes to a security group. */
export interface UpdateSecurityGroupOptions {
  readonly name?: string;
  readonly description?: string;
  readonly stateful?: boolean;
}

/** Updates a security group (`PUT /v2.0/security-groups/{id}`). */
export function updateSecurityGroup(
  client: ServiceClient,
  id: string,
  changes: UpdateSecurityGroupOptions,
  call: CallOptions = {},
): Promise<SecurityGroupWire> {
  requireId("id", id);
  const body: SecurityGroupUpdateWire = compact({ ...changes });
  if (Object.keys(body).length === 0) throw new ValidationError("changes", "nothing to update");
  return updateItem<SecurityGroupWire>(client, SECURITY_GROUPS, id, body, call);
}

/** Deletes a security group (`DELETE /v2.0/security-groups/{id}`, 204). */
export function deleteSecurityGroup(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<void> {
  return deleteItem(client, SECURITY_GROUPS, requireId("id", id), call);
}
