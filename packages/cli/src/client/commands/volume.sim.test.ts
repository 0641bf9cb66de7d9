import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliSim, startCliSim } from "../testing/cli-sim.js";

let cli: CliSim;
beforeAll(async () => {
  cli = await startCliSim("modern");
  const server = await cli.run(
    "server",
    "create",
    "vol-host",
    "--image",
    "cirros-0.6.2-x86_64-disk",
    "--flavor",
    "m1.tiny",
    "--no-auto-ip",
    "--wait",
  );
  expect(server.code).toBe(0);
}, 30_000);
afterAll(async () => {
  await cli?.close();
});

interface VolumeJson {
  id: string;
  name: string;
  status: string;
  size: number;
  metadata: Record<string, string>;
  attachments: { server_id: string; device: string }[];
}

describe("oaktree volume", () => {
  it("create --wait: plain progress lines on stderr (not a TTY), the available volume on stdout as JSON", async () => {
    const created = await cli.run(
      "volume",
      "create",
      "cli-vol",
      "--size",
      "2",
      "--property",
      "role=data",
      "--wait",
      "-f",
      "json",
    );
    expect(created.code).toBe(0);
    const volume = JSON.parse(created.out) as VolumeJson;
    expect(volume).toMatchObject({
      name: "cli-vol",
      size: 2,
      status: "available",
      metadata: { role: "data" },
    });
    const lines = created.err.trim().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\S+Z creating volume cli-vol: /);
    expect(lines.at(-1)).toMatch(/creating volume cli-vol: available \(\d+\.\d+s\)$/);
  });

  it("create without --wait: no progress, the volume as the cloud accepted it", async () => {
    const { code, out, err } = await cli.run("volume", "create", "quick-vol", "--size", "1", "-f", "json");
    expect(code).toBe(0);
    expect(err).toBe("");
    expect((JSON.parse(out) as VolumeJson).name).toBe("quick-vol");
  });

  it("list and show find it; attach and detach a server; delete --wait removes it", async () => {
    const listed = JSON.parse((await cli.run("volume", "list", "-f", "json")).out) as VolumeJson[];
    const volume = listed.find((v) => v.name === "cli-vol");
    expect(volume?.size).toBe(2);
    expect((await cli.run("volume", "show", "cli-vol", "-f", "value", "-c", "id")).out).toBe(
      `${volume?.id}\n`,
    );

    const attached = await cli.run("volume", "attach", "cli-vol", "vol-host", "-f", "json");
    expect(attached.err).toBe("");
    expect(attached.code).toBe(0);
    const server = JSON.parse((await cli.run("server", "show", "vol-host", "-f", "json")).out) as {
      id: string;
    };
    expect((JSON.parse(attached.out) as VolumeJson).attachments.map((a) => a.server_id)).toEqual([server.id]);
    const table = await cli.run("volume", "list", "-c", "Name", "-c", "Attached to", "-f", "value");
    expect(table.out).toMatch(new RegExp(`^cli-vol Attached to ${server.id} on \\S+$`, "m"));

    const detached = await cli.run("volume", "detach", "cli-vol", "vol-host", "-f", "json");
    expect(detached.code).toBe(0);
    expect((JSON.parse(detached.out) as VolumeJson).attachments).toEqual([]);

    expect((await cli.run("volume", "delete", "cli-vol", "--wait")).code).toBe(0);
    expect((await cli.run("volume", "show", "cli-vol")).code).toBe(3);
  });

  it("show, delete and attach of a missing volume: exit 3", async () => {
    for (const argv of [
      ["show", "no-such-vol"],
      ["delete", "no-such-vol"],
      ["attach", "no-such-vol", "vol-host"],
    ]) {
      const { code, err } = await cli.run("volume", ...argv);
      expect(code).toBe(3);
      expect(err).toMatch(/^error: NOT_FOUND: .*no-such-vol.*\n$/);
    }
  });

  it("usage errors exit 2, naming the flag: --size, --property", async () => {
    const size = await cli.run("volume", "create", "v", "--size", "0");
    expect(size.code).toBe(2);
    expect(size.err).toMatch(/--size/);
    const property = await cli.run("volume", "create", "v", "--size", "1", "--property", "novalue");
    expect(property.code).toBe(2);
    expect(property.err).toMatch(/--property/);
    expect((await cli.run("volume", "attach", "v")).code).toBe(2);
  });
});
