/**
 * Swift (service type "object-store", API v1) REST bindings: what task-based image import
 * needs (account, containers, objects) and the `/info` capabilities document.
 */

export * from "./v1/account/requests.js";
export * from "./v1/containers/requests.js";
export * from "./v1/info/requests.js";
export type { ListingOptions } from "./v1/listing.js";
export * from "./v1/objects/requests.js";
export { infoUrl } from "./v1/urls.js";
