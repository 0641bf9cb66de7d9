/** `/domains` */
export const domainsPath = (): string => "/domains";
/** `/domains/{id}` */
export const domainPath = (id: string): string => `/domains/${encodeURIComponent(id)}`;
