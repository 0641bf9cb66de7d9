/** A project's block-storage limits and usage (`GET /limits`). */
export interface VolumeLimitsWire {
  readonly rate: readonly unknown[];
  readonly absolute: {
    readonly maxTotalVolumes?: number;
    readonly maxTotalSnapshots?: number;
    readonly maxTotalVolumeGigabytes?: number;
    readonly maxTotalBackups?: number;
    readonly maxTotalBackupGigabytes?: number;
    readonly totalVolumesUsed?: number;
    readonly totalSnapshotsUsed?: number;
    readonly totalGigabytesUsed?: number;
    readonly totalBackupsUsed?: number;
    readonly totalBackupGigabytesUsed?: number;
    readonly [name: string]: number | undefined;
  };
}
