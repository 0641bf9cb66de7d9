/** Path builders for keystone v3 projects, relative to the identity v3 endpoint. */

/** `/projects` */
export const projectsPath = (): string => "/projects";
/** `/projects/{id}` */
export const projectPath = (id: string): string => `/projects/${encodeURIComponent(id)}`;
/** `/users/{userId}/projects`: the projects a user has a role on. */
export const userProjectsPath = (userId: string): string => `/users/${encodeURIComponent(userId)}/projects`;
/** `/auth/projects`: the projects the current token may be scoped to. */
export const authProjectsPath = (): string => "/auth/projects";
