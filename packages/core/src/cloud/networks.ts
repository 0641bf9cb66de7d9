import { ValidationError } from "../errors.js";
import { NotFoundError } from "../http/errors.js";
import { type Network, normalizeNetwork } from "../models/network.js";
import { normalizeSubnet, type Subnet } from "../models/subnet.js";
import { signalOf } from "../services/call-options.js";
import {
  type CreateNetworkOptions as CreateNetworkWireOptions,
  createNetwork as createNetworkWire,
  deleteNetwork as deleteNetworkWire,
  listNetworks as listNetworksWire,
  type UpdateNetworkOptions,
  updateNetwork as updateNetworkWire,
} from "../services/network/v2/networks/requests.js";
import type { NeutronListOptions } from "../services/network/v2/query.js";
import {
  type CreateSubnetOptions as CreateSubnetWireOptions,
  createSubnet as createSubnetWire,
  deleteSubnet as deleteSubnetWire,
  listSubnets as listSubnetsWire,
  type UpdateSubnetOptions,
  updateSubnet as updateSubnetWire,
} from "../services/network/v2/subnets/requests.js";
import { replaceTags } from "../services/network/v2/tags/requests.js";
import type { TaggableResource } from "../services/network/v2/tags/urls.js";
import { neutronFacts } from "./capabilities.js";
import { type CloudContext, NETWORK_CACHE_KIND } from "./context.js";
import { applyFilters, type FilterOptions, pickOne, ResourceNotFoundError } from "./find.js";
import { checkSubnetAddresses } from "./subnet-addresses.js";

// ---------------------------------------------------------------------------------------------
// Marking what oaktree creates

/** The tag every neutron resource oaktree creates carries. */
export const OAKTREE_TAG = "oaktree";
/** The second tag: oaktree manages (and may reclaim) the resource. */
export const OAKTREE_MANAGED_TAG = "oaktree:managed";
/** The description prefix that marks oaktree's resources where neutron has no tags (old clouds). */
export const OAKTREE_DESCRIPTION = "oaktree-managed";

/** Options every network call takes. */
export interface NetworkCallOptions {
  readonly signal?: AbortSignal;
}

/** What marks a resource oaktree creates. */
export interface MarkOptions {
  /** Mark the new resource as oaktree's (default true): tags `oaktree` + `oaktree:managed`. */
  readonly managed?: boolean;
  /** Further tags (e.g. `oaktree:auto-network`); need neutron's tag extension. */
  readonly tags?: readonly string[];
}

/**
 * True when oaktree created (and manages) the resource: it carries the `oaktree:managed` tag,
 * or, on clouds without neutron tags, its description starts with `oaktree-managed`.
 */
export function isOaktreeManaged(resource: {
  readonly tags: readonly string[];
  readonly description?: string;
}): boolean {
  return (
    resource.tags.includes(OAKTREE_MANAGED_TAG) ||
    (resource.description ?? "").startsWith(OAKTREE_DESCRIPTION)
  );
}

/** True when neutron takes tags (extension "standard-attr-tag", or the older "tag"). */
export async function supportsTags(ctx: CloudContext): Promise<boolean> {
  const { extensions } = await neutronFacts(ctx);
  return extensions.has("standard-attr-tag") || extensions.has("tag");
}

/** The description of a new resource: the caller's, prefixed with the mark when managed. */
export function markedDescription(description: string | undefined, managed: boolean): string | undefined {
  if (!managed) return description;
  return description ? `${OAKTREE_DESCRIPTION}: ${description}` : OAKTREE_DESCRIPTION;
}

/**
 * Tags a new resource (PUT /{resource}/{id}/tags) with the marks and the caller's tags; a
 * no-op without neutron tags (the description carries the mark). Returns the tags set.
 */
export async function applyTags(
  ctx: CloudContext,
  resource: TaggableResource,
  id: string,
  options: MarkOptions & NetworkCallOptions,
): Promise<readonly string[] | undefined> {
  const tags = [
    ...(options.managed === false ? [] : [OAKTREE_TAG, OAKTREE_MANAGED_TAG]),
    ...(options.tags ?? []),
  ];
  if (tags.length === 0) return undefined;
  if (!(await supportsTags(ctx))) {
    if (options.tags?.length) throw new ValidationError("tags", "this cloud's neutron has no tag extension");
    return undefined;
  }
  return replaceTags(await ctx.client("network", options.signal), resource, id, tags, signalOf(options));
}

// ---------------------------------------------------------------------------------------------
// Networks

/** Options of {@link listNetworks}. */
export interface ListNetworksOptions extends FilterOptions, NetworkCallOptions {
  /** Only networks with every one of these tags (server-side). */
  readonly tags?: readonly string[];
  /** Only external (true) or internal (false) networks (server-side). */
  readonly external?: boolean;
}

/** Every network the project sees (its own, shared and external ones). */
export async function listNetworks(ctx: CloudContext, options: ListNetworksOptions = {}): Promise<Network[]> {
  const network = await ctx.client("network", options.signal);
  const normalize = await ctx.normalizeContext();
  const query: NeutronListOptions & { routerExternal?: boolean } = {
    ...(options.tags?.length && { tags: options.tags }),
    ...(options.external !== undefined && { routerExternal: options.external }),
  };
  const networks: Network[] = [];
  for await (const wire of listNetworksWire(network, query, signalOf(options)))
    networks.push(normalizeNetwork(wire, normalize));
  return applyFilters(networks, options.filters);
}

/** A network by name or id, or undefined (several of one name: an error listing them). */
export async function findNetwork(
  ctx: CloudContext,
  nameOrId: string,
  options: ListNetworksOptions = {},
): Promise<Network | undefined> {
  requireNonEmpty("nameOrId", nameOrId);
  const { filters, ...rest } = options;
  return pickOne("network", await listNetworks(ctx, rest), nameOrId, filters);
}

/** Like {@link findNetwork}; a missing network is a ResourceNotFoundError. */
export async function getNetwork(
  ctx: CloudContext,
  nameOrId: string,
  options: ListNetworksOptions = {},
): Promise<Network> {
  return found("network", nameOrId, await findNetwork(ctx, nameOrId, options));
}

/**
 * Every network the project sees, for lookups (names to ids, get-me-a-network's choice):
 * cached (kind `network`, clouds.yaml `cache.expiration.network`, default 60 s), one listing
 * shared by concurrent callers. listNetworks and findNetwork read neutron every time.
 */
export function listNetworksForLookup(
  ctx: CloudContext,
  options: NetworkCallOptions = {},
): Promise<Network[]> {
  return ctx.cache.getOrLoad(NETWORK_CACHE_KIND, "all", () => listNetworks(ctx), options);
}

/**
 * The id of a network by name or id, for references (createServer's `network`), from the
 * cached list; a miss lists again once, so a network created since is found. Undefined when
 * none matches; several of one name are an error listing them.
 */
export async function findNetworkId(
  ctx: CloudContext,
  nameOrId: string,
  options: NetworkCallOptions = {},
): Promise<string | undefined> {
  requireNonEmpty("nameOrId", nameOrId);
  const pick = (networks: Network[]) => pickOne("network", networks, nameOrId)?.id;
  return ctx.cache.find(NETWORK_CACHE_KIND, "all", () => listNetworks(ctx), pick, options);
}

/** Forgets the cached network lists: every network write through oaktree calls this. */
export function invalidateNetworks(ctx: CloudContext): Promise<void> {
  return ctx.cache.invalidate(NETWORK_CACHE_KIND);
}

/** Options of {@link createNetwork}. */
export interface CreateNetworkOptions
  extends Omit<CreateNetworkWireOptions, "projectId" | "description">,
    MarkOptions,
    NetworkCallOptions {
  readonly description?: string;
}

/** Creates a network, marked as oaktree's unless `managed: false`. */
export async function createNetwork(ctx: CloudContext, options: CreateNetworkOptions = {}): Promise<Network> {
  const { managed = true, tags, signal, description, ...fields } = options;
  const network = await ctx.client("network", signal);
  const wire = await createNetworkWire(
    network,
    { ...fields, ...defined({ description: markedDescription(description, managed) }) },
    signalOf(options),
  );
  await invalidateNetworks(ctx);
  return withTags(
    normalizeNetwork(wire, await ctx.normalizeContext()),
    await applyTags(ctx, "networks", wire.id, options),
  );
}

/** Changes a network (by name or id). */
export async function updateNetwork(
  ctx: CloudContext,
  nameOrId: string,
  changes: UpdateNetworkOptions,
  options: NetworkCallOptions = {},
): Promise<Network> {
  const target = await getNetwork(ctx, nameOrId, options);
  const wire = await updateNetworkWire(
    await ctx.client("network", options.signal),
    target.id,
    changes,
    signalOf(options),
  );
  await invalidateNetworks(ctx);
  return normalizeNetwork(wire, await ctx.normalizeContext());
}

/** Deletes a network (by name or id); false when there was none. */
export async function deleteNetwork(
  ctx: CloudContext,
  nameOrId: string,
  options: NetworkCallOptions = {},
): Promise<boolean> {
  const target = await findNetwork(ctx, nameOrId, options);
  if (!target) return false;
  const network = await ctx.client("network", options.signal);
  try {
    return await gone(() => deleteNetworkWire(network, target.id, signalOf(options)));
  } finally {
    await invalidateNetworks(ctx);
  }
}

// ---------------------------------------------------------------------------------------------
// Subnets

/** Options of {@link listSubnets}. */
export interface ListSubnetsOptions extends FilterOptions, NetworkCallOptions {
  /** Only subnets of this network id (server-side). */
  readonly networkId?: string;
  readonly tags?: readonly string[];
}

/** Every subnet the project sees. */
export async function listSubnets(ctx: CloudContext, options: ListSubnetsOptions = {}): Promise<Subnet[]> {
  const network = await ctx.client("network", options.signal);
  const normalize = await ctx.normalizeContext();
  const subnets: Subnet[] = [];
  const query = {
    ...defined({ networkId: options.networkId }),
    ...(options.tags?.length && { tags: options.tags }),
  };
  for await (const wire of listSubnetsWire(network, query, signalOf(options)))
    subnets.push(normalizeSubnet(wire, normalize));
  return applyFilters(subnets, options.filters);
}

/** A subnet by name or id, or undefined. */
export async function findSubnet(
  ctx: CloudContext,
  nameOrId: string,
  options: ListSubnetsOptions = {},
): Promise<Subnet | undefined> {
  requireNonEmpty("nameOrId", nameOrId);
  const { filters, ...rest } = options;
  return pickOne("subnet", await listSubnets(ctx, rest), nameOrId, filters);
}

/** Like {@link findSubnet}; a missing subnet is a ResourceNotFoundError. */
export async function getSubnet(
  ctx: CloudContext,
  nameOrId: string,
  options: ListSubnetsOptions = {},
): Promise<Subnet> {
  return found("subnet", nameOrId, await findSubnet(ctx, nameOrId, options));
}

/** Options of {@link createSubnet}: the network by name or id, a CIDR or a subnet pool. */
export interface CreateSubnetOptions
  extends Omit<CreateSubnetWireOptions, "networkId" | "projectId" | "ipVersion" | "description">,
    MarkOptions,
    NetworkCallOptions {
  /** The network, by name or id. */
  readonly network: string;
  /** Default 4. */
  readonly ipVersion?: 4 | 6;
  readonly description?: string;
}

/** Creates a subnet, marked as oaktree's unless `managed: false`. */
export async function createSubnet(ctx: CloudContext, options: CreateSubnetOptions): Promise<Subnet> {
  requireNonEmpty("network", options.network);
  const {
    managed = true,
    tags,
    signal,
    description,
    network: networkName,
    ipVersion = 4,
    ...fields
  } = options;
  if (fields.cidr === undefined && fields.subnetpoolId === undefined && !fields.useDefaultSubnetpool) {
    throw new ValidationError("cidr", "is required unless a subnet pool is given");
  }
  checkSubnetAddresses({ ...fields, ipVersion });
  const target = await getNetwork(ctx, networkName, { ...signalOf(options) });
  const wire = await createSubnetWire(
    await ctx.client("network", signal),
    {
      ...fields,
      networkId: target.id,
      ipVersion,
      ...defined({ description: markedDescription(description, managed) }),
    },
    signalOf(options),
  );
  return withTags(
    normalizeSubnet(wire, await ctx.normalizeContext()),
    await applyTags(ctx, "subnets", wire.id, options),
  );
}

/** Changes a subnet (by name or id). */
export async function updateSubnet(
  ctx: CloudContext,
  nameOrId: string,
  changes: UpdateSubnetOptions,
  options: NetworkCallOptions = {},
): Promise<Subnet> {
  const target = await getSubnet(ctx, nameOrId, options);
  const wire = await updateSubnetWire(
    await ctx.client("network", options.signal),
    target.id,
    changes,
    signalOf(options),
  );
  return normalizeSubnet(wire, await ctx.normalizeContext());
}

/** Deletes a subnet (by name or id); false when there was none. */
export async function deleteSubnet(
  ctx: CloudContext,
  nameOrId: string,
  options: NetworkCallOptions = {},
): Promise<boolean> {
  const target = await findSubnet(ctx, nameOrId, options);
  if (!target) return false;
  const network = await ctx.client("network", options.signal);
  return gone(() => deleteSubnetWire(network, target.id, signalOf(options)));
}

// ---------------------------------------------------------------------------------------------
// Helpers shared with routers.ts, ports.ts and get-me-a-network.ts

/** The object, or a ResourceNotFoundError naming what was asked for. */
export function found<T>(kind: string, nameOrId: string, value: T | undefined): T {
  if (value === undefined) throw new ResourceNotFoundError(kind, nameOrId);
  return value;
}

/** Runs a delete; a 404 (someone deleted it first) means false. */
export async function gone(remove: () => Promise<unknown>): Promise<boolean> {
  try {
    await remove();
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

/** A model with the tags tagging set (neutron's create answer predates them). */
export function withTags<T extends { readonly tags: readonly string[] }>(
  model: T,
  tags: readonly string[] | undefined,
): T {
  return tags ? { ...model, tags: [...tags] } : model;
}

/** Fails before any I/O when a name or id argument is missing or blank. */
export function requireNonEmpty(field: string, value: string): void {
  if (typeof value !== "string" || value.trim() === "")
    throw new ValidationError(field, "must be a non-empty string");
}

/** A copy without the undefined fields. */
export function defined<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}
