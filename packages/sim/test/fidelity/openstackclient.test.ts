/**
 * Fidelity: Debian's python3-openstackclient (`/usr/bin/openstack`), unchanged, against an in-process
 * simulator. Each CLI call costs ~1.5 s of Python start-up, so the flows are grouped in few cases.
 * Under CI=true the client must be installed; by hand without it, the file is skipped.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator.js";

const OPENSTACK = "/usr/bin/openstack";
const present = existsSync(OPENSTACK);
if (!present && process.env.CI === "true") {
  throw new Error(`${OPENSTACK} is missing: CI installs python3-openstackclient for the fidelity tests`);
}
if (!present) console.warn(`skipping openstackclient fidelity tests: ${OPENSTACK} not installed`);

let sim: Simulator;
let dir: string;

/** Runs `openstack --os-cloud sim ARGS` with a clean environment (Debian's python, not pyenv's). */
function os(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      OPENSTACK,
      ["--os-cloud", "sim", ...args],
      {
        env: {
          PATH: "/usr/bin:/bin",
          HOME: dir,
          OS_CLIENT_CONFIG_FILE: join(dir, "clouds.yaml"),
          LANG: "C.UTF-8",
        },
        timeout: 60_000,
      },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`openstack ${args.join(" ")} failed: ${stderr || err.message}`));
        else resolve(stdout.trim());
      },
    );
  });
}

/** `-f json` output of a command. */
async function osJson<T>(...args: string[]): Promise<T> {
  return JSON.parse(await os(...args, "-f", "json")) as T;
}

describe.skipIf(!present)("python3-openstackclient against the simulator (modern)", () => {
  beforeAll(async () => {
    sim = await startSimulator({ profile: "modern", buildDelayMs: 0, deleteDelayMs: 0 });
    dir = await mkdtemp(join(tmpdir(), "oaktree-fidelity-"));
    await sim.writeCloudsYaml(join(dir, "clouds.yaml"));
  });
  afterAll(async () => {
    await sim?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("token issue, catalog list, flavor list", { timeout: 120_000 }, async () => {
    const token = await osJson<{ id: string; project_id: string }>("token", "issue");
    expect(token.id).toMatch(/^gAAAAA/);
    const catalog = await osJson<{ Type: string }[]>("catalog", "list");
    expect(catalog.map((e) => e.Type)).toEqual(
      expect.arrayContaining(["identity", "compute", "network", "image", "block-storage", "object-store"]),
    );
    const flavors = await osJson<{ Name: string }[]>("flavor", "list");
    expect(flavors.map((f) => f.Name)).toContain("m1.tiny");
  });

  it("image create --file, image show; volume create, show, delete", { timeout: 120_000 }, async () => {
    const file = join(dir, "disk.raw");
    await writeFile(file, "fidelity image bytes\n");
    await os(
      "image",
      "create",
      "--file",
      file,
      "--disk-format",
      "raw",
      "--container-format",
      "bare",
      "fid-img",
    );
    const img = await osJson<{ status: string; size: number; checksum: string }>("image", "show", "fid-img");
    expect(img).toMatchObject({ status: "active", size: 21 });
    expect(img.checksum).toBe(createHash("md5").update("fidelity image bytes\n").digest("hex"));

    await os("volume", "create", "--size", "1", "fid-vol");
    const vol = await osJson<{ status: string; size: number }>("volume", "show", "fid-vol");
    expect(vol).toMatchObject({ status: "available", size: 1 });
    await os("volume", "delete", "fid-vol");
    expect(sim.admin.state.world.volumes.find((v) => v.name === "fid-vol")).toBeUndefined();
  });

  it("server create --wait, list, show; network/subnet/router; floating ip; server delete", {
    timeout: 120_000,
  }, async () => {
    const cirros = sim.admin.state.world.images.all()[0]!.name;
    const server = await osJson<{ status: string; id: string }>(
      "server",
      "create",
      "--wait",
      "--flavor",
      "m1.tiny",
      "--image",
      cirros,
      "--network",
      "private",
      "fid-srv",
    );
    expect(server.status).toBe("ACTIVE");
    const list = await osJson<{ Name: string; Status: string }[]>("server", "list");
    expect(list).toContainEqual(expect.objectContaining({ Name: "fid-srv", Status: "ACTIVE" }));

    await os("network", "create", "fid-net");
    const subnet = await osJson<{ cidr: string }>(
      "subnet",
      "create",
      "--network",
      "fid-net",
      "--subnet-range",
      "192.168.77.0/24",
      "fid-sub",
    );
    expect(subnet.cidr).toBe("192.168.77.0/24");
    await os("router", "create", "fid-rtr");
    await os("router", "add", "subnet", "fid-rtr", "fid-sub");
    await os("router", "set", "--external-gateway", "public", "fid-rtr");
    const router = await osJson<{ external_gateway_info: { network_id: string } }>(
      "router",
      "show",
      "fid-rtr",
    );
    expect(router.external_gateway_info.network_id).toBeTruthy();

    const fip = await osJson<{ floating_ip_address: string }>("floating", "ip", "create", "public");
    await os("server", "add", "floating", "ip", "fid-srv", fip.floating_ip_address);
    const shown = await osJson<{ addresses: Record<string, string[]> | string }>("server", "show", "fid-srv");
    expect(JSON.stringify(shown.addresses)).toContain(fip.floating_ip_address);

    await os("server", "delete", "--wait", "fid-srv");
    const after = await osJson<{ Name: string }[]>("server", "list");
    expect(after.map((s) => s.Name)).not.toContain("fid-srv");
  });
});
