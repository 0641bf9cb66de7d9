import { createHash, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliSim, startCliSim } from "../testing/cli-sim.js";

let cli: CliSim;
let file: string;
let data: Buffer;
beforeAll(async () => {
  cli = await startCliSim("modern");
  data = randomBytes(300 * 1024 + 7);
  file = join(cli.dir, "disk.raw");
  writeFileSync(file, data);
});
afterAll(async () => {
  await cli?.close();
});

interface ImageJson {
  id: string;
  name: string;
  status: string;
  size: string;
  checksum: string;
  disk_format: string;
  properties: Record<string, unknown>;
}

describe("oaktree image", () => {
  it("create --file streams it: the image is active with the file's size and MD5; plain progress lines on stderr", async () => {
    const created = await cli.run(
      "image",
      "create",
      "cli-image",
      "--file",
      file,
      "--disk-format",
      "raw",
      "--property",
      "os_distro=cirros",
      "-f",
      "json",
    );
    expect(created.code).toBe(0);
    const image = JSON.parse(created.out) as ImageJson;
    expect(image).toMatchObject({
      name: "cli-image",
      status: "active",
      disk_format: "raw",
      size: String(data.length),
    });
    expect(image.checksum).toBe(createHash("md5").update(data).digest("hex"));
    expect(image.properties.os_distro).toBe("cirros");
    const lines = created.err.trim().split("\n");
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\S+Z uploading image cli-image: /);
    expect(
      lines.some((l) => /uploading \d+\.\d KiB \/ 300\.0 KiB \(\d+%\), [\d.]+ [KMG]?i?B\/s$/.test(l)),
    ).toBe(true);
    expect(lines.at(-1)).toMatch(/: active \(\d+\.\d+s\)$/);
  });

  it("the same command again reuses the identical image (same name and MD5): nothing uploaded", async () => {
    const before = JSON.parse((await cli.run("image", "list", "-f", "json")).out) as ImageJson[];
    const again = await cli.run(
      "image",
      "create",
      "cli-image",
      "--file",
      file,
      "--disk-format",
      "raw",
      "-f",
      "json",
    );
    expect(again.code).toBe(0);
    expect(again.err).toMatch(/an identical image existed: nothing uploaded/);
    expect(again.err).not.toMatch(/uploading \d/);
    const after = JSON.parse((await cli.run("image", "list", "-f", "json")).out) as ImageJson[];
    expect(after.filter((i) => i.name === "cli-image")).toHaveLength(1);
    expect(after).toHaveLength(before.length);
  });

  it("list, show and delete", async () => {
    const table = await cli.run("image", "list", "-c", "Name", "-c", "Status", "-f", "value");
    expect(table.out.split("\n")).toContain("cli-image active");
    const shown = JSON.parse((await cli.run("image", "show", "cli-image", "-f", "json")).out) as ImageJson;
    expect(shown.name).toBe("cli-image");
    expect((await cli.run("image", "delete", shown.id)).code).toBe(0);
    expect((await cli.run("image", "show", "cli-image")).code).toBe(3);
  });

  it("show and delete of a missing image: exit 3", async () => {
    for (const verb of ["show", "delete"]) {
      const { code, err } = await cli.run("image", verb, "no-such-image");
      expect(code).toBe(3);
      expect(err).toMatch(/^error: NOT_FOUND: .*no-such-image.*\n$/);
    }
  });

  it("usage errors exit 2, naming the flag: no --file, a missing file, a bad --property, two visibilities", async () => {
    expect((await cli.run("image", "create", "x")).code).toBe(2);
    for (const [argv, named] of [
      [["--file", join(cli.dir, "absent.img")], /--file .*ENOENT/],
      [["--file", cli.dir], /--file .*not a regular file/],
      [["--file", file, "--property", "novalue"], /--property/],
      [["--file", file, "--public", "--private"], /--public, --private/],
    ] as const) {
      const { code, err } = await cli.run("image", "create", "x", ...argv);
      expect(code).toBe(2);
      expect(err).toMatch(named);
    }
    expect(JSON.parse((await cli.run("image", "list", "-f", "json")).out)).not.toContainEqual(
      expect.objectContaining({ name: "x" }),
    );
  });
});
