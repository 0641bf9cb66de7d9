import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliSim, startCliSim } from "../testing/cli-sim.js";

let cli: CliSim;
let subnetId: string;
beforeAll(async () => {
  cli = await startCliSim("modern");
  expect((await cli.run("network", "create", "port-net")).code).toBe(0);
  const subnet = await cli.run(
    "subnet",
    "create",
    "port-subnet",
    "--network",
    "port-net",
    "--subnet-range",
    "10.40.0.0/24",
    "-f",
    "json",
  );
  expect(subnet.code).toBe(0);
  subnetId = (JSON.parse(subnet.out) as { id: string }).id;
});
afterAll(async () => {
  await cli?.close();
});

interface PortJson {
  id: string;
  name: string;
  network_id: string;
  fixed_ips: { subnet_id: string; ip_address: string }[];
}

describe("oaktree port", () => {
  it("create --fixed-ip -f json; list and show find it; delete removes it", async () => {
    const created = await cli.run(
      "port",
      "create",
      "cli-port",
      "--network",
      "port-net",
      "--fixed-ip",
      `subnet=${subnetId},ip-address=10.40.0.50`,
      "-f",
      "json",
    );
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    const port = JSON.parse(created.out) as PortJson;
    expect(port.name).toBe("cli-port");
    expect(port.fixed_ips).toEqual([{ subnet_id: subnetId, ip_address: "10.40.0.50" }]);

    const listed = JSON.parse((await cli.run("port", "list", "-f", "json")).out) as PortJson[];
    expect(listed.find((p) => p.name === "cli-port")?.id).toBe(port.id);
    const table = await cli.run("port", "list", "-c", "Name", "-c", "Fixed IP Addresses", "-f", "value");
    expect(table.out.split("\n")).toContain(`cli-port ip_address='10.40.0.50', subnet_id='${subnetId}'`);
    expect((await cli.run("port", "show", "cli-port", "-f", "value", "-c", "id")).out).toBe(`${port.id}\n`);

    expect((await cli.run("port", "delete", port.id)).code).toBe(0);
    expect((await cli.run("port", "show", port.id)).code).toBe(3);
  });

  it("show and delete of a missing port: exit 3", async () => {
    for (const verb of ["show", "delete"]) {
      const { code, err } = await cli.run("port", verb, "no-such-port");
      expect(code).toBe(3);
      expect(err).toMatch(/^error: NOT_FOUND: .*no-such-port.*\n$/);
    }
  });

  it("usage errors exit 2: no --network, a malformed --fixed-ip", async () => {
    expect((await cli.run("port", "create", "p")).code).toBe(2);
    const bad = await cli.run("port", "create", "p", "--network", "port-net", "--fixed-ip", "10.40.0.9");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--fixed-ip/);
  });
});
