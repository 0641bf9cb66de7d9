/** One volume snapshot as cinder sends it. */
export interface SnapshotWire {
  readonly id: string;
  readonly name: string | null;
  readonly description: string | null;
  readonly status: string;
  /** GiB. */
  readonly size: number;
  readonly volume_id: string;
  readonly created_at: string;
  readonly updated_at: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly "os-extended-snapshot-attributes:progress"?: string;
  readonly "os-extended-snapshot-attributes:project_id"?: string;
  /** Microversion 3.14. */
  readonly group_snapshot_id?: string | null;
  /** Microversion 3.41. */
  readonly user_id?: string;
  /** Microversion 3.65. */
  readonly consumes_quota?: boolean;
}

/** Body of `POST /snapshots` (inside `{"snapshot": ...}`). */
export interface SnapshotCreateWire {
  readonly volume_id: string;
  readonly name?: string;
  readonly description?: string;
  /** Snapshot an attached volume. */
  readonly force?: boolean;
  readonly metadata?: Readonly<Record<string, string>>;
}
