const enc = encodeURIComponent;

/** `/attachments` */
export const attachmentsPath = (): string => "/attachments";
/** `/attachments/detail` */
export const attachmentsDetailPath = (): string => "/attachments/detail";
/** `/attachments/{id}` */
export const attachmentPath = (id: string): string => `/attachments/${enc(id)}`;
/** `/attachments/{id}/action` */
export const attachmentActionPath = (id: string): string => `/attachments/${enc(id)}/action`;
