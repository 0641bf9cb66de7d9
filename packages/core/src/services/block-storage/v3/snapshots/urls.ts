const enc = encodeURIComponent;

/** `/snapshots` */
export const snapshotsPath = (): string => "/snapshots";
/** `/snapshots/detail` */
export const snapshotsDetailPath = (): string => "/snapshots/detail";
/** `/snapshots/{id}` */
export const snapshotPath = (id: string): string => `/snapshots/${enc(id)}`;
