import { createRequire } from "node:module";

/**
 * The version of the installed `@oaktree/cli` package, from its package.json: one level above
 * both src/ (in the repository) and dist/ (in an installed package).
 */
export const CLI_VERSION: string = (createRequire(import.meta.url)("../package.json") as { version: string })
  .version;
