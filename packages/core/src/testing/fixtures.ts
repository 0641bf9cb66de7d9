import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Test data: verbatim copies of upstream OpenStack API samples (see testdata/ATTRIBUTION.md),
 * kept in packages/core/testdata/<service>/... so that a fresh clone runs its tests without
 * ../shared/fixtures. `OAKTREE_TESTDATA` points elsewhere (e.g. a full fixture tree).
 */
export const TESTDATA_ROOT: string =
  process.env.OAKTREE_TESTDATA ?? fileURLToPath(new URL("../../testdata/", import.meta.url));

/** Absolute path of a test data file, e.g. `fixturePath("compute/servers/server-get-resp.json")`. */
export function fixturePath(path: string): string {
  return join(TESTDATA_ROOT, path);
}

/** The text of a test data file. */
export function fixtureText(path: string): string {
  return readFileSync(fixturePath(path), "utf8");
}

/** The parsed JSON of a test data file. */
export function fixture<T = unknown>(path: string): T {
  try {
    return JSON.parse(fixtureText(path)) as T;
  } catch (error) {
    throw new Error(`fixture ${path}: ${(error as Error).message}`);
  }
}

/**
 * Every file under a test data folder whose path (relative to the testdata root) matches
 * `match`, recursively and sorted, e.g. every nova server sample including the v2.x folders:
 * `fixtureFiles("compute/servers", /server-get-resp\.json$/)`.
 */
export function fixtureFiles(folder: string, match: RegExp = /\.json$/): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const rel = relative(TESTDATA_ROOT, full).split("\\").join("/");
        if (match.test(rel)) found.push(rel);
      }
    }
  };
  walk(fixturePath(folder));
  if (found.length === 0) throw new Error(`no test data under ${folder} matching ${match}`);
  return found;
}
