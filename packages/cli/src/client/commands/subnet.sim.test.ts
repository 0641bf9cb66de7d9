import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliSim, startCliSim } from "../testing/cli-sim.js";

let cli: CliSim;
beforeAll(async () => {
  cli = await startCliSim("modern");
  expect((await cli.run("network", "create", "subnet-net")).code).toBe(0);
});
afterAll(async () => {
  await cli?.close();
});

interface SubnetJson {
  id: string;
  name: string;
  network_id: string;
  cidr: string;
  ip_version: number;
  gateway_ip: string;
  is_dhcp_enabled: boolean;
  dns_nameservers: string[];
}

describe("oaktree subnet", () => {
  it("create with openstack's flags -f json; list and show find it; delete removes it", async () => {
    const created = await cli.run(
      "subnet",
      "create",
      "cli-subnet",
      "--network",
      "subnet-net",
      "--subnet-range",
      "10.20.0.0/24",
      "--gateway",
      "10.20.0.254",
      "--no-dhcp",
      "--dns-nameserver",
      "1.1.1.1",
      "--dns-nameserver",
      "9.9.9.9",
      "-f",
      "json",
    );
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    const subnet = JSON.parse(created.out) as SubnetJson;
    expect(subnet).toMatchObject({
      name: "cli-subnet",
      cidr: "10.20.0.0/24",
      ip_version: 4,
      gateway_ip: "10.20.0.254",
      is_dhcp_enabled: false,
      dns_nameservers: ["1.1.1.1", "9.9.9.9"],
    });
    const network = JSON.parse((await cli.run("network", "show", "subnet-net", "-f", "json")).out) as {
      id: string;
    };
    expect(subnet.network_id).toBe(network.id);

    const listed = JSON.parse((await cli.run("subnet", "list", "-f", "json")).out) as SubnetJson[];
    expect(listed.find((s) => s.name === "cli-subnet")?.id).toBe(subnet.id);
    const table = await cli.run("subnet", "list", "-c", "Name", "-c", "Subnet", "-f", "value");
    expect(table.out.split("\n")).toContain("cli-subnet 10.20.0.0/24");
    expect((await cli.run("subnet", "show", subnet.id, "-f", "value", "-c", "cidr")).out).toBe(
      "10.20.0.0/24\n",
    );

    expect((await cli.run("subnet", "delete", "cli-subnet")).code).toBe(0);
    expect((await cli.run("subnet", "show", "cli-subnet")).code).toBe(3);
  });

  it("--gateway none: no gateway", async () => {
    const { code, out } = await cli.run(
      "subnet",
      "create",
      "no-gw",
      "--network",
      "subnet-net",
      "--subnet-range",
      "10.21.0.0/24",
      "--gateway",
      "none",
      "-f",
      "json",
    );
    expect(code).toBe(0);
    expect((JSON.parse(out) as SubnetJson).gateway_ip).toBe("");
  });

  it("show and delete of a missing subnet: exit 3", async () => {
    for (const verb of ["show", "delete"]) {
      const { code, err } = await cli.run("subnet", verb, "no-such-subnet");
      expect(code).toBe(3);
      expect(err).toMatch(/^error: NOT_FOUND: .*no-such-subnet.*\n$/);
    }
  });

  it("usage errors exit 2: no --subnet-range, a bad --ip-version", async () => {
    const missing = await cli.run("subnet", "create", "s", "--network", "subnet-net");
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--subnet-range/);
    const bad = await cli.run(
      "subnet",
      "create",
      "s",
      "--network",
      "subnet-net",
      "--subnet-range",
      "10.0.0.0/24",
      "--ip-version",
      "5",
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--ip-version/);
  });
});
