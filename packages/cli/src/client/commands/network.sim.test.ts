import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliSim, startCliSim } from "../testing/cli-sim.js";

let cli: CliSim;
beforeAll(async () => {
  cli = await startCliSim("modern");
});
afterAll(async () => {
  await cli?.close();
});

describe("oaktree network", () => {
  it("create -f json, then list and show find it; delete removes it", async () => {
    const created = await cli.run(
      "network",
      "create",
      "cli-net",
      "--description",
      "from the CLI",
      "--mtu",
      "1400",
      "-f",
      "json",
    );
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    const network = JSON.parse(created.out) as { id: string; name: string; description: string; mtu: number };
    expect(network.name).toBe("cli-net");
    expect(network.description).toBe("from the CLI");
    expect(network.mtu).toBe(1400);

    const listed = await cli.run("network", "list", "-f", "json");
    expect(listed.code).toBe(0);
    const networks = JSON.parse(listed.out) as { id: string; name: string }[];
    expect(networks.find((n) => n.name === "cli-net")?.id).toBe(network.id);

    const shown = await cli.run("network", "show", network.id, "-f", "value", "-c", "name");
    expect(shown.out).toBe("cli-net\n");

    const removed = await cli.run("network", "delete", "cli-net");
    expect(removed.err).toBe("");
    expect(removed.code).toBe(0);
    expect((await cli.run("network", "show", "cli-net")).code).toBe(3);
  });

  it("list as a table: openstack's ID, Name, Subnets columns", async () => {
    const { code, out } = await cli.run("network", "list");
    expect(code).toBe(0);
    expect(out).toMatch(/\| ID +\| Name +\| Subnets +\|/);
  });

  it("list --all-clouds: a Cloud column, a network made on one cloud listed under that cloud only", async () => {
    expect((await cli.run("network", "create", "only-on-admin", "--cloud", "sim-admin")).code).toBe(0);
    const { code, out, err } = await cli.run(
      "network",
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
    const rows = out.split("\n").filter((row) => row.endsWith(" only-on-admin"));
    expect(rows).toEqual(["sim-admin only-on-admin"]);
  });

  it("show and delete of a missing network: exit 3, one error line", async () => {
    for (const verb of ["show", "delete"]) {
      const { code, out, err } = await cli.run("network", verb, "no-such-net");
      expect(out).toBe("");
      expect(code).toBe(3);
      expect(err).toMatch(/^error: NOT_FOUND: .*no-such-net.*\n$/);
    }
  });

  it("usage errors exit 2: a missing name, a bad --mtu", async () => {
    expect((await cli.run("network", "create")).code).toBe(2);
    const bad = await cli.run("network", "create", "n", "--mtu", "big");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--mtu/);
  });
});
