import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { buildConsole, CONSOLE_DIST } from "../../packages/server/console/build.js";
import { CONSOLE_DIST as SERVED_FROM } from "../../packages/server/src/http/console-assets.js";

// The committed bundle (packages/server/console/dist, served by an installed `oaktree serve`)
// is what `npm run build:console` makes from packages/server/console/src now.

function filesUnder(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files.set(relative(root, path), readFileSync(path, "utf8"));
    }
  }
  return files;
}

describe("the web console's bundle", () => {
  it("packages/server/console/dist is up to date with console/src (run `npm run build:console`)", async () => {
    const fresh = await buildConsole();
    expect([...fresh.keys()].sort()).toEqual([...filesUnder(CONSOLE_DIST).keys()].sort());
    expect(filesUnder(CONSOLE_DIST)).toEqual(fresh);
  }, 60_000);

  it("is one page, one script and one stylesheet, each content-hashed, with nothing inline", async () => {
    const files = await buildConsole();
    const names = [...files.keys()];
    expect(names).toHaveLength(3);
    const script = names.find((name) => /^assets\/console-[A-Z0-9]{8}\.js$/.test(name));
    const style = names.find((name) => /^assets\/console-[A-Z0-9]{8}\.css$/.test(name));
    expect(names).toContain("index.html");
    const html = files.get("index.html") as string;
    expect(html).toContain(`<script type="module" src="./${script}"></script>`);
    expect(html).toContain(`<link rel="stylesheet" href="./${style}" />`);
    // The CSP allows no inline script or style: none in the page.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    // Nothing fetched from elsewhere at run time.
    expect(files.get(script as string)).not.toMatch(/https?:\/\/(?!www\.w3\.org)[a-z]/i);
  }, 60_000);

  it("ships in the @oaktree/server package (files: console/dist), where an installed serve() finds it", async () => {
    const root = resolve(import.meta.dirname, "../..");
    const { stdout } = await promisify(execFile)(
      "npm",
      ["pack", "--dry-run", "--ignore-scripts", "--json", "-w", "packages/server"],
      { cwd: root, timeout: 60_000 },
    );
    const packed = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]?.files.map((file) => file.path);
    const committed = [...filesUnder(CONSOLE_DIST).keys()].map((path) => `console/dist/${path}`);
    expect(packed).toEqual(expect.arrayContaining(committed));
    // The listener reads it two levels above its own directory: src/http/ here, dist/http/ installed.
    expect(resolve(SERVED_FROM)).toBe(resolve(CONSOLE_DIST));
  }, 60_000);
});
