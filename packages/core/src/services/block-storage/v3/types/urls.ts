const enc = encodeURIComponent;

/** `/types` */
export const volumeTypesPath = (): string => "/types";
/** `/types/{id}` */
export const volumeTypePath = (id: string): string => `/types/${enc(id)}`;
/** `/types/default`: the type a volume gets when none is asked for. */
export const defaultVolumeTypePath = (): string => "/types/default";
