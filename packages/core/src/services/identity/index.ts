/**
 * Identity (keystone) bindings beyond authentication: v3 projects, domains and application
 * credentials, and v2.0 tenants for old clouds.
 */
export * from "./v2/tenants/requests.js";
export * from "./v3/application-credentials/requests.js";
export * from "./v3/domains/requests.js";
export * from "./v3/projects/requests.js";
