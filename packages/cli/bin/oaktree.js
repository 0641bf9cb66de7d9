#!/usr/bin/env node
// The sources are TypeScript; tsx compiles them on the fly so that there is no build step
// between `npm ci` and a working `oaktree` (see docs/decisions/0002-run-typescript-with-tsx.md).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2));
