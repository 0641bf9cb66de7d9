import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { type CliSim, startCliSim } from "../testing/cli-sim.js";

let cli: CliSim;
beforeAll(async () => {
  cli = await startCliSim("modern");
});
afterAll(async () => {
  await cli?.close();
});

describe("oaktree flavor", () => {
  it("list -f json: the proto JSON form, parsed back", async () => {
    const { code, out, err } = await cli.run("flavor", "list", "-f", "json");
    expect(err).toBe("");
    expect(code).toBe(0);
    const flavors = JSON.parse(out) as { name: string; vcpus: number; location: { cloud: string } }[];
    expect(flavors.map((f) => f.name)).toContain("m1.tiny");
    const tiny = flavors.find((f) => f.name === "m1.tiny");
    expect(tiny?.vcpus).toBe(1);
    expect(tiny?.location.cloud).toBe("sim");
  });

  it("list as a table fits no width when stdout is not a terminal, and -c picks columns", async () => {
    const { code, out } = await cli.run("flavor", "list", "-c", "Name", "-c", "vcpus", "-f", "value");
    expect(code).toBe(0);
    expect(out.split("\n")).toContain("m1.tiny 1");
  });

  it("show by name: a Field/Value table", async () => {
    const { code, out } = await cli.run("flavor", "show", "m1.tiny");
    expect(code).toBe(0);
    expect(out).toMatch(/^\+-+\+-+\+\n\| Field +\| Value +\|\n/);
    expect(out).toMatch(/\| name +\| m1\.tiny +\|/);
  });

  it("show of a missing flavor: one error line, exit code 3", async () => {
    const { code, out, err } = await cli.run("flavor", "show", "m9.nope");
    expect(out).toBe("");
    expect(code).toBe(3);
    expect(err).toMatch(/^error: NOT_FOUND: .*m9\.nope.*\n$/);
    expect(err.split("\n")).toHaveLength(2);
  });

  it("--all-clouds: one table with a CLOUD column; a failing cloud is reported, the others shown", async () => {
    const { code, out, err } = await cli.run(
      "flavor",
      "list",
      "--all-clouds",
      "-f",
      "value",
      "-c",
      "cloud",
      "-c",
      "name",
    );
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out.split("\n")).toEqual(expect.arrayContaining(["sim m1.tiny", "sim-admin m1.tiny"]));
  });

  it("a bad -f is a usage error (exit 2)", async () => {
    const { code, err } = await cli.run("flavor", "list", "-f", "xml");
    expect(code).toBe(2);
    expect(err).toMatch(/xml/);
  });

  it("--all-clouds with a cloud that is down: it is reported on stderr, the others are listed, exit 5", async () => {
    const yaml = parse(readFileSync(cli.cloudsFile, "utf8")) as {
      clouds: Record<string, { auth: { auth_url: string } }>;
    };
    const down = structuredClone(yaml.clouds.sim) as { auth: { auth_url: string } };
    down.auth.auth_url = "http://127.0.0.1:1/identity";
    writeFileSync(cli.cloudsFile, stringify({ clouds: { ...yaml.clouds, down } }));
    const { code, out, err } = await cli.run(
      "flavor",
      "list",
      "--all-clouds",
      "-f",
      "value",
      "-c",
      "cloud",
      "-c",
      "name",
    );
    expect(err).toMatch(/^cloud down: error: UNAVAILABLE: .*\n$/);
    expect(out.split("\n")).toEqual(expect.arrayContaining(["sim m1.tiny", "sim-admin m1.tiny"]));
    expect(out).not.toContain("down");
    expect(code).toBe(5);
  });
});
