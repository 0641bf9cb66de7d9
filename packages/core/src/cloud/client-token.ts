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
 * What one createServer with a client token has made, kept in the state backend (a hash per
 * scope, one field per token) so that any replica can tell a boot that was never handed to
 * its client (`pending`, its call gone) from one that was (`delivered`): the reclaimer
 * (reclaim.ts) deletes only the former. See docs/decisions/0024.
 */
export interface ClientTokenRecord {
  readonly token: string;
  /** The server's name (nova lists by name; the token is in its metadata). */
  readonly name: string;
  readonly state: "pending" | "delivered";
  /** Milliseconds since the epoch: the first write, and the last change. */
  readonly startedAt: number;
  readonly updatedAt: number;
  readonly serverId?: string;
  /** Floating IPs the call bound: `created` ones are deleted on reclaim, reused ones detached. */
  readonly floatingIps: readonly { readonly id: string; readonly created: boolean }[];
  readonly volumeIds: readonly string[];
}

/** The state-backend key of a scope's client-token records. */
export function clientTokenRecordsKey(scope: string): string {
  return `oaktree:client-token-records:${scope}`;
}

/** Every client-token record of the context's scope, by token. */
export async function listClientTokenRecords(ctx: CloudContext): Promise<Map<string, ClientTokenRecord>> {
  return ctx.backend.maps.getAll<ClientTokenRecord>(clientTokenRecordsKey(await ctx.scope()));
}

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
  readonly #recordsKey: string;
  readonly #owner = randomUUID();
  readonly token: string;
  #record: ClientTokenRecord | undefined;
  #renewal: NodeJS.Timeout | undefined;
  #released = false;

  private constructor(ctx: CloudContext, scope: string, token: string) {
    this.#ctx = ctx;
    this.token = token;
    this.#name = `oaktree:client-token:${scope}:${token}`;
    this.#handedKey = `oaktree:client-token-handed:${scope}:${token}`;
    this.#recordsKey = clientTokenRecordsKey(scope);
  }

  /**
   * Takes the token's lease only if it is free right now (the reclaimer: a token somebody is
   * working on is not abandoned). Not renewed: the holder must finish within the lease's TTL or
   * call {@link stillHeld} before each step that must not race a new holder.
   */
  static async tryAcquire(ctx: CloudContext, token: string): Promise<ClientTokenLease | undefined> {
    const lease = new ClientTokenLease(ctx, await ctx.scope(), token);
    if (!(await ctx.backend.leases.acquire(lease.#name, lease.#owner, CLIENT_TOKEN_LEASE_TTL_MS))) {
      return undefined;
    }
    return lease;
  }

  /** Renews the lease; false when another call holds it now. */
  stillHeld(): Promise<boolean> {
    return this.#renew();
  }

  /** The token's record as the state backend has it now (another replica may have written it). */
  async readRecord(): Promise<ClientTokenRecord | undefined> {
    const all = await this.#ctx.backend.maps.getAll<ClientTokenRecord>(this.#recordsKey);
    this.#record = all.get(this.token);
    return this.#record;
  }

  /**
   * Starts this call's record: `pending`, before its first write to the cloud, so that a crash
   * at any later point leaves a record the reclaimer can act on.
   */
  async recordPending(name: string): Promise<void> {
    const now = Date.now();
    await this.#writeRecord({
      token: this.token,
      name,
      state: "pending",
      startedAt: now,
      updatedAt: now,
      floatingIps: [],
      volumeIds: [],
    });
  }

  /** Adds what the cloud has just accepted to the record (right after the create call). */
  async recordCreated(
    what:
      | { readonly serverId: string }
      | { readonly floatingIp: { readonly id: string; readonly created: boolean } }
      | { readonly volumeId: string },
  ): Promise<void> {
    const record = this.#record;
    if (!record) return;
    await this.#writeRecord({
      ...record,
      updatedAt: Date.now(),
      ...("serverId" in what && { serverId: what.serverId }),
      ...("floatingIp" in what && { floatingIps: [...record.floatingIps, what.floatingIp] }),
      ...("volumeId" in what && { volumeIds: [...record.volumeIds, what.volumeId] }),
    });
  }

  /** The call's result is going to its client: nothing of it may be reclaimed any more. */
  async recordDelivered(name: string, serverId: string): Promise<void> {
    const now = Date.now();
    const record = this.#record ?? {
      token: this.token,
      name,
      state: "delivered",
      startedAt: now,
      updatedAt: now,
      floatingIps: [],
      volumeIds: [],
    };
    await this.#writeRecord({ ...record, state: "delivered", serverId, updatedAt: now });
  }

  /**
   * Removes the record: everything it listed is gone (a rolled-back create, a reclaim). Only
   * while this call still holds the lease: a new holder's record is not this call's to drop.
   */
  async forgetRecord(): Promise<void> {
    if (!(await this.#renew())) return;
    this.#record = undefined;
    await this.#ctx.backend.maps.deleteFields(this.#recordsKey, [this.token]);
  }

  async #writeRecord(record: ClientTokenRecord): Promise<void> {
    this.#record = record;
    await this.#ctx.backend.maps.setFields(this.#recordsKey, new Map([[this.token, record]]));
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
