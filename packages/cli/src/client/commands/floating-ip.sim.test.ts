import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliSim, startCliSim } from "../testing/cli-sim.js";

let cli: CliSim;
let serverId: string;
beforeAll(async () => {
  cli = await startCliSim("modern");
  const server = await cli.run(
    "server",
    "create",
    "fip-host",
    "--image",
    "cirros-0.6.2-x86_64-disk",
    "--flavor",
    "m1.tiny",
    "--no-auto-ip",
    "--wait",
    "-f",
    "json",
  );
  expect(server.code).toBe(0);
  serverId = (JSON.parse(server.out) as { id: string }).id;
}, 30_000);
afterAll(async () => {
  await cli?.close();
});

interface FipJson {
  id: string;
  floating_ip_address: string;
  fixed_ip_address: string;
  port_id: string;
  attached: boolean;
}

describe("oaktree floating ip", () => {
  it("create -f json; list and show find it; attach to a server, detach, delete", async () => {
    const created = await cli.run("floating", "ip", "create", "-f", "json");
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    const fip = JSON.parse(created.out) as FipJson;
    expect(fip.floating_ip_address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(fip.attached).toBe(false);

    const listed = JSON.parse((await cli.run("floating", "ip", "list", "-f", "json")).out) as FipJson[];
    expect(listed.find((f) => f.id === fip.id)?.floating_ip_address).toBe(fip.floating_ip_address);
    const shown = await cli.run("floating", "ip", "show", fip.floating_ip_address, "-f", "value", "-c", "id");
    expect(shown.out).toBe(`${fip.id}\n`);

    const attached = await cli.run(
      "floating",
      "ip",
      "attach",
      fip.floating_ip_address,
      "fip-host",
      "-f",
      "json",
    );
    expect(attached.err).toBe("");
    expect(attached.code).toBe(0);
    const onServer = JSON.parse(attached.out) as FipJson;
    expect(onServer.attached).toBe(true);
    expect(onServer.fixed_ip_address).not.toBe("");
    const server = JSON.parse((await cli.run("server", "show", serverId, "-f", "json")).out) as {
      addresses: { address: string }[];
    };
    expect(server.addresses.map((a) => a.address)).toContain(fip.floating_ip_address);

    const detached = await cli.run("floating", "ip", "detach", fip.id, "-f", "json");
    expect(detached.code).toBe(0);
    expect((JSON.parse(detached.out) as FipJson).attached).toBe(false);

    expect((await cli.run("floating", "ip", "delete", fip.id)).code).toBe(0);
    expect((await cli.run("floating", "ip", "show", fip.id)).code).toBe(3);
  });

  it("create --attach-to SERVER attaches the new address at once", async () => {
    const { code, out } = await cli.run("floating", "ip", "create", "--attach-to", "fip-host", "-f", "json");
    expect(code).toBe(0);
    expect((JSON.parse(out) as FipJson).attached).toBe(true);
  });

  it("show, delete and attach of a missing floating IP: exit 3", async () => {
    for (const argv of [
      ["show", "203.0.113.254"],
      ["delete", "203.0.113.254"],
      ["attach", "203.0.113.254", "fip-host"],
    ]) {
      const { code, err } = await cli.run("floating", "ip", ...argv);
      expect(code).toBe(3);
      expect(err).toMatch(/^error: NOT_FOUND: .*\n$/);
    }
  });

  it("usage errors exit 2: attach without a server", async () => {
    expect((await cli.run("floating", "ip", "attach", "203.0.113.9")).code).toBe(2);
    expect((await cli.run("floating", "ip", "frobnicate")).code).toBe(2);
  });
});
