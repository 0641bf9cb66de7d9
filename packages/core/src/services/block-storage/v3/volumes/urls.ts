/** Path builders for cinder volumes, relative to the block-storage v3 (or v2) endpoint. */

const enc = encodeURIComponent;

/** `/volumes` */
export const volumesPath = (): string => "/volumes";
/** `/volumes/detail` */
export const volumesDetailPath = (): string => "/volumes/detail";
/** `/volumes/{id}` */
export const volumePath = (id: string): string => `/volumes/${enc(id)}`;
/** `/volumes/{id}/action` */
export const volumeActionPath = (id: string): string => `/volumes/${enc(id)}/action`;
