/**
 * Finding and deleting what a createServer left behind when its process died: the objects of
 * client-token records still `pending` (never handed to a client) whose call is gone, and the
 * count of oaktree-marked objects no record vouches for. See docs/decisions/0024.
 */
import { NotFoundError } from "../http/errors.js";
import type { FloatingIp } from "../models/floating-ip.js";
import type { Server } from "../models/server.js";
import type { Volume } from "../models/volume.js";
import {
  ClientTokenLease,
  type ClientTokenRecord,
  findByClientToken,
  listClientTokenRecords,
} from "./client-token.js";
import type { CloudContext } from "./context.js";
import { CLIENT_TOKEN_METADATA_KEY } from "./create-server-options.js";
import { deleteFloatingIp, detachFloatingIp, floatingIpOfServer, listFloatingIps } from "./floating-ips.js";
import { MANAGED_METADATA_KEY, parseFloatingIpMark, TOKEN_HASH_METADATA_KEY, tokenHash } from "./markers.js";
import { CLEANUP_GRACE_MS } from "./rollback.js";
import { deleteServerUntilGone, listServers } from "./servers.js";
import { deleteVolume, listVolumes, waitForVolume } from "./volumes.js";

/** Options of {@link reclaimAbandoned}. */
export interface ReclaimOptions {
  /** A pending record untouched for longer than this is abandoned (ms). */
  readonly graceMs: number;
  /** Delivered records are kept this long (ms), then dropped. Default one day. */
  readonly deliveredRetentionMs?: number;
  readonly now?: () => number;
  readonly signal?: AbortSignal;
}

/** What one pass of {@link reclaimAbandoned} did. */
export interface ReclaimReport {
  /** Tokens whose leftovers were deleted, with what was deleted. */
  readonly reclaimed: readonly { readonly token: string; readonly deleted: readonly string[] }[];
  /** Pending records left alone: younger than the grace, or their token's lease is held. */
  readonly waiting: number;
  /** Objects of abandoned records that could not be deleted (tried again next pass). */
  readonly failures: readonly { readonly token: string; readonly what: string; readonly error: unknown }[];
  /**
   * oaktree-marked objects no record vouches for (never deleted, only counted): unattached
   * floating IPs and available volumes with no pending record, and servers with a client token
   * but no record, made within the delivered records' retention.
   */
  readonly unvouched: { readonly servers: number; readonly floatingIps: number; readonly volumes: number };
}

/** Default retention of delivered records. */
export const DELIVERED_RETENTION_MS = 24 * 3600 * 1000;

/**
 * One reclaim pass over the context's scope. A pending record older than `graceMs` whose
 * token's lease is free (no call works on it) is abandoned: its server (with the floating IPs
 * it created, detaching the reused ones) and volumes are deleted, and the record dropped.
 * Nothing a client received is touched: a delivered record is only ever dropped after its
 * retention; an object with no record is counted, never deleted.
 */
export async function reclaimAbandoned(ctx: CloudContext, options: ReclaimOptions): Promise<ReclaimReport> {
  const now = options.now ?? Date.now;
  const retention = options.deliveredRetentionMs ?? DELIVERED_RETENTION_MS;
  const records = await listClientTokenRecords(ctx);
  const reclaimed: { token: string; deleted: string[] }[] = [];
  const failures: { token: string; what: string; error: unknown }[] = [];
  let waiting = 0;
  for (const record of records.values()) {
    options.signal?.throwIfAborted();
    if (record.state === "delivered") {
      if (now() - record.updatedAt > retention) await dropRecord(ctx, record.token);
      continue;
    }
    if (now() - record.updatedAt <= options.graceMs) {
      waiting += 1;
      continue;
    }
    const lease = await ClientTokenLease.tryAcquire(ctx, record.token);
    if (!lease) {
      waiting += 1;
      continue;
    }
    try {
      // Read again under the lease: a reissue may have delivered it since the list.
      const current = await lease.readRecord();
      if (current?.state !== "pending") continue;
      const result = await deleteLeftovers(ctx, current, options.signal);
      for (const failure of result.failures) failures.push({ token: record.token, ...failure });
      if (result.failures.length === 0) await lease.forgetRecord();
      reclaimed.push({ token: record.token, deleted: result.deleted });
    } finally {
      await lease.release();
    }
  }
  const unvouched = await countUnvouched(ctx, records, now() - retention, options.signal);
  return { reclaimed, waiting, failures, unvouched };
}

/**
 * Deletes what a dead create with this record's token left: the server (found by the record
 * or by its metadata) after the floating IPs bound to it (created: deleted; reused: detached),
 * the floating IPs marked with the token's hash that are bound to nothing, and the volumes the
 * record lists or that carry the token's hash, in both cases marked since the record started
 * (an earlier, delivered call with the same token may have left its client a kept volume).
 * Goes on past failures and returns them.
 */
export async function deleteLeftovers(
  ctx: CloudContext,
  record: Pick<ClientTokenRecord, "token" | "name" | "startedAt" | "floatingIps" | "volumeIds">,
  signal?: AbortSignal,
): Promise<{ deleted: string[]; failures: { what: string; error: unknown }[] }> {
  const deleted: string[] = [];
  const failures: { what: string; error: unknown }[] = [];
  const attempt = async (what: string, undo: () => Promise<void>) => {
    try {
      await undo();
      deleted.push(what);
    } catch (error) {
      failures.push({ what, error });
    }
  };
  const mark = { hash: tokenHash(record.token), since: record.startedAt - MARK_CLOCK_SKEW_MS };
  const server = await findServer(ctx, record, signal);
  if (server) {
    const bound = await floatingIpOfServer(ctx, server, signal ? { signal } : {});
    if (bound) {
      const ours = record.floatingIps.find((ip) => ip.id === bound.id);
      if (ours?.created || floatingIpMarked(bound, mark)) {
        await attempt(`floating IP ${bound.floatingIpAddress}`, () => deleteFloatingIp(ctx, bound.id));
      } else if (ours) {
        await attempt(`floating IP ${bound.floatingIpAddress} (detached)`, () =>
          detachFloatingIp(ctx, bound),
        );
      }
    }
    await attempt(`server ${server.id}`, () =>
      deleteServerUntilGone(ctx, server.id, { timeoutMs: CLEANUP_GRACE_MS }),
    );
  }
  for (const ip of await unattachedMarked(ctx, mark, record, signal)) {
    await attempt(`floating IP ${ip.floatingIpAddress}`, () => deleteFloatingIp(ctx, ip.id));
  }
  for (const volume of await markedVolumes(ctx, mark, new Set(record.volumeIds), signal)) {
    await attempt(`volume ${volume.id}`, async () => {
      // cinder refuses to delete a volume it is still making (a create whose answer was lost
      // a moment ago): wait until it is made, or failed (an error volume can be deleted).
      if (VOLUME_BEING_MADE.has(volume.status)) {
        await waitForVolume(ctx, volume.id, "available", { timeoutMs: CLEANUP_GRACE_MS }).catch(() => {});
      }
      await deleteVolume(ctx, volume.id, { timeoutMs: CLEANUP_GRACE_MS });
    });
  }
  return { deleted, failures };
}

async function findServer(
  ctx: CloudContext,
  record: Pick<ClientTokenRecord, "token" | "name">,
  signal: AbortSignal | undefined,
): Promise<Server | undefined> {
  try {
    return await findByClientToken(ctx, record.name, record.token, signal);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** Floating IPs marked with the token's hash (or listed as created by the record), bound to nothing. */
async function unattachedMarked(
  ctx: CloudContext,
  mark: Mark,
  record: Pick<ClientTokenRecord, "floatingIps">,
  signal: AbortSignal | undefined,
): Promise<FloatingIp[]> {
  const created = new Set(record.floatingIps.filter((ip) => ip.created).map((ip) => ip.id));
  const ips = await listFloatingIps(ctx, signal ? { signal } : {});
  return ips.filter((ip) => !ip.attached && (created.has(ip.id) || floatingIpMarked(ip, mark)));
}

/** Volumes the record lists, or not in use and carrying the token's hash. */
async function markedVolumes(
  ctx: CloudContext,
  mark: Mark,
  listed: ReadonlySet<string>,
  signal: AbortSignal | undefined,
): Promise<Volume[]> {
  if (!(await ctx.optionalClient("block-storage"))) return [];
  const volumes = await listVolumes(ctx, signal ? { signal } : {});
  return volumes.filter(
    (volume) =>
      listed.has(volume.id) ||
      (volume.status !== "in-use" &&
        volume.metadata[TOKEN_HASH_METADATA_KEY] === mark.hash &&
        Date.parse(volume.metadata[MANAGED_METADATA_KEY] ?? "") >= mark.since),
  );
}

/** cinder's statuses of a volume it is still making from an image. */
const VOLUME_BEING_MADE: ReadonlySet<string> = new Set(["creating", "downloading"]);

/**
 * Marks are stamped by oaktree processes, records by others maybe (replicas): their clocks may
 * differ by this much.
 */
const MARK_CLOCK_SKEW_MS = 60_000;

/** A token's hash and the earliest time of a mark that belongs to its record. */
interface Mark {
  readonly hash: string;
  readonly since: number;
}

/** Marked for the token since the record began (a mark with no time is nobody's to delete). */
function floatingIpMarked(ip: FloatingIp, mark: Mark): boolean {
  const parsed = parseFloatingIpMark(ip.description);
  return parsed?.tokenHash === mark.hash && Date.parse(parsed.at ?? "") >= mark.since;
}

async function dropRecord(ctx: CloudContext, token: string): Promise<void> {
  const lease = await ClientTokenLease.tryAcquire(ctx, token);
  if (!lease) return;
  try {
    if ((await lease.readRecord())?.state === "delivered") await lease.forgetRecord();
  } finally {
    await lease.release();
  }
}

/** oaktree-marked objects no record vouches for (see ReclaimReport.unvouched). */
async function countUnvouched(
  ctx: CloudContext,
  records: ReadonlyMap<string, ClientTokenRecord>,
  since: number,
  signal: AbortSignal | undefined,
): Promise<ReclaimReport["unvouched"]> {
  const hashes = new Set([...records.keys()].map(tokenHash));
  const call = signal ? { signal } : {};
  const servers = (await listServers(ctx, signal ? { signal } : {})).filter((server) => {
    const token = server.metadata[CLIENT_TOKEN_METADATA_KEY];
    const made = Date.parse(server.metadata[MANAGED_METADATA_KEY] ?? server.createdAt ?? "");
    return token !== undefined && !records.has(token) && !(made < since);
  }).length;
  const floatingIps = (await listFloatingIps(ctx, call)).filter((ip) => {
    const mark = parseFloatingIpMark(ip.description);
    return mark?.tokenHash !== undefined && !ip.attached && !hashes.has(mark.tokenHash);
  }).length;
  const volumes = (await ctx.optionalClient("block-storage"))
    ? (await listVolumes(ctx, call)).filter((volume) => {
        const hash = volume.metadata[TOKEN_HASH_METADATA_KEY];
        return hash !== undefined && volume.status === "available" && !hashes.has(hash);
      }).length
    : 0;
  return { servers, floatingIps, volumes };
}
