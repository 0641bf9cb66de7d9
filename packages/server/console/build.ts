import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** packages/server/console: the sources in src/, the committed bundle in dist/. */
export const CONSOLE_DIR = dirname(fileURLToPath(import.meta.url));
export const CONSOLE_DIST = join(CONSOLE_DIR, "dist");

/**
 * Bundles the console in memory: `index.html` and, under `assets/`, one minified JS and one CSS
 * file whose names carry a hash of their content (so the server may let browsers cache them
 * forever, and index.html, which is never cached, picks the new names up).
 * Keys are paths relative to dist/.
 */
export async function buildConsole(): Promise<Map<string, string>> {
  const result = await build({
    absWorkingDir: CONSOLE_DIR,
    entryPoints: ["src/main.tsx"],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: ["chrome120", "firefox120", "safari17"],
    minify: true,
    jsx: "automatic",
    jsxImportSource: "preact",
    outdir: join(CONSOLE_DIST, "assets"),
    entryNames: "console-[hash]",
    // Preact's and protobuf-es's licence notices, kept in one file beside the bundle.
    legalComments: "linked",
    logLevel: "silent",
  });
  const files = new Map<string, string>();
  for (const output of result.outputFiles) files.set(relative(CONSOLE_DIST, output.path), output.text);
  const script = [...files.keys()].find((path) => path.endsWith(".js"));
  const style = [...files.keys()].find((path) => path.endsWith(".css"));
  if (!script || !style) throw new Error("console build: expected one .js and one .css output");
  const template = readFileSync(join(CONSOLE_DIR, "src/index.html"), "utf8");
  files.set("index.html", template.replace("{{script}}", script).replace("{{style}}", style));
  return files;
}

/** Rebuilds dist/ from src/ (`npm run build:console`). */
export async function writeConsole(): Promise<string[]> {
  const files = await buildConsole();
  rmSync(CONSOLE_DIST, { recursive: true, force: true });
  for (const [path, text] of files) {
    mkdirSync(dirname(join(CONSOLE_DIST, path)), { recursive: true });
    writeFileSync(join(CONSOLE_DIST, path), text);
  }
  return [...files.keys()].sort();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const written = await writeConsole();
  process.stdout.write(`console: wrote ${written.map((path) => join("dist", path)).join(", ")}\n`);
}
