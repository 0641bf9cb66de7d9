export type * from "./backend.js";
export { ResourceCache } from "./cache.js";
export { createMemoryBackend } from "./memory-backend.js";
export {
  type Judge,
  SharedWatch,
  type Verdict,
  type WaitResult,
  type WaitState,
  type WatchEvent,
  type WatchOptions,
  WatchRegistry,
  type WatchSource,
} from "./watch.js";
