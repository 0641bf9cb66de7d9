/** Path builders for nova flavors, relative to the compute v2.1 endpoint. */

/** `/flavors/detail` */
export const flavorsDetailPath = (): string => "/flavors/detail";
/** `/flavors/{id}` */
export const flavorPath = (id: string): string => `/flavors/${encodeURIComponent(id)}`;
/** `/flavors/{id}/os-extra_specs` */
export const flavorExtraSpecsPath = (id: string): string =>
  `/flavors/${encodeURIComponent(id)}/os-extra_specs`;
