import { readFileSync, statSync, writeFileSync } from "node:fs";
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

interface KeypairJson {
  name: string;
  fingerprint: string;
  public_key: string;
  private_key: string;
}

const PUBLIC_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHzjw4RM0dOcsOqYlFJ29VlxhSrTXRK0yPJHj0qW2cOr cli@test";

describe("oaktree keypair", () => {
  it("create --public-key imports the file's key; list and show find it; delete removes it", async () => {
    const file = join(cli.dir, "id.pub");
    writeFileSync(file, `${PUBLIC_KEY}\n`);
    const created = await cli.run("keypair", "create", "imported", "--public-key", file, "-f", "json");
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    const keypair = JSON.parse(created.out) as KeypairJson;
    expect(keypair.public_key).toBe(PUBLIC_KEY);
    expect(keypair.private_key).toBe("");

    const listed = JSON.parse((await cli.run("keypair", "list", "-f", "json")).out) as KeypairJson[];
    expect(listed.map((k) => k.name)).toContain("imported");
    expect((await cli.run("keypair", "show", "imported", "-f", "value", "-c", "fingerprint")).out).toBe(
      `${keypair.fingerprint}\n`,
    );
    expect((await cli.run("keypair", "delete", "imported")).code).toBe(0);
    expect((await cli.run("keypair", "show", "imported")).code).toBe(3);
  });

  it("create without a key prints the generated private key once (table format)", async () => {
    const { code, out, err } = await cli.run("keypair", "create", "generated");
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toMatch(/^-----BEGIN [A-Z ]*PRIVATE KEY-----\n[\s\S]+-----END [A-Z ]*PRIVATE KEY-----\n$/);
    const shown = JSON.parse(
      (await cli.run("keypair", "show", "generated", "-f", "json")).out,
    ) as KeypairJson;
    expect(shown.private_key).toBe("");
  });

  it("--private-key FILE: the key goes to a new file with mode 0600, not to stdout; an existing file is refused", async () => {
    const file = join(cli.dir, "id_generated");
    const { code, out } = await cli.run("keypair", "create", "to-file", "--private-key", file, "-f", "json");
    expect(code).toBe(0);
    expect((JSON.parse(out) as KeypairJson).private_key).toBe("");
    expect(readFileSync(file, "utf8")).toMatch(/PRIVATE KEY-----/);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const again = await cli.run("keypair", "create", "to-file-2", "--private-key", file);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/--private-key .*EEXIST/);
    // Refused before the call: no keypair whose private key nobody has.
    expect((await cli.run("keypair", "show", "to-file-2")).code).toBe(3);
  });

  it("show and delete of a missing keypair: exit 3; a missing --public-key file: exit 2", async () => {
    for (const verb of ["show", "delete"]) {
      const { code, err } = await cli.run("keypair", verb, "no-such-key");
      expect(code).toBe(3);
      expect(err).toMatch(/^error: NOT_FOUND: .*no-such-key.*\n$/);
    }
    const missing = await cli.run("keypair", "create", "k", "--public-key", join(cli.dir, "nope.pub"));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--public-key .*ENOENT/);
  });
});
