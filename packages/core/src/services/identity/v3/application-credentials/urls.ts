/** `/users/{userId}/application_credentials` */
export const applicationCredentialsPath = (userId: string): string =>
  `/users/${encodeURIComponent(userId)}/application_credentials`;
/** `/users/{userId}/application_credentials/{id}` */
export const applicationCredentialPath = (userId: string, id: string): string =>
  `${applicationCredentialsPath(userId)}/${encodeURIComponent(id)}`;
