import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliSim, startCliSim } from "../testing/cli-sim.js";

let cli: CliSim;
beforeAll(async () => {
  cli = await startCliSim("modern");
});
afterAll(async () => {
  await cli?.close();
});

/** Progress lines with their timestamps and the server's generated parts made stable. */
function normalized(text: string): string {
  return text
    .replace(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /gm, "<time> ")
    .replace(/\(\d+\.\ds\)$/gm, "(<elapsed>)")
    .replace(/\b\d{1,3}(\.\d{1,3}){3}\b/g, "<ip>")
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "<uuid>");
}

describe("oaktree server", () => {
  it("create --wait (not a TTY): timestamped progress lines on stderr, the server on stdout as JSON", async () => {
    const { code, out, err } = await cli.run(
      "server",
      "create",
      "demo",
      "--image",
      "cirros-0.6.2-x86_64-disk",
      "--flavor",
      "m1.tiny",
      "--wait",
      "-f",
      "json",
    );
    expect(code).toBe(0);
    const server = JSON.parse(out) as {
      name: string;
      status: string;
      public_v4: string;
      location: { cloud: string };
    };
    expect([server.name, server.status, server.location.cloud]).toEqual(["demo", "ACTIVE", "sim"]);
    expect(server.public_v4).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(normalized(err)).toMatchInlineSnapshot(`
      "<time> creating server demo: accepted
      <time> creating server demo: building: the cloud accepted server <uuid>
      <time> creating server demo: building (BUILD)
      <time> creating server demo: building (ACTIVE)
      <time> creating server demo: attaching ip (ACTIVE)
      <time> creating server demo: ACTIVE, reachable at <ip> (<elapsed>)
      "
    `);
  });

  it("create without --wait: returns once the cloud accepted it (BUILD), with no progress output", async () => {
    const { code, out, err } = await cli.run(
      ...[
        "server",
        "create",
        "nowait",
        "--image",
        "cirros-0.6.2-x86_64-disk",
        "--flavor",
        "m1.tiny",
        "-f",
        "json",
      ],
    );
    expect(err).toBe("");
    expect(code).toBe(0);
    expect((JSON.parse(out) as { name: string; status: string }).status).toBe("BUILD");
  });

  it("list and show find it; -c picks columns", async () => {
    const list = await cli.run("server", "list", "-f", "json");
    expect(list.code).toBe(0);
    expect((JSON.parse(list.out) as { name: string }[]).map((s) => s.name)).toContain("demo");
    const value = await cli.run("server", "list", "-f", "value", "-c", "Name", "-c", "Status");
    expect(value.out.split("\n")).toContain("demo ACTIVE");
    const show = await cli.run("server", "show", "demo", "-f", "yaml", "-c", "status");
    expect(show.out).toBe("status: ACTIVE\n");
  });

  it("the same client token returns the same server, not a second one", async () => {
    const args = ["server", "create", "twice", "--image", "cirros-0.6.2-x86_64-disk", "--flavor", "m1.tiny"];
    const first = await cli.run(...args, "--wait", "--client-token", "tok-1", "-f", "json");
    const second = await cli.run(...args, "--wait", "--client-token", "tok-1", "-f", "json");
    expect([first.code, second.code]).toEqual([0, 0]);
    expect((JSON.parse(second.out) as { id: string }).id).toBe((JSON.parse(first.out) as { id: string }).id);
    expect(second.err).toMatch(/it existed already/);
  });

  it("the create flags reach the request: --network, --security-group, --no-auto-ip, --boot-from-volume, --user-data", async () => {
    const userData = join(cli.dir, "cloud-init.yaml");
    writeFileSync(userData, "#cloud-config\npackages: [nginx]\n");
    cli.sim.admin.reset();
    const { code, out, err } = await cli.run(
      ...[
        "server",
        "create",
        "flags",
        "--image",
        "cirros-0.6.2-x86_64-disk",
        "--flavor",
        "m1.tiny",
        "--wait",
      ],
      ...["--network", "private", "--security-group", "default", "--no-auto-ip", "--user-data", userData],
      ...["--boot-from-volume", "--volume-size", "2", "--timeout", "60", "-f", "json"],
    );
    expect(err).not.toMatch(/^error/m);
    expect(code).toBe(0);
    const server = JSON.parse(out) as {
      status: string;
      public_v4: string;
      security_groups: string[];
      volume_ids: string[];
      addresses: { network: string }[];
    };
    expect(server.status).toBe("ACTIVE");
    expect(server.public_v4).toBe("");
    expect(cli.sim.admin.count("network", "POST /floatingips")).toBe(0);
    expect(server.security_groups).toEqual(["default"]);
    expect(server.addresses.map((a) => a.network)).toEqual(["private"]);
    expect(server.volume_ids).toHaveLength(1);
    const missing = await cli.run(
      ...[
        "server",
        "create",
        "x",
        "--image",
        "i",
        "--flavor",
        "f",
        "--user-data",
        join(cli.dir, "nope.yaml"),
      ],
    );
    expect(missing.err).toBe(`error: --user-data ${join(cli.dir, "nope.yaml")}: ENOENT\n`);
    expect(missing.code).toBe(2);
  });

  it("a missing image: one error line, exit code 3, nothing created", async () => {
    const { code, out, err } = await cli.run(
      "server",
      "create",
      "nope",
      "--image",
      "no-such-image",
      "--flavor",
      "m1.tiny",
    );
    expect(out).toBe("");
    expect(err).toMatch(/^error: NOT_FOUND: .*no-such-image.*\n$/);
    expect(code).toBe(3);
    const list = await cli.run("server", "list", "-f", "value", "-c", "name");
    expect(list.out.split("\n")).not.toContain("nope");
  });

  it("a bad --volume-size is a usage error naming the flag (exit 2)", async () => {
    const { code, err } = await cli.run(
      "server",
      "create",
      "x",
      "--image",
      "i",
      "--flavor",
      "f",
      "--boot-from-volume",
      "--volume-size",
      "ten",
    );
    expect(err).toBe('error: --volume-size: "ten" is not a positive whole number\n');
    expect(code).toBe(2);
  });

  it("watch prints events until Ctrl-C", async () => {
    const watching = cli.run("server", "watch", "-f", "json");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    process.emit("SIGINT");
    const { code, out } = await watching;
    expect(code).toBe(0);
    const events = out
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string; initial: boolean; server: { name: string } });
    expect(events.filter((e) => e.initial).map((e) => e.server.name)).toEqual(
      expect.arrayContaining(["demo", "twice"]),
    );
  });

  it("delete --wait --delete-ips: gone, its floating IP too", async () => {
    const { code, err } = await cli.run("server", "delete", "demo", "--wait", "--delete-ips");
    expect(code).toBe(0);
    expect(normalized(err)).toMatchInlineSnapshot(`
      "<time> deleting server demo: deleting (ACTIVE)
      <time> deleting server demo: gone; floating IPs deleted: <ip> (<elapsed>)
      "
    `);
    const show = await cli.run("server", "show", "demo");
    expect(show.code).toBe(3);
  });
});

describe("oaktree clouds, limits, capabilities", () => {
  it("clouds -f json lists both of the simulator's clouds, sim the default", async () => {
    const { code, out } = await cli.run("clouds", "-f", "json");
    expect(code).toBe(0);
    const clouds = JSON.parse(out) as { location: { cloud: string }; is_default: boolean }[];
    expect(clouds.map((c) => [c.location.cloud, c.is_default])).toEqual(
      expect.arrayContaining([
        ["sim", true],
        ["sim-admin", false],
      ]),
    );
  });

  it("limits -f json has the quota numbers", async () => {
    const { code, out } = await cli.run("limits", "-f", "json");
    expect(code).toBe(0);
    expect(Number((JSON.parse(out) as { max_total_instances: string }).max_total_instances)).toBeGreaterThan(
      0,
    );
  });

  it("capabilities --cloud sim-admin -f json: the floating IP model of a neutron cloud", async () => {
    const { code, out } = await cli.run("capabilities", "--cloud", "sim-admin", "-f", "json");
    expect(code).toBe(0);
    const caps = JSON.parse(out) as { floating_ip_model: string; location: { cloud: string } };
    expect([caps.floating_ip_model, caps.location.cloud]).toEqual(["FLOATING_IP_MODEL_NEUTRON", "sim-admin"]);
  });

  it("--region and OS_REGION_NAME become location.region (an unknown one names the field)", async () => {
    const flag = await cli.run("limits", "--region", "Atlantis");
    expect(flag.err).toMatch(/^error: INVALID_ARGUMENT: location\.region: .*Atlantis/);
    expect(flag.code).toBe(2);
    process.env.OS_REGION_NAME = "Atlantis";
    try {
      expect((await cli.run("limits")).err).toMatch(/^error: INVALID_ARGUMENT: location\.region: .*Atlantis/);
      // The flag wins over the variable, as in the openstack CLI.
      const region = (await cli.run("clouds", "-f", "value", "-c", "region")).out.split("\n")[0] as string;
      expect((await cli.run("limits", "--region", region, "-f", "json")).code).toBe(0);
    } finally {
      delete process.env.OS_REGION_NAME;
    }
  });

  it("an unknown --cloud: INVALID_ARGUMENT naming location.cloud, exit 2", async () => {
    const { code, err } = await cli.run("limits", "--cloud", "nowhere");
    expect(err).toMatch(/^error: INVALID_ARGUMENT: location\.cloud: unknown cloud "nowhere"/);
    expect(code).toBe(2);
  });
});
