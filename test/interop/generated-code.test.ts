import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

// The committed protobuf-es code (packages/server/src/gen and gen-legacy) is what
// `npm run generate` makes from proto/ now: buf.gen.yaml run into a temporary directory.

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const OUTPUTS = ["packages/server/src/gen", "packages/server/src/gen-legacy"];
const dir = mkdtempSync(join(tmpdir(), "oaktree-generate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function filesUnder(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(relative(root, full), readFileSync(full, "utf8"));
    }
  };
  walk(root);
  return files;
}

describe("generated code", () => {
  it("packages/server/src/gen and gen-legacy are up to date with proto/ (run `npm run generate`)", async () => {
    let template = readFileSync(join(ROOT, "buf.gen.yaml"), "utf8");
    for (const [i, out] of OUTPUTS.entries()) {
      const line = new RegExp(`^(\\s*out:) ${out}$`, "m");
      expect(template).toMatch(line);
      template = template.replace(line, `$1 ${join(dir, String(i))}`);
    }
    const path = join(dir, "buf.gen.yaml");
    writeFileSync(path, template);
    await run(join(ROOT, "node_modules/.bin/buf"), ["generate", "--template", path], {
      cwd: ROOT,
      timeout: 60_000,
      env: { ...process.env, PATH: `${join(ROOT, "node_modules/.bin")}:${process.env.PATH}` },
    });
    for (const [i, out] of OUTPUTS.entries()) {
      const fresh = filesUnder(join(dir, String(i)));
      expect(fresh.size).toBeGreaterThan(0);
      expect(filesUnder(join(ROOT, out)), out).toEqual(fresh);
    }
  }, 90_000);
});
