/**
 * Cinder (service type "block-storage") REST bindings. One set of functions serves API v3
 * and v2: their volume, type, snapshot and limit shapes are the same (v3 adds fields by
 * microversion); attachments exist only in v3 from microversion 3.27.
 */

export * from "./v3/attachments/requests.js";
export * from "./v3/limits/requests.js";
export * from "./v3/snapshots/requests.js";
export * from "./v3/types/requests.js";
export * from "./v3/volumes/requests.js";
