import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../client/testing/cli-sim.js";

const hasZsh = (() => {
  try {
    execFileSync("zsh", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

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

  it("zsh: a #compdef script offering the same words; an unknown shell is a usage error (exit 2)", async () => {
    const zsh = await runCli("completion", "zsh");
    expect(zsh.out).toMatch(/^#compdef oaktree\n/);
    expect(zsh.out).toContain("compdef _oaktree oaktree");
    if (hasZsh) {
      const script = join(dir, "_oaktree");
      writeFileSync(script, zsh.out);
      // compsys is stubbed: compadd prints what would be offered; zsh then filters by the prefix.
      const offered = (...words: string[]) => {
        const run = `compdef() { :; }; _files() { :; }; compadd() { shift; print -l -- "$@"; }
source ${script}
words=(oaktree ${words.map((w) => `'${w}'`).join(" ")}); CURRENT=${words.length + 1}
_oaktree`;
        return execFileSync("zsh", ["-f", "-c", run], { encoding: "utf8" }).split("\n").filter(Boolean);
      };
      expect(offered("server", "")).toEqual(
        expect.arrayContaining(["create", "list", "show", "delete", "watch"]),
      );
      expect(offered("server", "create", "demo", "--image", "x", "")).toContain("--flavor");
      expect(offered("flavor", "list", "-f", "")).toEqual(["table", "json", "yaml", "value"]);
    } else if (process.env.CI === "true") {
      throw new Error("zsh is missing (CI installs it: .ci/run)");
    }
    const fish = await runCli("completion", "fish");
    expect(fish.code).toBe(2);
    expect(fish.err).toBe('oaktree: SHELL: "fish" is not bash or zsh\n');
  });
});
