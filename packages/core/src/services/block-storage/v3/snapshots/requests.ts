import { OaktreeError } from "../../../../errors.js";
import { linksStrategy, paginate } from "../../../../http/paginate.js";
import type { HttpResponse, ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { compact, type QueryNames, queryOf, requireId, requirePositiveInteger } from "../../../query.js";
import { snapshotPath, snapshotsDetailPath, snapshotsPath } from "./urls.js";
import type { SnapshotCreateWire, SnapshotWire } from "./wire.js";

/** Filters of `GET /snapshots/detail`. */
export interface ListSnapshotsOptions {
  readonly name?: string;
  readonly status?: string;
  readonly volumeId?: string;
  readonly allTenants?: boolean;
  readonly limit?: number;
  readonly marker?: string;
  readonly sort?: string;
}

/** The one table of query names of snapshots. */
export const SNAPSHOT_QUERY: QueryNames<ListSnapshotsOptions> = {
  name: "name",
  status: "status",
  volumeId: "volume_id",
  allTenants: "all_tenants",
  limit: "limit",
  marker: "marker",
  sort: "sort",
};

function snapshotOf(response: HttpResponse): SnapshotWire {
  const snapshot = response.json<{ snapshot?: SnapshotWire } | undefined>()?.snapshot;
  if (!snapshot) throw new OaktreeError('block-storage: the response has no "snapshot"');
  return snapshot;
}

/** Every snapshot with details matching the filters, following `snapshots_links`. */
export function listSnapshots(
  client: ServiceClient,
  options: ListSnapshotsOptions = {},
  call: CallOptions = {},
): AsyncGenerator<SnapshotWire, void, undefined> {
  requirePositiveInteger("limit", options.limit);
  return paginate<SnapshotWire>(
    client,
    {
      method: "GET",
      path: snapshotsDetailPath(),
      query: queryOf(options, SNAPSHOT_QUERY),
      okStatus: [200],
      ...callFields(call),
    },
    linksStrategy<SnapshotWire>("snapshots"),
  );
}

/** One snapshot by id. */
export async function getSnapshot(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<SnapshotWire> {
  requireId("id", id);
  return snapshotOf(
    await client.request({ method: "GET", path: snapshotPath(id), okStatus: [200], ...callFields(call) }),
  );
}

/** A new snapshot of a volume. */
export interface CreateSnapshotOptions {
  readonly volumeId: string;
  readonly name?: string;
  readonly description?: string;
  /** Snapshot even when the volume is attached. */
  readonly force?: boolean;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Creates a snapshot (`POST /snapshots`, 202). */
export async function createSnapshot(
  client: ServiceClient,
  options: CreateSnapshotOptions,
  call: CallOptions = {},
): Promise<SnapshotWire> {
  requireId("volumeId", options.volumeId);
  const body: SnapshotCreateWire = {
    volume_id: options.volumeId,
    ...compact({
      name: options.name,
      description: options.description,
      force: options.force,
      metadata: options.metadata,
    }),
  };
  return snapshotOf(
    await client.request({
      method: "POST",
      path: snapshotsPath(),
      json: { snapshot: body },
      okStatus: [202],
      ...callFields(call),
    }),
  );
}

/** Deletes a snapshot (`DELETE /snapshots/{id}`, 202). */
export async function deleteSnapshot(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<void> {
  requireId("id", id);
  await client.request({ method: "DELETE", path: snapshotPath(id), okStatus: [202], ...callFields(call) });
}
