/** `/tasks` */
export const tasksPath = (): string => "/tasks";
/** `/tasks/{id}` */
export const taskPath = (id: string): string => `/tasks/${encodeURIComponent(id)}`;
