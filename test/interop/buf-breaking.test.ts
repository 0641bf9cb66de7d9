import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";

// What .ci/run's "buf breaking" step does, on a temporary copy of proto/: commit the protos,
// commit a change, and compare against the previous commit. Shows the check really fails the
// build on an incompatible change (also in the 2017 API) and lets an additive one through.

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const BUF = join(ROOT, "node_modules/.bin/buf");
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.invalid",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.invalid",
};

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A git repository holding a copy of proto/ and buf.yaml, committed once. */
async function repoWithProtos(): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), "oaktree-buf-breaking-"));
  cpSync(join(ROOT, "proto"), join(dir, "proto"), { recursive: true });
  cpSync(join(ROOT, "buf.yaml"), join(dir, "buf.yaml"));
  await git(dir, "init", "-q", "-b", "main");
  await commitAll(dir, "protos");
  return dir;
}

async function git(cwd: string, ...args: string[]) {
  return run("git", args, { cwd, env: GIT_ENV, timeout: 20_000 });
}

async function commitAll(cwd: string, message: string) {
  await git(cwd, "add", "-A");
  await git(cwd, "commit", "-q", "-m", message);
}

/** Rewrites one file of the copy (the edit must change it). */
function edit(repo: string, path: string, change: (text: string) => string) {
  const file = join(repo, path);
  const before = readFileSync(file, "utf8");
  const after = change(before);
  expect(after).not.toBe(before);
  writeFileSync(file, after);
}

/** `buf breaking` against the previous commit, as CI runs it: exit code and output. */
async function breaking(repo: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(BUF, ["breaking", "--against", ".git#ref=HEAD~1"], {
      cwd: repo,
      timeout: 60_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

describe("buf breaking against the previous commit", { timeout: 120_000 }, () => {
  it("fails on a field removed from oaktree.v1", async () => {
    const repo = await repoWithProtos();
    edit(repo, "proto/oaktree/v1/flavor.proto", (text) => text.replace(/^\s*int32 vcpus = \d+;$/m, ""));
    await commitAll(repo, "remove Flavor.vcpus");
    const result = await breaking(repo);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(
      /Previously present field "\d+" with name "vcpus" on message "Flavor" was deleted/,
    );
  });

  it("fails on a field removed from the 2017 API (proto/oaktreemodel is checked too)", async () => {
    const repo = await repoWithProtos();
    edit(repo, "proto/oaktreemodel/flavor.proto", (text) => text.replace("  uint32 vcpus = 7;\n", ""));
    await commitAll(repo, "remove oaktree.Flavor.vcpus");
    const result = await breaking(repo);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('"vcpus" on message "Flavor" was deleted');
    expect(result.output).toContain("proto/oaktreemodel/flavor.proto");
  });

  it("passes an additive change (a new field)", async () => {
    const repo = await repoWithProtos();
    edit(repo, "proto/oaktree/v1/flavor.proto", (text) =>
      text.replace(
        /^message Flavor \{$/m,
        "message Flavor {\n  // Added by the test.\n  string added_by_test = 900;",
      ),
    );
    await commitAll(repo, "add Flavor.added_by_test");
    expect(await breaking(repo)).toEqual({ code: 0, output: "" });
  });
});
