/**
 * createServer's client tokens: the lease that lets one call at a time work on a token, and
 * the lookup of the server an earlier call made with it. See docs/decisions/0011.
 */
import { randomUUID } from "node:crypto";
import { collect } from "../http/paginate.js";
import { normalizeServer, type Server } from "../models/server.js";
import { listServersDetail } from "../services/compute/v2/servers/requests.js";
import { waitForLease } from "../state/lease.js";
import type { CloudContext } from "./context.js";
import { CLIENT_TOKEN_METADATA_KEY } from "./create-server-options.js";

/** How long a token's lease lives without renewal: a dead holder blocks the token this long. */
export const CLIENT_TOKEN_LEASE_TTL_MS = 60_000;

/**
 * The lease on one client token, held by one createServer call from its lookup to its result
 * (renewed meanwhile), so that the other calls with the token wait for that outcome and then
 * read the same server. A holder that stops renewing (a dead replica) loses it after
 * {@link CLIENT_TOKEN_LEASE_TTL_MS}, and the next caller takes over.
 *
 * Deletion is owned, not assumed: a call that gives an existing server to its caller records
 * that under the lease ({@link handOver}), and the call that created the server deletes it on
 * failure only if nobody was handed it ({@link mayDelete}).
 */
export class ClientTokenLease {
  readonly #ctx: CloudContext;
  readonly #name: string;
  readonly #handedKey: string;
  readonly #owner = randomUUID();
  #renewal: NodeJS.Timeout | undefined;
  #released = false;

  private constructor(ctx: CloudContext, scope: string, token: string) {
    this.#ctx = ctx;
    this.#name = `oaktree:client-token:${scope}:${token}`;
    this.#handedKey = `oaktree:client-token-handed:${scope}:${token}`;
  }

  /**
   * Waits (polling every 100 ms) until this call holds the token's lease; throws
   * `onTimeout()` at `deadline` and the signal's reason when aborted.
   */
  static async acquire(
    ctx: CloudContext,
    token: string,
    options: { readonly deadline: number; readonly onTimeout: () => Error; readonly signal?: AbortSignal },
  ): Promise<ClientTokenLease> {
    const scope = await ctx.scope();
    const lease = new ClientTokenLease(ctx, scope, token);
    try {
      await waitForLease(ctx.backend.leases, lease.#name, lease.#owner, {
        ttlMs: CLIENT_TOKEN_LEASE_TTL_MS,
        intervalMs: 100,
        ...options,
      });
    } catch (error) {
      // A signal that ends at the deadline aborts the wait: that is the timeout, said as such.
      if (Date.now() >= options.deadline) throw options.onTimeout();
      throw error;
    }
    // A failed renewal needs no action here: mayDelete asks the backend again before deleting.
    lease.#renewal = setInterval(() => {
      void lease.#renew().catch(() => {});
    }, CLIENT_TOKEN_LEASE_TTL_MS / 3);
    lease.#renewal.unref();
    return lease;
  }

  /**
   * Records that `serverId` was given to a caller (for `retainMs`): from now on the call
   * that created it must not delete it.
   */
  async handOver(serverId: string, retainMs: number): Promise<void> {
    await this.#ctx.backend.kv.set(this.#handedKey, serverId, retainMs + 2 * CLIENT_TOKEN_LEASE_TTL_MS);
  }

  /**
   * May the call that created `serverId` delete it on failure? Only while it still holds the
   * lease (renewed here, so nobody can hand the server over in between) and nobody was handed it.
   */
  async mayDelete(serverId: string): Promise<boolean> {
    if (!(await this.#renew())) return false;
    return (await this.#ctx.backend.kv.get<string>(this.#handedKey)) !== serverId;
  }

  /** Lets the next call with the token go on (idempotent). */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    clearInterval(this.#renewal);
    await this.#ctx.backend.leases.release(this.#name, this.#owner);
  }

  #renew(): Promise<boolean> {
    if (this.#released) return Promise.resolve(false);
    return this.#ctx.backend.leases.acquire(this.#name, this.#owner, CLIENT_TOKEN_LEASE_TTL_MS);
  }
}

/** The server an earlier create with this client token made, if any (found by its metadata). */
export async function findByClientToken(
  ctx: CloudContext,
  name: string,
  token: string,
  signal: AbortSignal | undefined,
): Promise<Server | undefined> {
  const compute = await ctx.client("compute", signal);
  const normalize = await ctx.normalizeContext();
  // NOTE: nova cannot filter by metadata; a retry keeps the name, so list by exact name.
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const servers = await collect(
    listServersDetail(compute, { name: `^${escaped}$` }, signal ? { signal } : {}),
  );
  const match = servers.find(
    (server) => server.metadata?.[CLIENT_TOKEN_METADATA_KEY] === token && server.status !== "DELETED",
  );
  return match ? normalizeServer(match, normalize) : undefined;
}
