/** Path builders for glance v2 images, relative to the image v2 endpoint. */

const enc = encodeURIComponent;

/** `/images` */
export const imagesPath = (): string => "/images";
/** `/images/{id}` */
export const imagePath = (id: string): string => `/images/${enc(id)}`;
/** `/images/{id}/file` (upload, download) */
export const imageFilePath = (id: string): string => `/images/${enc(id)}/file`;
/** `/images/{id}/stage` (interoperable import, glance-direct) */
export const imageStagePath = (id: string): string => `/images/${enc(id)}/stage`;
/** `/images/{id}/import` */
export const imageImportPath = (id: string): string => `/images/${enc(id)}/import`;
/** `/info/import`: the import methods the cloud offers. */
export const importInfoPath = (): string => "/info/import";
/** `/schemas/image`: the image schema (accepted disk and container formats). */
export const imageSchemaPath = (): string => "/schemas/image";
