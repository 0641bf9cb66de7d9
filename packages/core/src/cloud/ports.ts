import { NotFoundError } from "../http/errors.js";
import { normalizePort, type Port } from "../models/port.js";
import { signalOf } from "../services/call-options.js";
import {
  type CreatePortOptions as CreatePortWireOptions,
  createPort as createPortWire,
  deletePort as deletePortWire,
  getPort as getPortWire,
  listPorts as listPortsWire,
  type UpdatePortOptions,
  updatePort as updatePortWire,
} from "../services/network/v2/ports/requests.js";
import type { CloudContext } from "./context.js";
import { applyFilters, type FilterOptions, looksLikeId, pickOne } from "./find.js";
import {
  applyTags,
  defined,
  found,
  getNetwork,
  gone,
  type MarkOptions,
  markedDescription,
  type NetworkCallOptions,
  requireNonEmpty,
  withTags,
} from "./networks.js";

/** Options of {@link listPorts}: server-side filters plus model filters. */
export interface ListPortsOptions extends FilterOptions, NetworkCallOptions {
  readonly networkId?: string;
  /** The server or router using the port. */
  readonly deviceId?: string;
  readonly deviceOwner?: string;
  readonly tags?: readonly string[];
}

/** Every port the project sees (filtered on the server when the options say so). */
export async function listPorts(ctx: CloudContext, options: ListPortsOptions = {}): Promise<Port[]> {
  const network = await ctx.client("network", options.signal);
  const normalize = await ctx.normalizeContext();
  const query = {
    ...defined({
      networkId: options.networkId,
      deviceId: options.deviceId,
      deviceOwner: options.deviceOwner,
    }),
    ...(options.tags?.length && { tags: options.tags }),
  };
  const ports: Port[] = [];
  for await (const wire of listPortsWire(network, query, signalOf(options)))
    ports.push(normalizePort(wire, normalize));
  return applyFilters(ports, options.filters);
}

/**
 * A port by id (one GET) or name (a list), or undefined. Ports are numerous: an id is looked
 * up directly rather than by listing every port.
 */
export async function findPort(
  ctx: CloudContext,
  nameOrId: string,
  options: ListPortsOptions = {},
): Promise<Port | undefined> {
  requireNonEmpty("nameOrId", nameOrId);
  const network = await ctx.client("network", options.signal);
  if (looksLikeId(nameOrId)) {
    try {
      const port = normalizePort(
        await getPortWire(network, nameOrId, signalOf(options)),
        await ctx.normalizeContext(),
      );
      if (applyFilters([port], options.filters).length > 0) return port;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  const { filters, ...rest } = options;
  return pickOne("port", await listPorts(ctx, rest), nameOrId, filters);
}

/** Like {@link findPort}; a missing port is a ResourceNotFoundError. */
export async function getPort(
  ctx: CloudContext,
  nameOrId: string,
  options: ListPortsOptions = {},
): Promise<Port> {
  return found("port", nameOrId, await findPort(ctx, nameOrId, options));
}

/** Options of {@link createPort}: the network by name or id. */
export interface CreatePortOptions
  extends Omit<CreatePortWireOptions, "networkId" | "projectId" | "description">,
    MarkOptions,
    NetworkCallOptions {
  readonly network: string;
  readonly description?: string;
}

/** Creates a port, marked as oaktree's unless `managed: false`. */
export async function createPort(ctx: CloudContext, options: CreatePortOptions): Promise<Port> {
  requireNonEmpty("network", options.network);
  const { managed = true, tags, signal, description, network: networkName, ...fields } = options;
  const target = await getNetwork(ctx, networkName, signalOf(options));
  const wire = await createPortWire(
    await ctx.client("network", signal),
    { ...fields, networkId: target.id, ...defined({ description: markedDescription(description, managed) }) },
    signalOf(options),
  );
  return withTags(
    normalizePort(wire, await ctx.normalizeContext()),
    await applyTags(ctx, "ports", wire.id, options),
  );
}

/** Changes a port (by name or id). */
export async function updatePort(
  ctx: CloudContext,
  nameOrId: string,
  changes: UpdatePortOptions,
  options: NetworkCallOptions = {},
): Promise<Port> {
  const port = await getPort(ctx, nameOrId, options);
  const wire = await updatePortWire(
    await ctx.client("network", options.signal),
    port.id,
    changes,
    signalOf(options),
  );
  return normalizePort(wire, await ctx.normalizeContext());
}

/** Deletes a port (by name or id); false when there was none. */
export async function deletePort(
  ctx: CloudContext,
  nameOrId: string,
  options: NetworkCallOptions = {},
): Promise<boolean> {
  const port = await findPort(ctx, nameOrId, options);
  if (!port) return false;
  const network = await ctx.client("network", options.signal);
  return gone(() => deletePortWire(network, port.id, signalOf(options)));
}
