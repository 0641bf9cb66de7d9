import type { ServiceModule } from "../core/service.js";
import { blockStorageModule } from "./block-storage/index.js";
import { computeModule } from "./compute/index.js";
import { identityModule } from "./identity/index.js";
import { imageModule } from "./image/index.js";
import { networkModule } from "./network/index.js";
import { objectStoreModule } from "./object-store/index.js";

/**
 * Every service module, in seed order (identity first: the others seed per project).
 * To add a service: write `services/<name>/index.ts` exporting a `ServiceModule` and add it here.
 */
export const SERVICE_MODULES: readonly ServiceModule[] = [
  identityModule,
  computeModule,
  networkModule,
  imageModule,
  blockStorageModule,
  objectStoreModule,
];
