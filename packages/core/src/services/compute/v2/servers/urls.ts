/** Path builders for nova servers, relative to the compute v2.1 endpoint. */

const enc = encodeURIComponent;

/** `/servers` */
export const serversPath = (): string => "/servers";
/** `/servers/detail` */
export const serversDetailPath = (): string => "/servers/detail";
/** `/servers/{id}` */
export const serverPath = (id: string): string => `/servers/${enc(id)}`;
/** `/servers/{id}/action` */
export const serverActionPath = (id: string): string => `/servers/${enc(id)}/action`;
/** `/servers/{id}/metadata` */
export const serverMetadataPath = (id: string): string => `/servers/${enc(id)}/metadata`;
/** `/servers/{id}/metadata/{key}` */
export const serverMetadataItemPath = (id: string, key: string): string =>
  `/servers/${enc(id)}/metadata/${enc(key)}`;
/** `/servers/{id}/ips` */
export const serverIpsPath = (id: string): string => `/servers/${enc(id)}/ips`;
/** `/servers/{id}/os-interface` */
export const serverInterfacesPath = (id: string): string => `/servers/${enc(id)}/os-interface`;
/** `/servers/{id}/os-volume_attachments` */
export const volumeAttachmentsPath = (id: string): string => `/servers/${enc(id)}/os-volume_attachments`;
/** `/servers/{id}/os-volume_attachments/{volumeId}` */
export const volumeAttachmentPath = (id: string, volumeId: string): string =>
  `/servers/${enc(id)}/os-volume_attachments/${enc(volumeId)}`;
