import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliSim, startCliSim } from "./testing/cli-sim.js";

const readme = fileURLToPath(new URL("../../../../README.md", import.meta.url));

/** The `$ oaktree …` line and the output shown under `<!-- cli-session: create -->` in the README. */
function readmeSession(): { argv: string[]; output: string } {
  const match = /<!-- cli-session: create -->\s*```console\n\$ oaktree (.*)\n([\s\S]*?)```/.exec(
    readFileSync(readme, "utf8"),
  );
  if (!match?.[1] || !match[2])
    throw new Error("README.md has no `<!-- cli-session: create -->` console block");
  return { argv: match[1].split(" "), output: match[2] };
}

/** What differs from run to run: times, ids, addresses, and the table widths they change. */
function normalized(text: string): string {
  return text
    .replace(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /gm, "<time> ")
    .replace(/\(\d+\.\ds\)$/gm, "(<elapsed>)")
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>")
    .replace(/\b\d{1,3}(\.\d{1,3}){3}\b/g, "<ip>")
    .replace(/-{2,}/g, "--")
    .replace(/ {2,}/g, " ");
}

let cli: CliSim;
beforeAll(async () => {
  cli = await startCliSim("modern");
});
afterAll(async () => {
  await cli?.close();
});

describe("the README's CLI session", () => {
  it("prints what the README shows (progress on stderr, then the server), on the simulator", async () => {
    const { argv, output } = readmeSession();
    expect(argv.slice(0, 3)).toEqual(["server", "create", "demo"]);
    const { code, out, err } = await cli.run(...argv);
    expect(code).toBe(0);
    expect(normalized(err + out)).toBe(normalized(output));
  });
});
