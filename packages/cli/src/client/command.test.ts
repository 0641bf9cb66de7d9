import { describe, expect, it } from "vitest";
import { runCli } from "./testing/cli-sim.js";

describe("apiCommand", () => {
  it("--help lists the command's own flags first, then the shared ones, then -h", async () => {
    const { code, out } = await runCli("server", "create", "--help");
    expect(code).toBe(0);
    const flags = [...out.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]);
    expect(flags.slice(0, 2)).toEqual(["--image", "--flavor"]);
    expect(flags.indexOf("--client-token")).toBeLessThan(flags.indexOf("--cloud"));
    expect(flags.slice(-3)).toEqual(["--format", "--column", "--help"]);
  });

  it("an unknown flag is a usage error: exit 2", async () => {
    const { code, err } = await runCli("flavor", "list", "--colour");
    expect(err).toMatch(/unknown option '--colour'/);
    expect(code).toBe(2);
  });
});
