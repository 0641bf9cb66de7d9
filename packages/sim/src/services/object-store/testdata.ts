import { readFileSync } from "node:fs";
import { join } from "node:path";

/** `packages/sim/testdata`: verbatim upstream samples (see its ATTRIBUTION.md). */
export const TESTDATA = join(import.meta.dirname, "../../../testdata");

/** Reads one copied upstream sample (path as under `../shared/fixtures`). */
export function sample(path: string): unknown {
  return JSON.parse(readFileSync(join(TESTDATA, path), "utf8"));
}
