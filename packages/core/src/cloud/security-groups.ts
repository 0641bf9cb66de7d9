import { NotSupportedError, ValidationError } from "../errors.js";
import { NotFoundError } from "../http/errors.js";
import {
  normalizeNovaSecurityGroup,
  normalizeNovaSecurityGroupRule,
  normalizeSecurityGroup,
  normalizeSecurityGroupRule,
  type SecurityGroup,
  type SecurityGroupRule,
} from "../models/security-group.js";
import { signalOf } from "../services/call-options.js";
import {
  createNovaSecurityGroupRule,
  deleteNovaSecurityGroupRule,
} from "../services/compute/v2/security-group-rules/requests.js";
import {
  createNovaSecurityGroup,
  deleteNovaSecurityGroup,
  listNovaSecurityGroups,
} from "../services/compute/v2/security-groups/requests.js";
import {
  createSecurityGroupRule as createNeutronRule,
  deleteSecurityGroupRule as deleteNeutronRule,
} from "../services/network/v2/security-group-rules/requests.js";
import {
  createSecurityGroup as createNeutronGroup,
  deleteSecurityGroup as deleteNeutronGroup,
  listSecurityGroups as listNeutronGroups,
} from "../services/network/v2/security-groups/requests.js";
import { getCapabilities } from "./capabilities.js";
import type { CloudContext } from "./context.js";
import { applyFilters, type FilterOptions, pickOne, ResourceNotFoundError } from "./find.js";

/** Options every security group call takes. */
export interface SecurityGroupCallOptions {
  readonly signal?: AbortSignal;
}

/** Options of {@link createSecurityGroup}. */
export interface CreateSecurityGroupOptions extends SecurityGroupCallOptions {
  readonly name: string;
  readonly description?: string;
}

/** Options of {@link addSecurityGroupRule}. */
export interface AddSecurityGroupRuleOptions extends SecurityGroupCallOptions {
  /** The group (name or id) the rule belongs to. */
  readonly securityGroup: string;
  /** Default "ingress". nova-network has ingress rules only. */
  readonly direction?: "ingress" | "egress";
  /** Default "IPv4". */
  readonly ethertype?: "IPv4" | "IPv6";
  /** tcp, udp, icmp (nova-network knows only these); absent for any protocol. */
  readonly protocol?: string;
  readonly portRangeMin?: number;
  readonly portRangeMax?: number;
  /** A CIDR the rule admits; exclusive with remoteGroup. */
  readonly remoteIpPrefix?: string;
  /** A group (name or id) whose members the rule admits. */
  readonly remoteGroup?: string;
  readonly description?: string;
}

type Backend = "neutron" | "nova";

/** Which API serves security groups here; NotSupportedError (with the reason) when none does. */
async function backend(ctx: CloudContext, signal?: AbortSignal): Promise<Backend> {
  const { securityGroups } = await getCapabilities(ctx, signal ? { signal } : {});
  if (securityGroups.model === "none") {
    throw new NotSupportedError(`security groups: this cloud has none (${securityGroups.reason})`);
  }
  return securityGroups.model;
}

/**
 * The project's security groups, from neutron or nova-network (whichever the cloud has; see
 * Capabilities.securityGroups), in one shape. Empty on a cloud without security groups.
 */
export async function listSecurityGroups(
  ctx: CloudContext,
  options: FilterOptions & SecurityGroupCallOptions = {},
): Promise<SecurityGroup[]> {
  const { securityGroups } = await getCapabilities(ctx, signalOf(options));
  if (securityGroups.model === "none") return [];
  const normalize = await ctx.normalizeContext();
  let groups: SecurityGroup[];
  if (securityGroups.model === "neutron") {
    const network = await ctx.client("network", options.signal);
    const projectId = (await ctx.connection.token(options.signal)).project?.id;
    groups = [];
    // NOTE: neutron lists every project's groups to an admin: ask for this project's only.
    for await (const wire of listNeutronGroups(network, projectId ? { projectId } : {}, signalOf(options))) {
      groups.push(normalizeSecurityGroup(wire, normalize));
    }
  } else {
    const compute = await ctx.client("compute", options.signal);
    groups = (await listNovaSecurityGroups(compute, {}, signalOf(options))).map((wire) =>
      normalizeNovaSecurityGroup(wire, normalize),
    );
  }
  return applyFilters(groups, options.filters);
}

/** A security group by name or id (several of one name: an error listing them), or undefined. */
export async function findSecurityGroup(
  ctx: CloudContext,
  nameOrId: string,
  options: FilterOptions & SecurityGroupCallOptions = {},
): Promise<SecurityGroup | undefined> {
  requireNonEmpty("nameOrId", nameOrId);
  return pickOne(
    "security group",
    await listSecurityGroups(ctx, { ...signalOf(options) }),
    nameOrId,
    options.filters,
  );
}

/** The cache kind of security group references (`cache.expiration.security-group`, default 60 s). */
export const SECURITY_GROUP_CACHE_KIND = "security-group";

/**
 * The id of a security group by name or id, for references (createServer's
 * `securityGroups`): the project's id/name pairs are cached (kind `security-group`) and shared
 * by concurrent lookups; a miss lists again once. findSecurityGroup reads the cloud every time
 * (its rules change).
 */
export async function findSecurityGroupId(
  ctx: CloudContext,
  nameOrId: string,
  options: SecurityGroupCallOptions = {},
): Promise<string | undefined> {
  requireNonEmpty("nameOrId", nameOrId);
  const load = async () =>
    (await listSecurityGroups(ctx)).map((group) => ({ id: group.id, name: group.name }));
  const pick = (refs: { id: string; name: string }[]) => pickOne("security group", refs, nameOrId)?.id;
  return ctx.cache.find(SECURITY_GROUP_CACHE_KIND, "all", load, pick, options);
}

/** Like {@link findSecurityGroup}; a missing group is a ResourceNotFoundError. */
export async function getSecurityGroup(
  ctx: CloudContext,
  nameOrId: string,
  options: FilterOptions & SecurityGroupCallOptions = {},
): Promise<SecurityGroup> {
  const group = await findSecurityGroup(ctx, nameOrId, options);
  if (!group) throw new ResourceNotFoundError("security group", nameOrId);
  return group;
}

/** Creates a security group (with the cloud's default egress rules on neutron). */
export async function createSecurityGroup(
  ctx: CloudContext,
  options: CreateSecurityGroupOptions,
): Promise<SecurityGroup> {
  requireNonEmpty("name", options.name);
  const api = await backend(ctx, options.signal);
  const normalize = await ctx.normalizeContext();
  if (api === "neutron") {
    const network = await ctx.client("network", options.signal);
    const wire = await createNeutronGroup(
      network,
      { name: options.name, ...(options.description !== undefined && { description: options.description }) },
      signalOf(options),
    );
    await ctx.cache.invalidate(SECURITY_GROUP_CACHE_KIND);
    return normalizeSecurityGroup(wire, normalize);
  }
  const compute = await ctx.client("compute", options.signal);
  // NOTE: nova-network requires a description (an empty one is refused by old releases).
  const wire = await createNovaSecurityGroup(
    compute,
    { name: options.name, description: options.description || options.name },
    signalOf(options),
  );
  await ctx.cache.invalidate(SECURITY_GROUP_CACHE_KIND);
  return normalizeNovaSecurityGroup(wire, normalize);
}

/** Deletes a security group by name or id; false when there was none. */
export async function deleteSecurityGroup(
  ctx: CloudContext,
  nameOrId: string,
  options: SecurityGroupCallOptions = {},
): Promise<boolean> {
  const api = await backend(ctx, options.signal);
  const group = await findSecurityGroup(ctx, nameOrId, options);
  if (!group) return false;
  try {
    if (api === "neutron")
      await deleteNeutronGroup(await ctx.client("network", options.signal), group.id, signalOf(options));
    else
      await deleteNovaSecurityGroup(await ctx.client("compute", options.signal), group.id, signalOf(options));
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  } finally {
    await ctx.cache.invalidate(SECURITY_GROUP_CACHE_KIND);
  }
}

/**
 * Adds a rule to a group, on neutron or nova-network, returned in the one rule shape.
 * NOTE: nova-network rules are ingress only (egress is NotSupportedError), need a source (a
 * CIDR, defaulting to 0.0.0.0/0 or ::/0 by ethertype, or a group) and ports for tcp/udp
 * (defaulting to 1-65535) and icmp (-1/-1: any type and code), as shade fills them in.
 */
export async function addSecurityGroupRule(
  ctx: CloudContext,
  options: AddSecurityGroupRuleOptions,
): Promise<SecurityGroupRule> {
  requireNonEmpty("securityGroup", options.securityGroup);
  const direction = options.direction ?? "ingress";
  if (direction !== "ingress" && direction !== "egress") {
    throw new ValidationError("direction", 'must be "ingress" or "egress"');
  }
  const ethertype = options.ethertype ?? "IPv4";
  if (ethertype !== "IPv4" && ethertype !== "IPv6")
    throw new ValidationError("ethertype", 'must be "IPv4" or "IPv6"');
  if (options.remoteIpPrefix !== undefined && options.remoteGroup !== undefined) {
    throw new ValidationError("remoteGroup", "cannot be combined with remoteIpPrefix");
  }
  // One port given means that port alone (as the CLI's --dst-port 22 does).
  const portRangeMax = options.portRangeMax ?? options.portRangeMin;
  const api = await backend(ctx, options.signal);
  if (api === "nova" && direction === "egress") {
    throw new NotSupportedError("security group rules: nova-network has ingress rules only");
  }
  const protocol = options.protocol?.toLowerCase();
  if (api === "nova" && protocol !== undefined && !["tcp", "udp", "icmp"].includes(protocol)) {
    throw new ValidationError("protocol", 'nova-network takes "tcp", "udp" or "icmp"');
  }
  const groups = await listSecurityGroups(ctx, signalOf(options));
  const group = pickOne("security group", groups, options.securityGroup);
  if (!group) throw new ResourceNotFoundError("security group", options.securityGroup);
  let remoteGroupId: string | undefined;
  if (options.remoteGroup !== undefined) {
    const remote = pickOne("security group", groups, options.remoteGroup);
    if (!remote) throw new ResourceNotFoundError("security group", options.remoteGroup);
    remoteGroupId = remote.id;
  }
  if (api === "neutron") {
    const wire = await createNeutronRule(
      await ctx.client("network", options.signal),
      {
        securityGroupId: group.id,
        direction,
        ethertype,
        ...defined({
          protocol,
          portRangeMin: options.portRangeMin,
          portRangeMax,
          remoteIpPrefix: options.remoteIpPrefix,
          remoteGroupId,
          description: options.description,
        }),
      },
      signalOf(options),
    );
    return normalizeSecurityGroupRule(wire);
  }
  const anyPort = protocol === "icmp" ? -1 : 1;
  const lastPort = protocol === "icmp" ? -1 : 65535;
  const wire = await createNovaSecurityGroupRule(
    await ctx.client("compute", options.signal),
    {
      parentGroupId: group.id,
      ...(protocol !== undefined && {
        ipProtocol: protocol as "tcp" | "udp" | "icmp",
        fromPort: options.portRangeMin ?? anyPort,
        toPort: portRangeMax ?? lastPort,
      }),
      ...(remoteGroupId !== undefined
        ? { groupId: remoteGroupId }
        : { cidr: options.remoteIpPrefix ?? (ethertype === "IPv6" ? "::/0" : "0.0.0.0/0") }),
    },
    signalOf(options),
  );
  return normalizeNovaSecurityGroupRule(wire);
}

/** Deletes a rule by id; false when it was already gone. */
export async function deleteSecurityGroupRule(
  ctx: CloudContext,
  ruleId: string,
  options: SecurityGroupCallOptions = {},
): Promise<boolean> {
  requireNonEmpty("ruleId", ruleId);
  const api = await backend(ctx, options.signal);
  try {
    if (api === "neutron")
      await deleteNeutronRule(await ctx.client("network", options.signal), ruleId, signalOf(options));
    else
      await deleteNovaSecurityGroupRule(
        await ctx.client("compute", options.signal),
        ruleId,
        signalOf(options),
      );
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

function requireNonEmpty(field: string, value: string): void {
  if (typeof value !== "string" || value.trim() === "")
    throw new ValidationError(field, "must be a non-empty string");
}

function defined<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}
