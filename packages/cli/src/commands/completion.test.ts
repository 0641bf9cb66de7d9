import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../client/testing/cli-sim.js";

let dir: string;
let bashScript: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "oaktree-completion-"));
  const { code, out } = await runCli("completion", "bash");
  expect(code).toBe(0);
  bashScript = join(dir, "oaktree.bash");
  writeFileSync(bashScript, out);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What bash completes for the typed words (the last one is the word being completed). */
function complete(...words: string[]): string[] {
  const line = ["oaktree", ...words];
  const script = `source ${bashScript}
COMP_WORDS=(${line.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${line.length - 1}
_oaktree; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync("bash", ["--norc", "-c", script], { encoding: "utf8" }).split("\n").filter(Boolean);
}

describe("oaktree completion bash", () => {
  it("completes commands, subcommands, their flags and -f's choices from the command tree", () => {
    expect(complete("ser")).toEqual(["serve", "server"]);
    expect(complete("server", "")).toEqual(
      expect.arrayContaining(["create", "list", "show", "delete", "watch"]),
    );
    expect(complete("server", "create", "demo", "--fl")).toEqual(["--flavor"]);
    expect(complete("server", "create", "demo", "--image", "x", "--no-")).toEqual(["--no-auto-ip"]);
    expect(complete("flavor", "list", "-f", "")).toEqual(["table", "json", "yaml", "value"]);
    expect(complete("flavor", "list", "--all")).toEqual(["--all-clouds"]);
  });

  it("zsh: a #compdef script with the same words; an unknown shell is a usage error (exit 2)", async () => {
    const zsh = await runCli("completion", "zsh");
    expect(zsh.out).toMatch(/^#compdef oaktree\n/);
    expect(zsh.out).toContain("'server create') echo '");
    expect(zsh.out).toContain("compdef _oaktree oaktree");
    const fish = await runCli("completion", "fish");
    expect(fish.code).toBe(2);
    expect(fish.err).toBe('oaktree: SHELL: "fish" is not bash or zsh\n');
  });
});
