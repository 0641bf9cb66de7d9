/**
 * @oaktree/core: the OpenStack knowledge of oaktree, usable directly from TypeScript.
 * Layers (one direction of dependency): config -> http -> auth -> catalog -> services -> models -> state -> cloud.
 */

export type * from "./config/types.js";
export * from "./errors.js";
export type * from "./http/types.js";
