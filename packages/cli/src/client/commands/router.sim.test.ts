import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliSim, startCliSim } from "../testing/cli-sim.js";

let cli: CliSim;
let externalNetwork: { id: string; name: string };
beforeAll(async () => {
  cli = await startCliSim("modern");
  expect((await cli.run("network", "create", "router-net")).code).toBe(0);
  const subnet = await cli.run(
    "subnet",
    "create",
    "router-subnet",
    "--network",
    "router-net",
    "--subnet-range",
    "10.30.0.0/24",
  );
  expect(subnet.code).toBe(0);
  const networks = JSON.parse((await cli.run("network", "list", "-f", "json")).out) as {
    id: string;
    name: string;
    is_router_external: boolean;
  }[];
  const external = networks.find((n) => n.is_router_external);
  if (!external) throw new Error("the modern simulator has no external network");
  externalNetwork = external;
});
afterAll(async () => {
  await cli?.close();
});

interface RouterJson {
  id: string;
  name: string;
  is_admin_state_up: boolean;
  external_gateway?: { network_id: string };
}

describe("oaktree router", () => {
  it("create --external-gateway -f json; add subnet makes an interface port; remove subnet and delete undo it", async () => {
    const created = await cli.run(
      "router",
      "create",
      "cli-router",
      "--external-gateway",
      externalNetwork.name,
      "-f",
      "json",
    );
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    const router = JSON.parse(created.out) as RouterJson;
    expect(router.name).toBe("cli-router");
    expect(router.external_gateway?.network_id).toBe(externalNetwork.id);

    const listed = JSON.parse((await cli.run("router", "list", "-f", "json")).out) as RouterJson[];
    expect(listed.find((r) => r.name === "cli-router")?.id).toBe(router.id);
    const table = await cli.run("router", "list", "-c", "Name", "-c", "State", "-f", "value");
    expect(table.out.split("\n")).toContain("cli-router UP");

    const added = await cli.run("router", "add", "subnet", "cli-router", "router-subnet");
    expect(added.err).toBe("");
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/^Added subnet router-subnet to router cli-router \(port \S+\)\n$/);
    const portId = /\(port (\S+)\)/.exec(added.out)?.[1] ?? "";
    const port = JSON.parse((await cli.run("port", "show", portId, "-f", "json")).out) as {
      device_id: string;
    };
    expect(port.device_id).toBe(router.id);

    const removed = await cli.run("router", "remove", "subnet", "cli-router", "router-subnet");
    expect(removed.code).toBe(0);
    expect((await cli.run("port", "show", portId)).code).toBe(3);

    expect((await cli.run("router", "delete", "cli-router")).code).toBe(0);
    expect((await cli.run("router", "show", "cli-router")).code).toBe(3);
  });

  it("show, delete and add subnet of a missing router: exit 3", async () => {
    for (const argv of [
      ["show", "no-such-router"],
      ["delete", "no-such-router"],
      ["add", "subnet", "no-such-router", "router-subnet"],
    ]) {
      const { code, err } = await cli.run("router", ...argv);
      expect(code).toBe(3);
      expect(err).toMatch(/^error: NOT_FOUND: .*no-such-router.*\n$/);
    }
  });

  it("usage errors exit 2: add subnet without the subnet", async () => {
    expect((await cli.run("router", "add", "subnet", "r")).code).toBe(2);
    expect((await cli.run("router", "create")).code).toBe(2);
  });
});
