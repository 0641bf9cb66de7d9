import { OaktreeError, ValidationError } from "../../../../errors.js";
import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { requireId } from "../../../query.js";
import { proxyVersionField } from "../floating-ips/proxy.js";
import { NOVA_SECURITY_GROUPS_PATH, novaSecurityGroupPath, serverSecurityGroupsPath } from "./urls.js";
import type { NovaSecurityGroupCreateWire, NovaSecurityGroupWire } from "./wire.js";

const WHAT = "os-security-groups";

function groupOf(body: unknown): NovaSecurityGroupWire {
  const group = (body as { security_group?: NovaSecurityGroupWire } | undefined)?.security_group;
  if (!group) throw new OaktreeError('compute: the os-security-groups response has no "security_group"');
  return group;
}

/** Filters of `GET /os-security-groups`. */
export interface ListNovaSecurityGroupsOptions {
  /** Admin only: every project's groups. */
  readonly allTenants?: boolean;
}

/** Security groups through nova (`GET /os-security-groups`; not paged). */
export async function listNovaSecurityGroups(
  client: ServiceClient,
  options: ListNovaSecurityGroupsOptions = {},
  call: CallOptions = {},
): Promise<NovaSecurityGroupWire[]> {
  const response = await client.request({
    method: "GET",
    path: NOVA_SECURITY_GROUPS_PATH,
    ...(options.allTenants && { query: { all_tenants: 1 } }),
    okStatus: [200],
    ...proxyVersionField(client, WHAT),
    ...callFields(call),
  });
  return [...(response.json<{ security_groups?: NovaSecurityGroupWire[] }>()?.security_groups ?? [])];
}

/** The security groups of one server (`GET /servers/{id}/os-security-groups`). */
export async function listServerNovaSecurityGroups(
  client: ServiceClient,
  serverId: string,
  call: CallOptions = {},
): Promise<NovaSecurityGroupWire[]> {
  requireId("serverId", serverId);
  const response = await client.request({
    method: "GET",
    path: serverSecurityGroupsPath(serverId),
    okStatus: [200],
    ...callFields(call),
  });
  return [...(response.json<{ security_groups?: NovaSecurityGroupWire[] }>()?.security_groups ?? [])];
}

/** One security group by id. */
export async function getNovaSecurityGroup(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<NovaSecurityGroupWire> {
  requireId("id", id);
  const response = await client.request({
    method: "GET",
    path: novaSecurityGroupPath(id),
    okStatus: [200],
    ...proxyVersionField(client, WHAT),
    ...callFields(call),
  });
  return groupOf(response.json());
}

/** A security group's name and description (nova requires a description; "" is sent by default). */
export interface NovaSecurityGroupOptions {
  readonly name: string;
  readonly description?: string;
}

function groupBody(options: NovaSecurityGroupOptions): { security_group: NovaSecurityGroupCreateWire } {
  requireId("name", options.name);
  if (options.name.length > 255) throw new ValidationError("name", "must be at most 255 characters");
  return { security_group: { name: options.name, description: options.description ?? "" } };
}

/** Creates a security group (`POST /os-security-groups`, 200). */
export async function createNovaSecurityGroup(
  client: ServiceClient,
  options: NovaSecurityGroupOptions,
  call: CallOptions = {},
): Promise<NovaSecurityGroupWire> {
  const json = groupBody(options);
  const response = await client.request({
    method: "POST",
    path: NOVA_SECURITY_GROUPS_PATH,
    json,
    okStatus: [200],
    ...proxyVersionField(client, WHAT),
    ...callFields(call),
  });
  return groupOf(response.json());
}

/** Renames or redescribes a security group (`PUT /os-security-groups/{id}`: both fields sent). */
export async function updateNovaSecurityGroup(
  client: ServiceClient,
  id: string,
  options: NovaSecurityGroupOptions,
  call: CallOptions = {},
): Promise<NovaSecurityGroupWire> {
  requireId("id", id);
  const json = groupBody(options);
  const response = await client.request({
    method: "PUT",
    path: novaSecurityGroupPath(id),
    json,
    okStatus: [200],
    ...proxyVersionField(client, WHAT),
    ...callFields(call),
  });
  return groupOf(response.json());
}

/** Deletes a security group (`DELETE /os-security-groups/{id}`, 202). */
export async function deleteNovaSecurityGroup(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<void> {
  requireId("id", id);
  await client.request({
    method: "DELETE",
    path: novaSecurityGroupPath(id),
    okStatus: [202],
    ...proxyVersionField(client, WHAT),
    ...callFields(call),
  });
}
