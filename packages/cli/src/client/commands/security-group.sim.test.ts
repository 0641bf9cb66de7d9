import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliSim, startCliSim } from "../testing/cli-sim.js";

let cli: CliSim;
beforeAll(async () => {
  cli = await startCliSim("modern");
});
afterAll(async () => {
  await cli?.close();
});

interface RuleJson {
  id: string;
  security_group_id: string;
  direction: string;
  ethertype: string;
  protocol: string;
  port_range_min?: number;
  port_range_max?: number;
  remote_ip_prefix: string;
  remote_group_id: string;
}

describe("oaktree security group", () => {
  it("create -f json; list and show find it; delete removes it", async () => {
    const created = await cli.run(
      "security",
      "group",
      "create",
      "cli-sg",
      "--description",
      "web",
      "-f",
      "json",
    );
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    const group = JSON.parse(created.out) as { id: string; name: string; description: string };
    expect(group).toMatchObject({ name: "cli-sg", description: "web" });

    const listed = JSON.parse((await cli.run("security", "group", "list", "-f", "json")).out) as {
      id: string;
      name: string;
    }[];
    expect(listed.find((g) => g.name === "cli-sg")?.id).toBe(group.id);
    expect((await cli.run("security", "group", "show", group.id, "-f", "value", "-c", "name")).out).toBe(
      "cli-sg\n",
    );

    expect((await cli.run("security", "group", "delete", "cli-sg")).code).toBe(0);
    expect((await cli.run("security", "group", "show", "cli-sg")).code).toBe(3);
  });

  it("rule create --protocol tcp --dst-port 8000:8080 --remote-ip; rule list shows it; rule delete removes it", async () => {
    expect((await cli.run("security", "group", "create", "rules-sg")).code).toBe(0);
    const created = await cli.run(
      "security",
      "group",
      "rule",
      "create",
      "rules-sg",
      "--protocol",
      "tcp",
      "--dst-port",
      "8000:8080",
      "--remote-ip",
      "192.0.2.0/24",
      "-f",
      "json",
    );
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    const rule = JSON.parse(created.out) as RuleJson;
    expect(rule).toMatchObject({
      direction: "DIRECTION_INGRESS",
      protocol: "tcp",
      port_range_min: 8000,
      port_range_max: 8080,
      remote_ip_prefix: "192.0.2.0/24",
    });

    const egress = await cli.run(
      "security",
      "group",
      "rule",
      "create",
      "rules-sg",
      "--egress",
      "--protocol",
      "udp",
      "--dst-port",
      "53",
      "--remote-group",
      "rules-sg",
      "--ethertype",
      "ipv6",
      "-f",
      "json",
    );
    expect(egress.code).toBe(0);
    const egressRule = JSON.parse(egress.out) as RuleJson;
    expect(egressRule).toMatchObject({
      direction: "DIRECTION_EGRESS",
      ethertype: "IPv6",
      port_range_min: 53,
      port_range_max: 53,
    });
    expect(egressRule.remote_group_id).toBe(egressRule.security_group_id);

    const table = await cli.run(
      "security",
      "group",
      "rule",
      "list",
      "rules-sg",
      "-c",
      "ID",
      "-c",
      "Port Range",
      "-c",
      "Direction",
      "-f",
      "value",
    );
    expect(table.code).toBe(0);
    expect(table.out.split("\n")).toEqual(
      expect.arrayContaining([`${rule.id} 8000:8080 ingress`, `${egressRule.id} 53:53 egress`]),
    );
    const listed = JSON.parse(
      (await cli.run("security", "group", "rule", "list", "rules-sg", "-f", "json")).out,
    ) as RuleJson[];
    expect(listed.map((r) => r.id)).toEqual(expect.arrayContaining([rule.id, egressRule.id]));

    expect((await cli.run("security", "group", "rule", "delete", rule.id)).code).toBe(0);
    const after = JSON.parse(
      (await cli.run("security", "group", "rule", "list", "rules-sg", "-f", "json")).out,
    ) as RuleJson[];
    expect(after.map((r) => r.id)).not.toContain(rule.id);
    expect((await cli.run("security", "group", "rule", "delete", rule.id)).code).toBe(3);
  });

  it("show, delete and rule list of a missing group: exit 3", async () => {
    for (const argv of [
      ["show", "no-such-sg"],
      ["delete", "no-such-sg"],
      ["rule", "list", "no-such-sg"],
    ]) {
      const { code, err } = await cli.run("security", "group", ...argv);
      expect(code).toBe(3);
      expect(err).toMatch(/^error: NOT_FOUND: .*no-such-sg.*\n$/);
    }
  });

  it("usage errors exit 2, naming the flag: --dst-port, --ethertype, --ingress with --egress", async () => {
    for (const [flags, named] of [
      [["--dst-port", "80:22"], /--dst-port/],
      [["--dst-port", "70000"], /--dst-port/],
      [["--ethertype", "IPv5"], /--ethertype/],
      [["--ingress", "--egress"], /--ingress, --egress/],
    ] as const) {
      const { code, err } = await cli.run("security", "group", "rule", "create", "any-sg", ...flags);
      expect(code).toBe(2);
      expect(err).toMatch(named);
    }
  });
});
