/**
 * Image (glance) bindings: v2 images (with upload, stage, interoperable import, import info
 * and schema), v2 tasks (task-based import), and v1 images for old clouds.
 */
export * from "./v1/images/requests.js";
export * from "./v2/images/data.js";
export * from "./v2/images/requests.js";
export * from "./v2/tasks/requests.js";
