/**
 * Fidelity: Debian's python3-openstacksdk (pulled in by python3-openstackclient), unchanged, against an
 * in-process simulator of the nova-network profile: its floating-IP path asks nova's `GET /extensions`
 * first, then uses os-floating-ip-pools and os-floating-ips. Under CI=true openstacksdk must be
 * installed; by hand without it, the file is skipped.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator.js";

const PYTHON = "/usr/bin/python3";
const SDK = "/usr/lib/python3/dist-packages/openstack/__init__.py";
const present = existsSync(PYTHON) && existsSync(SDK);
if (!present && process.env.CI === "true") {
  throw new Error(`${SDK} is missing: CI installs python3-openstackclient (with openstacksdk)`);
}
if (!present) console.warn("skipping openstacksdk fidelity tests: python3-openstacksdk not installed");

/**
 * Allocates a floating IP from the pool, boots a server with `auto_ip` (which reuses that free IP),
 * deletes the server with its IPs, and prints one JSON line of what it saw.
 */
const SCRIPT = `
import json, openstack
conn = openstack.connect(cloud="sim")
out = {"neutron": conn.has_service("network")}
out["pools"] = [p["name"] for p in conn.list_floating_ip_pools()]
ip = conn.create_floating_ip()
out["allocated"] = ip["floating_ip_address"]
nets = conn.compute.get("/os-networks").json()["networks"]
private = [n["id"] for n in nets if n["label"] == "private"][0]
image = conn.list_images()[0]
# NOTE: without nics, openstacksdk sends networks "auto", which nova before 2.37 rejects (as the simulator does).
server = conn.create_server("sdk-vm", image=image.id, flavor="m1.tiny", nics=[{"net-id": private}],
                            wait=True, auto_ip=True, timeout=60)
out["status"] = server.status
out["public_v4"] = server.public_v4
conn.delete_server(server.id, wait=True, delete_ips=True, timeout=60)
out["left"] = [f["floating_ip_address"] for f in conn.list_floating_ips()]
print(json.dumps(out))
`;

let sim: Simulator;
let dir: string;

function python(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      PYTHON,
      ["-c", script],
      {
        env: {
          PATH: "/usr/bin:/bin",
          HOME: dir,
          OS_CLIENT_CONFIG_FILE: join(dir, "clouds.yaml"),
          LANG: "C.UTF-8",
        },
        timeout: 90_000,
      },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`openstacksdk script failed: ${stderr || err.message}`));
        else resolve(stdout.trim());
      },
    );
  });
}

describe.skipIf(!present)("python3-openstacksdk against the simulator (nova-network)", () => {
  beforeAll(async () => {
    sim = await startSimulator({ profile: "nova-network", buildDelayMs: 0, deleteDelayMs: 0 });
    dir = await mkdtemp(join(tmpdir(), "oaktree-sdk-"));
    await sim.writeCloudsYaml(join(dir, "clouds.yaml"));
  });
  afterAll(async () => {
    await sim?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("allocates, attaches (auto_ip) and releases nova-network floating IPs", {
    timeout: 120_000,
  }, async () => {
    const seen = JSON.parse(await python(SCRIPT)) as Record<string, unknown>;
    expect(seen).toMatchObject({ neutron: false, pools: ["public"], status: "ACTIVE", left: [] });
    expect(seen.public_v4).toBe(seen.allocated);
    const asked = sim.admin.state.log.entries().map((e) => `${e.route} ${e.status}`);
    expect(asked).toContain("GET /extensions 200");
  });
});
