/** Path builders for glance v1 images (old clouds), relative to the image v1 endpoint. */

/** `/images` */
export const imagesPath = (): string => "/images";
/** `/images/detail` */
export const imagesDetailPath = (): string => "/images/detail";
/** `/images/{id}` */
export const imagePath = (id: string): string => `/images/${encodeURIComponent(id)}`;
