#!/usr/bin/env node
// An installed package runs the built JavaScript in dist/. In the repository (src/ is present;
// the published tarball has no src/) it runs the TypeScript sources through tsx, so that there
// is no build step between `npm ci` and a working `oaktree` (docs/decisions/0002 and 0019).
import { existsSync } from "node:fs";
import { register as registerHooks } from "node:module";

const inRepository = existsSync(new URL("../src/main.ts", import.meta.url));
if (inRepository) {
  const { register } = await import("tsx/esm/api");
  register();
  // Registered after tsx, so it runs first: resolve the workspace packages to their sources too.
  registerHooks("./source-condition.js", import.meta.url);
}
const { main } = await import(inRepository ? "../src/main.ts" : "../dist/main.js");
process.exitCode = await main(process.argv.slice(2));
