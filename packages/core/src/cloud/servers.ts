import { OaktreeError } from "../errors.js";
import { NotFoundError } from "../http/errors.js";
import { collect } from "../http/paginate.js";
import { normalizeServer, type Server } from "../models/server.js";
import {
  deleteServer as deleteServerCall,
  getServer as getServerCall,
  type ListServersOptions,
  listServersDetail,
} from "../services/compute/v2/servers/requests.js";
import type { Judge, SharedWatch, WaitResult } from "../state/watch.js";
import type { CloudContext } from "./context.js";
import { applyFilters, type FilterOptions, looksLikeId, pickOne, ResourceNotFoundError } from "./find.js";

/** Server list filters the API applies (`name` is a regular expression in nova). */
export type ServerQuery = Pick<ListServersOptions, "name" | "status" | "image" | "flavor" | "ip" | "tags">;

/** Options of the porcelain's server list: nova-side filters plus local ones. */
export interface ListServersPorcelainOptions extends FilterOptions {
  readonly query?: ServerQuery;
  readonly signal?: AbortSignal;
}

/** Every server of the project (all pages), normalized, narrowed by `filters`. */
export async function listServers(
  ctx: CloudContext,
  options: ListServersPorcelainOptions = {},
): Promise<Server[]> {
  const compute = await ctx.client("compute", options.signal);
  const normalize = await ctx.normalizeContext();
  const wires = await collect(listServersDetail(compute, options.query ?? {}, signalOf(options.signal)));
  return applyFilters(
    wires.map((wire) => normalizeServer(wire, normalize)),
    options.filters,
  );
}

/** One server by id, or undefined when there is none. */
export async function getServerById(
  ctx: CloudContext,
  id: string,
  signal?: AbortSignal,
): Promise<Server | undefined> {
  const compute = await ctx.client("compute", signal);
  try {
    return normalizeServer(await getServerCall(compute, id, signalOf(signal)), await ctx.normalizeContext());
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/**
 * The server whose id or name is `nameOrId` (undefined when none); a name that several
 * servers have is an AmbiguousNameError listing them.
 */
export async function findServer(
  ctx: CloudContext,
  nameOrId: string,
  options: FilterOptions & { readonly signal?: AbortSignal } = {},
): Promise<Server | undefined> {
  if (looksLikeId(nameOrId)) {
    const byId = await getServerById(ctx, nameOrId, options.signal);
    if (byId && applyFilters([byId], options.filters).length === 1) return byId;
  }
  // NOTE: nova's `name` filter is a regular expression: anchor and escape it for an exact match.
  const servers = await listServers(ctx, {
    query: { name: `^${escapeRegExp(nameOrId)}$` },
    ...(options.signal && { signal: options.signal }),
  });
  return pickOne("server", servers, nameOrId, options.filters);
}

/** Like findServer, but a missing server is a ResourceNotFoundError. */
export async function getServer(
  ctx: CloudContext,
  nameOrId: string,
  options: FilterOptions & { readonly signal?: AbortSignal } = {},
): Promise<Server> {
  const server = await findServer(ctx, nameOrId, options);
  if (!server) throw new ResourceNotFoundError("server", nameOrId);
  return server;
}

/**
 * The shared watch of the project's servers: a few waiters are served by `GET /servers/{id}`
 * each; from `listAtWaiters` servers on (or with a subscriber), one `GET /servers/detail` per
 * interval serves everyone, incremental through `changes-since` (which also reports deleted
 * servers), with a full listing every `reconcileEveryMs`.
 */
export async function serverWatch(ctx: CloudContext): Promise<SharedWatch<Server>> {
  const key = `${await ctx.scope()}/servers`;
  const compute = await ctx.client("compute");
  const normalize = await ctx.normalizeContext();
  const list = async (options: ListServersOptions, signal: AbortSignal) =>
    (await collect(listServersDetail(compute, options, { signal }))).map((wire) =>
      normalizeServer(wire, normalize),
    );
  return ctx.watches.watch<Server>(key, () => ({
    listAll: (signal) => list({}, signal),
    listChangedSince: (since, signal) => list({ changesSince: since }, signal),
    get: (id, signal) => getServerById(ctx, id, signal),
    idOf: (server) => server.id,
    changedAtOf: (server) => server.updatedAt,
    isDeleted: (server) => server.status === "DELETED",
  }));
}

/** How long to wait for a server, and how to stop waiting early. */
export interface WaitOptions {
  /** Default 600 000 (ten minutes). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** ACTIVE is success; ERROR, or vanishing once seen, is failure. */
export const untilActive: Judge<Server> = (server, seen) => {
  if (server?.status === "ACTIVE") return "success";
  if (server?.status === "ERROR" || (seen && !server)) return "failure";
  return "pending";
};

/** Gone from the listing is success. */
export const untilGone: Judge<Server> = (server) => (server ? "pending" : "success");

/**
 * Waits, through the shared watch, until the server is ACTIVE (success), ERROR or deleted
 * (failure), the timeout passes or the signal aborts. Never throws for those outcomes.
 */
export async function waitForServer(
  ctx: CloudContext,
  id: string,
  options: WaitOptions & { readonly judge?: Judge<Server> } = {},
): Promise<WaitResult<Server>> {
  const watch = await serverWatch(ctx);
  return watch.waitFor(id, options.judge ?? untilActive, {
    timeoutMs: options.timeoutMs ?? 600_000,
    ...(options.signal && { signal: options.signal }),
  });
}

/** Deletes a server by id (a 404 counts as done) and optionally waits until it is gone. */
export async function deleteServerById(
  ctx: CloudContext,
  id: string,
  options: WaitOptions & { readonly wait?: boolean } = {},
): Promise<WaitResult<Server>> {
  const compute = await ctx.client("compute", options.signal);
  try {
    await deleteServerCall(compute, id, signalOf(options.signal));
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    return { state: "success" };
  }
  if (!options.wait) return { state: "success" };
  return waitForServer(ctx, id, { ...options, judge: untilGone });
}

/**
 * Deletes a server and waits until nova no longer has it; throws an OaktreeError when that is
 * not confirmed in `timeoutMs` (the server may still exist: the caller must say so).
 */
export async function deleteServerUntilGone(
  ctx: CloudContext,
  id: string,
  options: WaitOptions = {},
): Promise<void> {
  const result = await deleteServerById(ctx, id, { ...options, wait: true });
  if (result.state === "success") return;
  const why =
    result.state === "error"
      ? `the cloud could not be read: ${result.error?.message}`
      : `wait ${result.state}${result.value ? `, last status ${result.value.status}` : ""}`;
  throw new OaktreeError(`server ${id} was deleted but is not confirmed gone (${why}): it may still exist`, {
    cause: result.error,
  });
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function signalOf(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}
